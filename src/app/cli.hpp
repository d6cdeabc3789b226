#pragma once

namespace reelfeed::app {

/// The `reelfeed` command line: run, poll, render, parse, check-config, status, explain,
/// rules test. Returns the process exit status.
int main(int argc, char** argv);

} // namespace reelfeed::app

#pragma once
// Decompresses a gzip body in tests (a served Content-Encoding: gzip reply); a malformed
// body fails the calling test.

#include <string>

namespace reelfeed::test {

std::string gunzip(const std::string& in);

} // namespace reelfeed::test

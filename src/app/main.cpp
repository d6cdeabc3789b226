#include <csignal>

#include "app/cli.hpp"

int main(int argc, char** argv) {
  // A file-size limit (ulimit -f, systemd LimitFSIZE=) would otherwise kill the process
  // with SIGXFSZ in the middle of a write; ignored, the write fails like on a full disk,
  // the store rolls that feed back and reports it, and everything committed stays.
  std::signal(SIGXFSZ, SIG_IGN);
  return reelfeed::app::main(argc, argv);
}

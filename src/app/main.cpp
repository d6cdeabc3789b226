#include <malloc.h>

#include <csignal>

#include "app/cli.hpp"

int main(int argc, char** argv) {
  // A file-size limit (ulimit -f, systemd LimitFSIZE=) would otherwise kill the process
  // with SIGXFSZ in the middle of a write; ignored, the write fails like on a full disk,
  // the store rolls that feed back and reports it, and everything committed stays.
  std::signal(SIGXFSZ, SIG_IGN);
  // One malloc arena for all threads: parsed feeds are made on the CPU pool and freed on
  // the store thread, and with an arena per thread each arena kept its own high-water mark
  // (a 1,000-feed cold cycle peaked ~10 MiB higher). The threads hand work over rather than
  // allocate in parallel, so the shared lock costs little.
  mallopt(M_ARENA_MAX, 1);
  return reelfeed::app::main(argc, argv);
}

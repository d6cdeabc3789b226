#pragma once
// Helpers for the end-to-end tests: run the real `reelfeed` binary (REELFEED_BINARY) as a
// child process with its stdout/stderr captured in files, and talk HTTP to it on loopback.
// Every wait is bounded and polls a condition: no fixed sleep is ever an assertion.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reelfeed::e2e {

/// Result of a command run to completion.
struct CmdResult {
  int exit_code = -1; ///< -1 when it did not exit normally
  std::string out;
  std::string err;
};

/// Runs `reelfeed ARGS...` to completion (killed after `timeout`).
CmdResult run_reelfeed(const std::vector<std::string>& args,
                       std::chrono::seconds timeout = std::chrono::seconds{60});

/// A config that stores in `db` (ten years kept, so nothing is pruned) and polls
/// `count` local files DIR/feed0.xml ... as sources feed0 ... (file:// URLs).
std::string
file_sources_config(const std::filesystem::path& db, const std::filesystem::path& dir, int count);

/// Starts `reelfeed ARGS...` with stderr appended to `log` and stdout discarded; with
/// `fsize_limit` > 0 under that RLIMIT_FSIZE in bytes. For tests that kill or starve it.
pid_t start_reelfeed(const std::vector<std::string>& args,
                     const std::filesystem::path& log,
                     unsigned long long fsize_limit = 0);
/// Waits for a child: its exit code, or 128 + the signal that ended it.
int wait_child(pid_t pid);

/// A `reelfeed run` daemon in the background; SIGKILLed by the destructor if still alive.
class Daemon {
public:
  /// `env`: extra "NAME=value" entries on top of this process's environment.
  Daemon(const std::vector<std::string>& args,
         const std::filesystem::path& log_dir,
         const std::vector<std::string>& env = {});
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  [[nodiscard]] pid_t pid() const { return m_pid; }
  /// Everything the daemon logged to stderr so far.
  [[nodiscard]] std::string log() const;
  /// Waits until the log contains `needle` (true) or `timeout` passes / the child dies (false).
  bool wait_log(const std::string& needle, std::chrono::seconds timeout);
  /// The port from the daemon's "info listening addr=HOST:PORT" line (waits for it).
  std::optional<std::uint16_t> port(std::chrono::seconds timeout = std::chrono::seconds{20});
  void signal(int sig) const;
  /// Waits for the exit; the exit status, or nullopt on timeout / abnormal end.
  std::optional<int> wait_exit(std::chrono::seconds timeout);

private:
  pid_t m_pid = -1;
  bool m_reaped = false;
  std::filesystem::path m_err;
};

struct HttpResponse {
  int status = 0;                             ///< 0 when the request failed
  std::map<std::string, std::string> headers; ///< lower-cased names
  std::string body;
};

/// A GET on 127.0.0.1:port (one connection per call).
HttpResponse http_get(std::uint16_t port,
                      const std::string& target,
                      const std::map<std::string, std::string>& headers = {});

/// Calls `probe` until it returns true or `timeout` passes; returns the last result.
bool eventually(const std::function<bool()>& probe, std::chrono::seconds timeout);

/// Occurrences of `needle` in `haystack`.
std::size_t count(const std::string& haystack, const std::string& needle);

std::string read_file(const std::filesystem::path& path);

} // namespace reelfeed::e2e

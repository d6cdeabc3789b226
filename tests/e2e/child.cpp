#include "child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "support/temp_dir.hpp"

extern char** environ;

namespace reelfeed::e2e {

namespace {

using namespace std::chrono_literals;

pid_t spawn(const std::vector<std::string>& args,
            const std::filesystem::path& out,
            const std::filesystem::path& err,
            const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv_store;
  argv_store.emplace_back(REELFEED_BINARY);
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_store) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  std::vector<std::string> env_store(env);
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e) {
    envp.push_back(*e);
  }
  for (std::string& e : env_store) {
    envp.push_back(e.data());
  }
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error(std::string("cannot start ") + REELFEED_BINARY);
  }
  return pid;
}

/// waitpid with a deadline; nullopt on timeout. Returns the raw wait status.
std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      return status;
    }
    if (r < 0 || std::chrono::steady_clock::now() > deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(20ms);
  }
}

int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

CmdResult run_reelfeed(const std::vector<std::string>& args, std::chrono::seconds timeout) {
  test::TempDir dir;
  const pid_t pid = spawn(args, dir.path() / "out", dir.path() / "err");
  CmdResult run;
  const std::optional<int> status = wait_for(pid, timeout);
  if (!status) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  } else {
    run.exit_code = exit_code(*status);
  }
  run.out = read_file(dir.path() / "out");
  run.err = read_file(dir.path() / "err");
  return run;
}

std::string
file_sources_config(const std::filesystem::path& db, const std::filesystem::path& dir, int count) {
  std::string config = "[storage]\npath = \"" + db.string() +
                       "\"\nretain = \"3650d\"\n\n"
                       "[server]\nlisten = \"127.0.0.1:0\"\n\n[output]\nmax_age = \"3650d\"\n\n";
  for (int f = 0; f < count; ++f) {
    config += "[[source]]\nname = \"feed" + std::to_string(f) + "\"\nurl = \"file://" +
              (dir / ("feed" + std::to_string(f) + ".xml")).string() + "\"\n\n";
  }
  return config;
}

pid_t start_reelfeed(const std::vector<std::string>& args,
                     const std::filesystem::path& log,
                     unsigned long long fsize_limit) {
  std::vector<std::string> argv_store{REELFEED_BINARY};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_store) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  // fork rather than posix_spawn: the resource limit must be set in the child.
  const pid_t pid = fork();
  if (pid == 0) {
    const int err = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int null = open("/dev/null", O_WRONLY);
    if (err < 0 || null < 0 || dup2(err, 2) < 0 || dup2(null, 1) < 0) {
      _exit(126);
    }
    if (fsize_limit > 0) {
      const rlimit lim{fsize_limit, fsize_limit};
      if (setrlimit(RLIMIT_FSIZE, &lim) != 0) {
        _exit(125);
      }
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int wait_child(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) {
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Daemon::Daemon(const std::vector<std::string>& args,
               const std::filesystem::path& log_dir,
               const std::vector<std::string>& env)
    : m_err(log_dir / "daemon.err") {
  m_pid = spawn(args, log_dir / "daemon.out", m_err, env);
}

Daemon::~Daemon() {
  if (!m_reaped && m_pid > 0) {
    kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
  }
}

std::string Daemon::log() const {
  return read_file(m_err);
}

bool Daemon::wait_log(const std::string& needle, std::chrono::seconds timeout) {
  return eventually([&] { return log().find(needle) != std::string::npos; }, timeout);
}

std::optional<std::uint16_t> Daemon::port(std::chrono::seconds timeout) {
  const std::string marker = "info listening addr=";
  if (!wait_log(marker, timeout)) {
    return std::nullopt;
  }
  const std::string text = log();
  const std::size_t at = text.find(marker);
  const std::size_t end = text.find('\n', at);
  const std::string addr = text.substr(at + marker.size(), end - at - marker.size());
  const std::size_t colon = addr.rfind(':');
  return static_cast<std::uint16_t>(std::stoi(addr.substr(colon + 1)));
}

void Daemon::signal(int sig) const {
  kill(m_pid, sig);
}

std::optional<int> Daemon::wait_exit(std::chrono::seconds timeout) {
  const std::optional<int> status = wait_for(m_pid, timeout);
  if (!status) {
    return std::nullopt;
  }
  m_reaped = true;
  if (!WIFEXITED(*status)) {
    return std::nullopt;
  }
  return WEXITSTATUS(*status);
}

HttpResponse http_get(std::uint16_t port,
                      const std::string& target,
                      const std::map<std::string, std::string>& headers) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  HttpResponse out;
  try {
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(10s);
    stream.connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) {
      req.set(name, value);
    }
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    http::read(stream, buffer, parser);
    const auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      std::string name(field.name_string());
      for (char& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      out.headers[name] = std::string(field.value());
    }
    out.body = res.body();
    beast::error_code ec;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  } catch (const std::exception&) {
    out.status = 0;
  }
  return out;
}

bool eventually(const std::function<bool()>& probe, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (probe()) {
      return true;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(50ms);
  }
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

} // namespace reelfeed::e2e

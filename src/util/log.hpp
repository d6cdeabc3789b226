#pragma once
// One line per event on stderr, for journald: `level event key=value ...`. Values with
// spaces, quotes or '=' are quoted. Thread-safe: the io thread, the cpu pool and the store
// thread all log through the same Logger, and a mutex keeps lines whole.

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>

namespace reelfeed::util {

enum class Level { debug, info, warn, error };

/// One `key=value` of a line: text as it is, any integer in decimal, a double as %g.
struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v ? v : "") {}
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) Field(std::string_view k, T v)
      : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, double v);
  std::string_view key;
  std::string value;
};

/// "info fetched source=Variety status=200" (without the newline). Pure, for tests.
[[nodiscard]] std::string
format_line(Level level, std::string_view event, std::initializer_list<Field> fields);

class Logger {
public:
  /// Writes to `out` (std::cerr in the binary); lines below `min_level` are dropped.
  explicit Logger(std::ostream& out, Level min_level = Level::info);
  void log(Level level, std::string_view event, std::initializer_list<Field> fields = {});
  void info(std::string_view event, std::initializer_list<Field> fields = {}) {
    log(Level::info, event, fields);
  }
  void warn(std::string_view event, std::initializer_list<Field> fields = {}) {
    log(Level::warn, event, fields);
  }
  void error(std::string_view event, std::initializer_list<Field> fields = {}) {
    log(Level::error, event, fields);
  }

private:
  std::mutex m_mutex;
  std::ostream& m_out;
  Level m_min_level;
};

} // namespace reelfeed::util

#include "util/log.hpp"

#include <cstdio>
#include <ostream>

namespace reelfeed::util {

namespace {

const char* level_name(Level level) {
  switch (level) {
  case Level::debug:
    return "debug";
  case Level::info:
    return "info";
  case Level::warn:
    return "warn";
  case Level::error:
    return "error";
  }
  return "info";
}

bool needs_quotes(std::string_view v) {
  if (v.empty()) {
    return true;
  }
  for (const char c : v) {
    if (c == ' ' || c == '"' || c == '=' || c == '\t' || c == '\n' || c == '\r') {
      return true;
    }
  }
  return false;
}

void append_value(std::string& out, std::string_view v) {
  if (!needs_quotes(v)) {
    out += v;
    return;
  }
  out += '"';
  for (const char c : v) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r' || c == '\t') {
      out += ' ';
    } else {
      out += c;
    }
  }
  out += '"';
}

} // namespace

Field::Field(std::string_view k, double v) : key(k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  value = buf;
}

std::string format_line(Level level, std::string_view event, std::initializer_list<Field> fields) {
  std::string line = level_name(level);
  line += ' ';
  line += event;
  for (const Field& f : fields) {
    line += ' ';
    line += f.key;
    line += '=';
    append_value(line, f.value);
  }
  return line;
}

Logger::Logger(std::ostream& out, Level min_level) : m_out(out), m_min_level(min_level) {}

void Logger::log(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (level < m_min_level) {
    return;
  }
  std::string line = format_line(level, event, fields);
  line += '\n';
  const std::lock_guard lock(m_mutex);
  m_out << line << std::flush;
}

} // namespace reelfeed::util

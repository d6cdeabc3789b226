#include "config/reader.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <span>
#include <vector>

#include "config/values.hpp"

namespace reelfeed::config::detail {

void add_error(std::vector<Error>& errors,
               const std::string& file,
               const toml::source_region& region,
               std::string message) {
  errors.push_back(Error{file, static_cast<int>(region.begin.line),
                         static_cast<int>(region.begin.column), std::move(message)});
}

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
  case toml::node_type::table:
    return "a table";
  case toml::node_type::array:
    return "an array";
  case toml::node_type::string:
    return "a string";
  case toml::node_type::integer:
    return "an integer";
  case toml::node_type::floating_point:
    return "a float";
  case toml::node_type::boolean:
    return "a boolean";
  case toml::node_type::date:
    return "a date";
  case toml::node_type::time:
    return "a time";
  case toml::node_type::date_time:
    return "a date-time";
  case toml::node_type::none:
    break;
  }
  return "nothing";
}

std::string Reader::path(std::string_view key) const {
  if (key.empty()) {
    return m_where;
  }
  return m_where.empty() ? std::string(key) : m_where + "." + std::string(key);
}

void Reader::error(const toml::node& at, std::string_view key, const std::string& message) {
  error(at.source(), key, message);
}

void Reader::error(const toml::source_region& at,
                   std::string_view key,
                   const std::string& message) {
  add_error(m_errors, m_file, at, path(key) + ": " + message);
}

Reader Reader::nested(const toml::table& table, std::string_view name) const {
  return Reader(table, path(name), m_file, m_errors);
}

std::optional<Reader> Reader::table(std::string_view key) {
  const toml::node* n = m_table.get(key);
  if (n == nullptr) {
    return std::nullopt;
  }
  const auto* t = n->as_table();
  if (t == nullptr) {
    error(*n, key, "expected a table, got " + std::string(type_name(*n)));
    return std::nullopt;
  }
  return nested(*t, key);
}

std::vector<Reader> array_of_tables(const toml::node& node,
                                    const std::string& path,
                                    const std::string& file,
                                    std::vector<Error>& errors) {
  std::vector<Reader> out;
  const auto* arr = node.as_array();
  if (arr == nullptr || !arr->is_array_of_tables()) {
    // The header as written in TOML: "topic[0].concept" is declared by [[topic.concept]].
    std::string header = path;
    for (auto open = header.find('['); open != std::string::npos; open = header.find('[', open)) {
      header.erase(open, header.find(']', open) + 1 - open); // no ']': to the end
    }
    add_error(errors, file, node.source(),
              path + ": expected [[" + header + "]] tables (an array of tables), got " +
                  std::string(type_name(node)));
    return out;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    out.emplace_back(*arr->get(i)->as_table(), path + "[" + std::to_string(i) + "]", file, errors);
  }
  return out;
}

std::vector<Reader> Reader::tables(std::string_view key) {
  const toml::node* n = m_table.get(key);
  if (n == nullptr) {
    return {};
  }
  return array_of_tables(*n, path(key), m_file, m_errors);
}

const toml::array* Reader::array(std::string_view key, const char* expected) {
  const toml::node* n = m_table.get(key);
  if (n == nullptr) {
    return nullptr;
  }
  const auto* arr = n->as_array();
  if (arr == nullptr) {
    error(*n, key, std::string("expected ") + expected + ", got " + std::string(type_name(*n)));
  }
  return arr;
}

bool Reader::require(std::string_view key, std::string_view why) {
  if (m_table.get(key) != nullptr) {
    return true;
  }
  add_error(m_errors, m_file, m_table.source(),
            path(key) + ": missing" + (why.empty() ? "" : " (" + std::string(why) + ")"));
  return false;
}

bool Reader::check_keys(std::initializer_list<std::string_view> known) {
  bool ok = true;
  for (const auto& [key, value] : m_table) {
    if (std::find(known.begin(), known.end(), key.str()) != known.end()) {
      continue;
    }
    const std::string_view hint = suggest(key.str(), std::span(known.begin(), known.size()));
    add_error(m_errors, m_file, key.source(),
              "unknown key '" + path(key.str()) + "'" +
                  (hint.empty() ? "" : " (did you mean '" + std::string(hint) + "'?)"));
    ok = false;
  }
  return ok;
}

template <typename T>
const toml::value<T>* Reader::typed(std::string_view key, const char* expected) {
  const toml::node* n = m_table.get(key);
  if (n == nullptr) {
    return nullptr;
  }
  const auto* v = n->as<T>();
  if (v == nullptr) {
    error(*n, key, std::string("expected ") + expected + ", got " + std::string(type_name(*n)));
  }
  return v;
}

bool Reader::get(std::string_view key, std::string& out, bool allow_empty) {
  const auto* v = typed<std::string>(key, "a string");
  if (v == nullptr) {
    return false;
  }
  if (!allow_empty && v->get().empty()) {
    error(*v, key, "must not be empty");
    return false;
  }
  out = v->get();
  return true;
}

bool Reader::get(std::string_view key, bool& out) {
  const auto* v = typed<bool>(key, "true or false");
  if (v != nullptr) {
    out = v->get();
  }
  return v != nullptr;
}

bool Reader::get(std::string_view key, int& out, int min, int max) {
  const auto* v = typed<std::int64_t>(key, "an integer");
  if (v == nullptr) {
    return false;
  }
  if (v->get() < min || v->get() > max) {
    error(*v, key,
          "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
              std::to_string(v->get()));
    return false;
  }
  out = static_cast<int>(v->get());
  return true;
}

std::optional<double> Reader::number(std::string_view key) {
  const toml::node* n = m_table.get(key);
  if (n == nullptr) {
    return std::nullopt;
  }
  const auto value = n->value<double>(); // integers convert, strings do not
  if (!value || !(n->is_floating_point() || n->is_integer())) {
    error(*n, key, "expected a number, got " + std::string(type_name(*n)));
    return std::nullopt;
  }
  return value;
}

bool Reader::get(std::string_view key, double& out, double min, double max) {
  const auto value = number(key);
  if (!value) {
    return false;
  }
  if (!std::isfinite(*value) || *value < min || *value > max) {
    std::array<char, 64> text{};
    std::snprintf(text.data(), text.size(), "must be between %g and %g", min, max);
    error(*node(key), key, text.data());
    return false;
  }
  out = *value;
  return true;
}

bool Reader::get_at_least(std::string_view key, double& out, double min) {
  const auto value = number(key);
  if (!value) {
    return false;
  }
  if (!std::isfinite(*value)) {
    error(*node(key), key, "must be a finite number");
    return false;
  }
  if (*value < min) {
    std::array<char, 64> text{};
    std::snprintf(text.data(), text.size(), "must be at least %g, got %g", min, *value);
    error(*node(key), key, text.data());
    return false;
  }
  out = *value;
  return true;
}

bool Reader::get(std::string_view key, double& out) {
  return get_at_least(key, out, -std::numeric_limits<double>::infinity());
}

bool Reader::get_duration(std::string_view key, Seconds& out, bool allow_zero) {
  const auto* v = typed<std::string>(key, "a duration string such as \"30m\"");
  if (v == nullptr) {
    return false;
  }
  const auto d = parse_duration(v->get());
  if (!d) {
    error(*v, key,
          "invalid duration \"" + v->get() +
              "\" (use a number and a unit: \"90s\", \"30m\", \"12h\", \"30d\", \"2w\")");
    return false;
  }
  if (*d == Seconds{0} && !allow_zero) {
    error(*v, key, "must be longer than zero");
    return false;
  }
  out = *d;
  return true;
}

bool Reader::get_size(std::string_view key, std::uint64_t& out) {
  const toml::node* n = m_table.get(key);
  if (n == nullptr) {
    return false;
  }
  if (const auto* i = n->as_integer()) {
    if (i->get() <= 0) {
      error(*n, key, "must be greater than zero");
      return false;
    }
    out = static_cast<std::uint64_t>(i->get());
    return true;
  }
  const auto* s = n->as_string();
  if (s == nullptr) {
    error(*n, key, "expected a size such as \"16MB\", got " + std::string(type_name(*n)));
    return false;
  }
  const auto size = parse_size(s->get());
  if (!size) {
    error(*n, key, "invalid size \"" + s->get() + "\" (use e.g. \"512KB\", \"16MB\", \"1GB\")");
    return false;
  }
  out = *size;
  return true;
}

bool Reader::get(std::string_view key, std::vector<std::string>& out) {
  const auto* arr = array(key, "an array of strings");
  if (arr == nullptr) {
    return false;
  }
  std::vector<std::string> values;
  bool ok = true;
  for (const auto& item : *arr) {
    const auto* s = item.as_string();
    if (s == nullptr || s->get().empty()) {
      error(item, key,
            s == nullptr ? "expected a string, got " + std::string(type_name(item))
                         : std::string("must not contain empty strings"));
      ok = false;
      continue;
    }
    values.push_back(s->get());
  }
  if (ok) {
    out = std::move(values);
  }
  return ok;
}

} // namespace reelfeed::config::detail

#pragma once
// Internal to config/: typed access to one TOML table that records every problem as an
// Error with FILE:LINE:COL instead of throwing, so that one pass reports all of them.
// A getter leaves its output untouched (the default) when the key is absent or bad.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "config/load.hpp"

namespace reelfeed::config::detail {

class Reader {
public:
  /// `where` prefixes messages, e.g. "poll" -> "poll.interval: ...".
  Reader(const toml::table& table,
         std::string where,
         const std::string& file,
         std::vector<Error>& errors)
      : m_table(table), m_where(std::move(where)), m_file(file), m_errors(errors) {}

  /// Every key not in `known` is an error, with a "did you mean" for near-misses; false if any.
  bool check_keys(std::initializer_list<std::string_view> known);
  /// False, with "PATH.key: missing (why)" at the table, when `key` is absent.
  bool require(std::string_view key, std::string_view why = {});

  bool get(std::string_view key, std::string& out, bool allow_empty = true);
  bool get(std::string_view key, bool& out);
  /// Integers within [min, max].
  bool get(std::string_view key, int& out, int min, int max);
  /// A float (or integer) within [min, max].
  bool get(std::string_view key, double& out, double min, double max);
  /// A finite float (or integer) not below `min`.
  bool get_at_least(std::string_view key, double& out, double min);
  /// Any finite float (or integer).
  bool get(std::string_view key, double& out);
  /// A duration string; zero only when `allow_zero`.
  bool get_duration(std::string_view key, Seconds& out, bool allow_zero = false);
  /// "16MB" or an integer number of bytes.
  bool get_size(std::string_view key, std::uint64_t& out);
  /// An array of non-empty strings.
  bool get(std::string_view key, std::vector<std::string>& out);

  /// A Reader of the sub-table `key` ("PATH.key"), or none (absent, or not a table: an error).
  [[nodiscard]] std::optional<Reader> table(std::string_view key);
  /// Readers of the [[key]] tables ("PATH.key[i]"); none, with an error, if `key` is not one.
  [[nodiscard]] std::vector<Reader> tables(std::string_view key);
  /// The array at `key`, or nullptr (absent, or not an array: "expected EXPECTED" error).
  [[nodiscard]] const toml::array* array(std::string_view key, const char* expected = "an array");
  /// A Reader of `table` found at `name` inside this one (e.g. "terms[2]" of an array).
  [[nodiscard]] Reader nested(const toml::table& table, std::string_view name) const;

  /// The node or nullptr.
  [[nodiscard]] const toml::node* node(std::string_view key) const { return m_table.get(key); }
  /// The table read, for errors about it as a whole (key "").
  [[nodiscard]] const toml::table& self() const { return m_table; }
  void error(const toml::node& at, std::string_view key, const std::string& message);
  void error(const toml::source_region& at, std::string_view key, const std::string& message);
  /// "PATH.key", or PATH alone for the empty key.
  [[nodiscard]] std::string path(std::string_view key) const;

private:
  template <typename T> const toml::value<T>* typed(std::string_view key, const char* expected);
  std::optional<double> number(std::string_view key);

  const toml::table& m_table;
  std::string m_where;
  const std::string& m_file;
  std::vector<Error>& m_errors;
};

/// Readers of the tables of `node`, the array of tables at `path` (each "PATH[i]"); none, with
/// an error, if it is something else. For arrays at the root; Reader::tables for nested ones.
[[nodiscard]] std::vector<Reader> array_of_tables(const toml::node& node,
                                                  const std::string& path,
                                                  const std::string& file,
                                                  std::vector<Error>& errors);

/// Appends an error located at `region` (begin line/column).
void add_error(std::vector<Error>& errors,
               const std::string& file,
               const toml::source_region& region,
               std::string message);

/// "string", "integer", "table"... for messages.
[[nodiscard]] std::string_view type_name(const toml::node& node);

} // namespace reelfeed::config::detail

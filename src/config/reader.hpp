#pragma once
// Internal to config/: typed access to one TOML table that records every problem as an
// Error with FILE:LINE:COL instead of throwing, so that one pass reports all of them.
// A getter leaves its output untouched (the default) when the key is absent or bad.

#include <cstdint>
#include <initializer_list>
#include <span>
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

  /// Every key not in `known` is an error, with a "did you mean" for near-misses.
  void check_keys(std::initializer_list<std::string_view> known);

  bool get(std::string_view key, std::string& out, bool allow_empty = true);
  bool get(std::string_view key, bool& out);
  /// Integers within [min, max].
  bool get(std::string_view key, int& out, int min, int max);
  /// A float (or integer) within [min, max].
  bool get(std::string_view key, double& out, double min, double max);
  /// A duration string; zero only when `allow_zero`.
  bool get_duration(std::string_view key, Seconds& out, bool allow_zero = false);
  /// "16MB" or an integer number of bytes.
  bool get_size(std::string_view key, std::uint64_t& out);
  /// An array of non-empty strings.
  bool get(std::string_view key, std::vector<std::string>& out);

  /// The node or nullptr.
  [[nodiscard]] const toml::node* node(std::string_view key) const { return m_table.get(key); }
  void error(const toml::node& at, std::string_view key, const std::string& message);
  [[nodiscard]] std::string path(std::string_view key) const;

private:
  template <typename T> const toml::value<T>* typed(std::string_view key, const char* expected);

  const toml::table& m_table;
  std::string m_where;
  const std::string& m_file;
  std::vector<Error>& m_errors;
};

/// A key of a table that is not among the known ones.
struct UnknownKey {
  const toml::key* key = nullptr;
  const toml::node* value = nullptr;
  std::string_view hint; ///< the known key it is probably a typo of (empty: none close)
};
/// The keys of `table` not in `known`, in the table's order. Every table of the config, the
/// [[topic]] ones included, is checked with it, so every unknown key gets the same hint.
[[nodiscard]] std::vector<UnknownKey> unknown_keys(const toml::table& table,
                                                   std::span<const std::string_view> known);
/// " (did you mean 'HINT'?)", or "" without a hint.
[[nodiscard]] std::string did_you_mean(std::string_view hint);

/// Appends an error located at `region` (begin line/column).
void add_error(std::vector<Error>& errors,
               const std::string& file,
               const toml::source_region& region,
               std::string message);

/// "string", "integer", "table"... for messages.
[[nodiscard]] std::string_view type_name(const toml::node& node);

} // namespace reelfeed::config::detail

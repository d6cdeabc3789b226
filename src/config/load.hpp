#pragma once
// TOML -> Config. Never throws for bad input: every problem becomes an Error with
// the file, line and column, and unknown keys are errors.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace reelfeed::config {

struct Error {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  /// "FILE:LINE:COL: message"
  [[nodiscard]] std::string str() const;
};

struct LoadResult {
  std::optional<Config> config; ///< set only when errors is empty
  std::vector<Error> errors;
};

[[nodiscard]] LoadResult load_file(const std::filesystem::path& path);
/// For tests: `name` is used as FILE in errors; relative paths resolve against base_dir.
[[nodiscard]] LoadResult load_string(std::string_view toml, const std::string& name,
                                     const std::filesystem::path& base_dir);

/// "90s", "30m", "12h", "30d", "1w" -> seconds; nullopt when malformed.
[[nodiscard]] std::optional<Seconds> parse_duration(std::string_view s);

} // namespace reelfeed::config

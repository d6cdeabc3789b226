#pragma once
// TOML -> Config. Never throws for bad input: every problem becomes an Error with
// the file, line and column, and unknown keys are errors. All problems are reported in one
// pass, sorted by file (main file first, then includes in order) and position.
// Paths: storage.path and relative file URLs ("file:samples/x.xml") resolve against the
// folder of the file that names them; Config::file and all resolved paths are absolute.
// `include = ["a.toml"]` loads files (relative to the including file) that may hold
// [[source]], [[topic]] and further includes; cycles and >8 levels are errors.
// Pure functions of their input files: safe to call from any thread.

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
[[nodiscard]] LoadResult
load_string(std::string_view toml, const std::string& name, const std::filesystem::path& base_dir);

/// "90s", "30m", "12h", "30d", "1w", compound "1h30m" -> seconds; nullopt when malformed
/// (no unit, negative, fractional, spaces, overflow). "0s" parses; callers reject zero.
[[nodiscard]] std::optional<Seconds> parse_duration(std::string_view s);

} // namespace reelfeed::config

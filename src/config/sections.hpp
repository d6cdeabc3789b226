#pragma once
// Internal to config/: the singleton sections of the main file ([storage], [server], [poll],
// [output], [dedup]). Problems are appended to `errors`; valid values land in `config`.

#include <filesystem>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/config.hpp"
#include "config/load.hpp"

namespace reelfeed::config::detail {

void parse_sections(const toml::table& root,
                    const std::string& file,
                    const std::filesystem::path& base_dir,
                    Config& config,
                    std::vector<Error>& errors);

} // namespace reelfeed::config::detail

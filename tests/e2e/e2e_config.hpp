#pragma once
// The temp config the end-to-end tests give the real binary: sources served by the
// in-process HTTP server, the small fixed rules of tests/data/e2e/topics.toml.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace reelfeed::e2e {

inline std::filesystem::path e2e_data() {
  return std::filesystem::path(REELFEED_TEST_DATA) / "e2e";
}

/// (name, url) pairs -> a complete config (listen on any free port, polls every 5 s).
inline std::string make_config(const std::vector<std::pair<std::string, std::string>>& sources,
                               const std::string& extra = "") {
  std::string toml = "include = [\"" + (e2e_data() / "topics.toml").string() + "\"]\n\n" +
                     "[storage]\npath = \"reelfeed.db\"\n\n"
                     "[server]\nlisten = \"127.0.0.1:0\"\n\n"
                     "[poll]\ninterval = \"5s\"\nmin_interval = \"1s\"\n\n"
                     "[output]\ntitle = \"E2E\"\nmax_items = 50\nmax_age = \"3650d\"\n\n" +
                     extra;
  for (const auto& [name, url] : sources) {
    toml += "\n[[source]]\nname = \"" + name + "\"\nurl = \"" + url + "\"\n";
    toml += "tags = [\"entertainment\"]\n";
  }
  return toml;
}

} // namespace reelfeed::e2e

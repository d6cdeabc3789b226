#include "app/websub.hpp"

namespace reelfeed::app {

std::vector<std::string> changed_feeds(const serve::Snapshot* previous,
                                       const serve::Snapshot& next,
                                       const std::string& base_url) {
  std::vector<std::string> out;
  for (const auto& [path, resource] : next) {
    const bool feed = path.ends_with(".atom") || path.ends_with(".rss") || path.ends_with(".json");
    if (!feed || path.find('?') != std::string::npos) {
      continue;
    }
    if (previous != nullptr) {
      const auto it = previous->find(path);
      if (it != previous->end() && it->second == resource) {
        continue;
      }
    }
    out.push_back(base_url + path);
  }
  return out;
}

} // namespace reelfeed::app

#pragma once
// A one-outlet Story for the publish tests: id, title and a day offset are all that vary.

#include <cstdint>
#include <string>
#include <utility>

#include "model/story.hpp"

namespace reelfeed::test {

inline Story story(std::int64_t id, std::string title, int day) {
  Story s;
  s.id = id;
  s.uid = "urn:reelfeed:story:" + std::to_string(id);
  s.title = std::move(title);
  s.link = "https://example.com/" + std::to_string(id);
  s.published = Timestamp{std::chrono::days{20000 + day}};
  s.updated = s.published;
  s.outlets.push_back(Outlet{id * 10, "Variety", s.title, s.link, s.published, "", {}});
  return s;
}

} // namespace reelfeed::test

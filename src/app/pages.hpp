#pragma once
// The HTML story pages of a publish plan (render/story_page.hpp): each topic's pages at
// /topics/NAME/, the first topic's also at "/". Pure; make_snapshot serves what it returns.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "app/publish.hpp"
#include "render/prepared.hpp"

namespace reelfeed::app {

inline constexpr const char* k_html_type = "text/html; charset=utf-8";

struct PageDoc {
  std::string path;                 ///< snapshot key: "/topics/NAME/?before=ID", "/", ...
  std::vector<std::string> aliases; ///< further keys answered with the same Resource
  std::string body;
  Timestamp updated{};
};

/// The pages of plan.topics[topic] (`prepared`: its items, prepared). With no topic at all
/// (topic >= plan.topics.size()), one empty page at "/".
[[nodiscard]] std::vector<PageDoc> story_page_docs(const PublishPlan& plan,
                                                   std::size_t topic,
                                                   std::span<const render::Prepared> prepared);

} // namespace reelfeed::app

#pragma once
// Stories for the render tests: ordinary, hostile and multi-outlet.

#include <vector>

#include "render/render.hpp"

namespace reelfeed::render::test {

inline Timestamp at(int64_t seconds) {
  return Timestamp{std::chrono::seconds{seconds}};
}

/// 2024-05-01T12:00:00Z
constexpr std::int64_t k_base = 1714564800;

inline FeedInfo sample_info() {
  return FeedInfo{"AI in Hollywood", "urn:reelfeed:topic:ai-hollywood",
                  "http://127.0.0.1:8080/feed.atom", "http://127.0.0.1:8080/", at(k_base + 7200)};
}

inline Item plain_item() {
  Item it;
  it.story.id = 1;
  it.story.uid = "urn:reelfeed:story:1";
  // As Variety's feed titles it; readers must see the headline alone.
  it.story.title = "EXCLUSIVE: SAG-AFTRA reaches AI deal with studios | Variety";
  it.story.link = "https://variety.com/2024/biz/news/sag-aftra-ai-deal-1235.html";
  it.story.author = "Jane Doe";
  it.story.summary = "<p>The union and the <b>studios</b> agreed.</p>";
  it.story.content = "<p>Full text with a <a href=\"https://example.com/x\">link</a>.</p>";
  it.story.categories = {"Business", "Labor"};
  it.story.published = at(k_base);
  it.story.updated = at(k_base + 60);
  it.story.outlets = {{1, "Variety", it.story.title, it.story.link, at(k_base), "", {}}};
  it.decision.topic = "ai-hollywood";
  it.decision.published = true;
  it.decision.score = 4.5;
  it.decision.concepts_matched = {"ai", "entertainment"};
  return it;
}

/// Control characters, invalid UTF-8, markup in the title, scripts in the HTML.
inline Item hostile_item() {
  Item it;
  it.story.id = 2;
  it.story.uid = "urn:reelfeed:story:2";
  it.story.title = std::string("Deepfake \x01\x0B"
                               "actors & <studios> \xC3\xA9t\xC3\xA9 \xFF end");
  it.story.link = "https://deadline.com/2024/05/deepfake?a=1&b=2";
  it.story.summary = "<script>alert(1)</script><p onclick=\"steal()\">Summary</p>";
  it.story.content = "<p>Body</p><iframe src=\"https://evil.example/\"></iframe>"
                     "<a href=\"javascript:alert(1)\">bad</a><a href=\" java\tscript:x\">bad2</a>"
                     "<style>p{}</style><form action=\"/x\"><input name=q></form>"
                     "<img src=\"https://img.example/a.png\" onerror=\"x()\" alt=\"A\">"
                     "<object data=\"x.swf\"></object><embed src=\"y.swf\"><!-- comment -->"
                     "<svg><script>alert(2)</script></svg>\x02 tail";
  it.story.categories = {"Film", "", "Film"};
  it.story.published = at(k_base + 3600);
  it.story.updated = at(k_base + 3600);
  it.story.outlets = {{2, "Deadline", "Deepfake actors", it.story.link, at(k_base + 3600), "", {}}};
  it.decision.topic = "ai-hollywood";
  it.decision.score = 3;
  it.decision.concepts_matched = {"ai"};
  return it;
}

/// One story seen at three outlets (two distinct besides the representative).
inline Item multi_outlet_item() {
  Item it;
  it.story.id = 3;
  it.story.uid = "urn:reelfeed:story:3";
  it.story.title = "OpenAI's Sora pitched to Hollywood studios";
  it.story.link = "https://www.hollywoodreporter.com/sora-studios";
  it.story.summary = "Studios met with OpenAI.";
  it.story.published = at(k_base + 7200);
  it.story.updated = at(k_base + 7200);
  it.story.outlets = {
      {3, "The Hollywood Reporter", it.story.title, it.story.link, at(k_base + 7200), "", {}},
      {4,
       "Deadline",
       "UPDATED: Sora meets Hollywood - Deadline",
       "https://deadline.com/sora",
       at(k_base + 7300),
       "",
       {}},
      {5,
       "The Wrap",
       "OpenAI courts studios",
       "https://www.thewrap.com/sora?x=1&y=2",
       at(k_base + 7400),
       "",
       {}}};
  it.decision.topic = "ai-hollywood";
  it.decision.score = 5;
  it.decision.concepts_matched = {"ai", "entertainment"};
  return it;
}

inline std::vector<Item> sample_items() {
  return {multi_outlet_item(), hostile_item(), plain_item()};
}

} // namespace reelfeed::render::test

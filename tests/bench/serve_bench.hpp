#pragma once
// Synthetic stories shaped like the corpus, shared by serve_bench and publish_bench.

#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "render/render.hpp"

namespace reelfeed::bench {

/// Deterministic pseudo-random prose, so the gzip ratio is near real news text (~25-30%)
/// rather than that of a repeated template.
class Prose {
public:
  std::string words(int n) {
    static constexpr const char* k_words[] = {
        "studio",    "actors",     "union",    "generative", "AI",          "contract", "writers",
        "streaming", "box",        "office",   "premiere",   "director",    "digital",  "replica",
        "consent",   "Netflix",    "Disney",   "Warner",     "Paramount",   "Sora",     "OpenAI",
        "deal",      "strike",     "guild",    "producers",  "negotiation", "film",     "series",
        "visual",    "effects",    "voice",    "likeness",   "training",    "data",     "lawsuit",
        "copyright", "festival",   "Cannes",   "Sundance",   "animation",   "script",   "budget",
        "release",   "theatrical", "audience", "platform",   "executive",   "talent",   "agency",
        "the",       "a",          "of",       "and",        "to",          "in",       "with",
        "for",       "on",         "as",       "by",         "new",         "said",     "will"};
    std::string out;
    for (int i = 0; i < n; ++i) {
      m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
      if (i > 0) {
        out += ' ';
      }
      out += k_words[(m_state >> 33) % std::size(k_words)];
      if ((m_state >> 20) % 13 == 0) {
        out += std::to_string((m_state >> 40) % 1000);
      }
    }
    return out;
  }

private:
  std::uint64_t m_state = 20240501;
};

/// Stories shaped like the corpus: HTML summaries and bodies, categories, 1-2 outlets.
inline std::vector<render::Item> synthetic_items(int n) {
  Prose prose;
  std::vector<render::Item> items;
  const Timestamp base{std::chrono::seconds{1714564800}};
  for (int i = 0; i < n; ++i) {
    render::Item it;
    Story& s = it.story;
    s.id = i + 1;
    s.uid = "urn:reelfeed:story:" + std::to_string(s.id);
    s.title = prose.words(9);
    if (i % 4 == 0) {
      s.title = "EXCLUSIVE: " + s.title + " | Variety"; // trade-press decorations
    }
    s.link = "https://variety.com/2024/film/news/ai-deal-" + std::to_string(i) + "/";
    s.author = "Reporter " + std::to_string(i % 7);
    s.summary = "<p>" + prose.words(25) + " <b>" + prose.words(3) + "</b> &amp; consent.</p>";
    s.content.clear();
    for (int p = 0; p < 6; ++p) {
      s.content += "<p>" + prose.words(20) + " <a href=\"https://example.com/" + std::to_string(i) +
                   "/" + std::to_string(p) + "\">" + prose.words(3) + "</a> <em>" + prose.words(2) +
                   "</em>. " + prose.words(15) + "</p>";
    }
    s.content += "<script>track()</script><img src=\"https://img.example/" + std::to_string(i) +
                 ".jpg\" onerror=\"x()\" alt=\"still\">";
    s.categories = {"Film", "Business"};
    s.published = base + std::chrono::minutes(i);
    s.updated = s.published;
    s.outlets.push_back({i, "Variety", s.title, s.link, s.published, "", {}});
    if (i % 3 == 0) {
      s.outlets.push_back({i + 1000,
                           "Deadline",
                           s.title,
                           "https://deadline.com/x" + std::to_string(i),
                           s.published,
                           "",
                           {}});
    }
    it.decision.topic = "ai-hollywood";
    it.decision.score = 4;
    it.decision.concepts_matched = {"ai", "entertainment"};
    items.push_back(std::move(it));
  }
  return items;
}

inline render::FeedInfo info() {
  return {"AI in Hollywood",
          "urn:reelfeed:topic:ai-hollywood",
          "http://127.0.0.1/feed.atom",
          "http://127.0.0.1/",
          {}};
}

} // namespace reelfeed::bench

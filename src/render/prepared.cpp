#include "render/prepared.hpp"

#include "dedup/dedup.hpp"
#include "render/sanitize.hpp"
#include "render/text.hpp"

#include <algorithm>

namespace reelfeed::render {

namespace {

// Every published field is bounded here, once, so that Atom, RSS and JSON Feed carry the
// same text: one hostile item must not make every document huge, nor one format differ
// from the others. Real headlines are under 200 bytes, names and categories under 100.
constexpr std::size_t k_max_title = 1000;
constexpr std::size_t k_max_name = 200; ///< author, outlet, category, media type, topic
constexpr std::size_t k_max_url =
    std::size_t{8} * 1024; ///< longer links are dropped: a cut URL is wrong
constexpr std::size_t k_max_categories = 50;
constexpr std::size_t k_max_enclosures = 20;

std::string plain_name(const std::string& raw) {
  return truncated(plain_text(raw), k_max_name);
}

/// The headline a reader should see: plain text without the outlet's decorations
/// ("EXCLUSIVE: ", " | Variety"), by the rules dedup uses to match titles across outlets.
/// A title that is only decoration is kept whole (dedup::undecorated's rule).
std::string display_title(const std::string& raw) {
  const std::string text = plain_text(raw);
  return truncated(std::string(dedup::undecorated(text)), k_max_title);
}

std::string safe_link(const std::string& url) {
  std::string clean = clean_text(url);
  return clean.size() <= k_max_url && safe_url(clean) ? clean : std::string{};
}

/// Summaries or bodies larger than this are not republished (a link to the article
/// stands in): one hostile or broken item must not make every document and every publish
/// huge. Long-form articles with inline images stay far below it.
constexpr std::size_t k_max_html = std::size_t{256} * 1024;

void add_unique(std::vector<std::string>& out, const std::string& raw) {
  std::string value = plain_name(raw);
  if (value.empty() || out.size() >= k_max_categories ||
      std::find(out.begin(), out.end(), value) != out.end()) {
    return;
  }
  out.push_back(std::move(value));
}

std::string too_long_note(const std::string& link) {
  std::string out = "<p>The full text is too long to republish here";
  if (!link.empty()) {
    out += ": <a href=\"";
    append_html_escaped(out, link, true);
    out += "\">read it at the source</a>";
  }
  return out + ".</p>";
}

/// "<p>Also covered by: <a href=...>Deadline</a>, ...</p>" naming every other outlet once;
/// empty when the story was seen only at its representative's outlet.
std::string also_covered(const std::vector<PreparedOutlet>& outlets) {
  if (outlets.size() < 2) {
    return {};
  }
  std::vector<std::string> seen{outlets.front().source};
  std::string links;
  for (std::size_t i = 1; i < outlets.size(); ++i) {
    const PreparedOutlet& o = outlets[i];
    if (std::find(seen.begin(), seen.end(), o.source) != seen.end()) {
      continue;
    }
    seen.push_back(o.source);
    if (!links.empty()) {
      links += ", ";
    }
    const std::string& name = o.source.empty() ? o.link : o.source;
    if (o.link.empty()) {
      append_html_escaped(links, name, false);
    } else {
      links += "<a href=\"";
      append_html_escaped(links, o.link, true);
      links += "\">";
      append_html_escaped(links, name, false);
      links += "</a>";
    }
  }
  return links.empty() ? std::string{} : "<p>Also covered by: " + links + "</p>";
}

} // namespace

Prepared prepare(const Item& item) {
  const Story& s = item.story;
  Prepared p;
  p.id = clean_text(s.uid);
  if (p.id.empty()) {
    p.id = "urn:reelfeed:story:" + std::to_string(s.id);
  }
  p.title = display_title(s.title);
  if (p.title.empty()) {
    p.title = truncated(plain_text(s.link), k_max_title); // an untitled item needs a name
  }
  p.link = safe_link(s.link);
  for (const Outlet& o : s.outlets) {
    p.outlets.push_back({plain_name(o.source), safe_link(o.link), display_title(o.title)});
  }
  p.author = plain_name(s.author);
  if (p.author.empty() && !p.outlets.empty()) {
    p.author = p.outlets.front().source;
  }
  // Relative links in the HTML were relative to the article, not to this feed.
  const bool summary_fits = s.summary.size() <= k_max_html;
  const bool content_fits = s.content.size() <= k_max_html;
  if (summary_fits) {
    p.summary_html = sanitize_html(s.summary, p.link);
    p.summary_text = html_to_collapsed_text(s.summary);
  }
  p.content_html =
      s.content.empty() || !content_fits ? p.summary_html : sanitize_html(s.content, p.link);
  if (!summary_fits || !content_fits) {
    p.content_html += too_long_note(p.link);
  }
  p.content_html += also_covered(p.outlets);

  add_unique(p.categories, item.decision.topic);
  for (const std::string& c : item.decision.concepts_matched) {
    add_unique(p.categories, c);
  }
  for (const std::string& c : s.categories) {
    add_unique(p.categories, c);
  }
  for (const Enclosure& e : s.enclosures) {
    Enclosure clean{safe_link(e.url), truncated(clean_text(e.type), k_max_name), e.length};
    if (!clean.url.empty() && p.enclosures.size() < k_max_enclosures) {
      p.enclosures.push_back(std::move(clean));
    }
  }
  p.published = s.published == Timestamp{} ? s.updated : s.published;
  p.updated = std::max(s.updated, p.published);
  p.topic = truncated(clean_text(item.decision.topic), k_max_name);
  p.score = item.decision.score;
  for (const std::string& c : item.decision.concepts_matched) {
    if (p.concepts.size() < k_max_categories) {
      p.concepts.push_back(truncated(clean_text(c), k_max_name));
    }
  }
  return p;
}

std::vector<Prepared> prepare_all(std::span<const Item> items) {
  std::vector<Prepared> prepared;
  prepared.reserve(items.size());
  for (const Item& item : items) {
    prepared.push_back(prepare(item));
  }
  return prepared;
}

Timestamp feed_updated(const FeedInfo& info, std::span<const Prepared> items) {
  if (info.updated != Timestamp{}) {
    return info.updated;
  }
  Timestamp newest{};
  for (const Prepared& p : items) {
    newest = std::max(newest, p.updated);
  }
  return newest;
}

} // namespace reelfeed::render

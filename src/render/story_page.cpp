#include "render/story_page.hpp"

#include <algorithm>

#include "render/page_parts.hpp"
#include "render/text.hpp"

namespace reelfeed::render {

namespace {

void discovery_link(std::string& out,
                    const char* type,
                    const std::string& title,
                    const std::string& path) {
  out += "<link rel=\"alternate\" type=\"";
  out += type;
  out += "\" title=\"";
  page::text(out, title);
  out += "\" href=\"";
  page::text(out, path);
  out += "\">\n";
}

/// Autodiscovery: this page's topic first (readers that take one feed from a page take
/// the first), then the others in config order.
std::string discovery(const StoryPageInfo& info) {
  std::string out;
  std::vector<std::size_t> order{info.current};
  for (std::size_t t = 0; t < info.topics.size(); ++t) {
    if (t != info.current) {
      order.push_back(t);
    }
  }
  for (const std::size_t t : order) {
    if (t >= info.topics.size()) {
      continue;
    }
    const PageTopic& f = info.topics[t];
    discovery_link(out, "application/atom+xml", f.title + " (Atom)", f.atom_path);
    discovery_link(out, "application/rss+xml", f.title + " (RSS)", f.rss_path);
    discovery_link(out, "application/feed+json", f.title + " (JSON Feed)", f.json_path);
  }
  return out;
}

void link(std::string& out, const std::string& href, std::string_view label) {
  out += "<a href=\"";
  page::text(out, href);
  out += "\">";
  page::text(out, label);
  out += "</a>";
}

void feed_links(std::string& out, const PageTopic& f) {
  link(out, f.atom_path, "Atom");
  out += " &middot; ";
  link(out, f.rss_path, "RSS");
  out += " &middot; ";
  link(out, f.json_path, "JSON Feed");
}

std::string count(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " story" : " stories");
}

void header(std::string& out, const StoryPageInfo& info, const PageTopic& topic) {
  std::vector<std::pair<std::string, std::string>> nav;
  for (const PageTopic& t : info.topics) {
    nav.emplace_back(t.title, t.page_path);
  }
  page::header(out, info.site_title, {}, topic.title, nav, info.current);
  out += "<p class=\"sub\">" + count(topic.items) + ", newest first.";
  if (!topic.atom_path.empty()) {
    out += " Subscribe: ";
    feed_links(out, topic);
  }
  out += "</p>\n</header>\n";
}

/// Each outlet once (a story seen twice in one outlet lists it once), in the story's
/// order: the founding outlet first.
std::vector<const PreparedOutlet*> distinct_outlets(const Prepared& p) {
  std::vector<const PreparedOutlet*> out;
  for (const PreparedOutlet& o : p.outlets) {
    const bool seen = std::any_of(out.begin(), out.end(),
                                  [&](const PreparedOutlet* x) { return x->source == o.source; });
    if (!seen) {
      out.push_back(&o);
    }
  }
  return out;
}

void story(std::string& out, const Prepared& p, std::int64_t id) {
  out += "<article id=\"story-" + std::to_string(id) + "\">\n<h2>";
  if (p.link.empty()) {
    page::text(out, p.title);
  } else {
    link(out, p.link, p.title);
  }
  out += "</h2>\n<p class=\"meta\">";
  page::time(out, p.published);
  const std::vector<const PreparedOutlet*> outlets = distinct_outlets(p);
  const std::string& by = outlets.empty() ? p.author : outlets.front()->source;
  if (!by.empty()) {
    out += " &middot; ";
    page::text(out, by);
  }
  out += "</p>\n";
  if (!p.summary_html.empty()) {
    out += "<div class=\"summary\">";
    out += p.summary_html; // sanitised by prepare(), as in the feeds
    out += "</div>\n";
  }
  if (outlets.size() > 1) {
    out +=
        "<div class=\"outlets\">Covered by " + std::to_string(outlets.size()) + " outlets:<ul>\n";
    for (const PreparedOutlet* o : outlets) {
      out += "<li>";
      page::text(out, o->source.empty() ? o->link : o->source);
      out += ": ";
      const std::string& headline = o->title.empty() ? p.title : o->title;
      if (o->link.empty()) {
        page::text(out, headline);
      } else {
        link(out, o->link, headline);
      }
      out += "</li>\n";
    }
    out += "</ul></div>\n";
  }
  if (!p.concepts.empty()) {
    out += "<p class=\"concepts\">Matched: ";
    for (const std::string& c : p.concepts) {
      out += "<span>";
      page::text(out, c);
      out += "</span>";
    }
    out += "</p>\n";
  }
  out += "</article>\n";
}

void feeds_section(std::string& out, const StoryPageInfo& info) {
  out += "<section class=\"feeds\" aria-labelledby=\"feeds\">\n<h2 id=\"feeds\">Feeds</h2>\n"
         "<p>Subscribe to a feed in your feed reader:</p>\n<ul>\n";
  for (const PageTopic& f : info.topics) {
    out += "<li><strong>";
    page::text(out, f.title);
    out += "</strong>";
    if (!f.name.empty()) {
      out += " (";
      page::text(out, f.name);
      out += ")";
    }
    out += ", " + count(f.items) + ": ";
    feed_links(out, f);
    out += "</li>\n";
  }
  out += "</ul>\n<p>Published by reelfeed.</p>\n</section>\n";
}

std::string before(std::int64_t id) {
  return "?before=" + std::to_string(id);
}

} // namespace

std::vector<StoryPageDoc> story_pages(const StoryPageInfo& info,
                                      std::span<const Prepared> items,
                                      std::span<const std::int64_t> ids,
                                      std::size_t per_page) {
  per_page = std::max<std::size_t>(per_page, 1);
  const std::size_t n = std::min(items.size(), ids.size());
  const std::size_t pages = std::max<std::size_t>(1, (n + per_page - 1) / per_page);
  const PageTopic fallback{"", info.site_title, info.path, "", "", "", 0};
  const PageTopic& topic = info.current < info.topics.size() ? info.topics[info.current] : fallback;
  const std::string head = discovery(info);

  std::vector<StoryPageDoc> docs(pages);
  for (std::size_t k = 0; k < pages; ++k) {
    const std::size_t first = k * per_page;
    const std::size_t last = std::min(n, first + per_page);
    StoryPageDoc& doc = docs[k];
    if (k > 0) {
      doc.query = before(ids[first - 1]);
    }
    std::string title = topic.title;
    if (!info.site_title.empty() && info.site_title != topic.title) {
      title = info.path == "/" ? info.site_title : topic.title + " \xC2\xB7 " + info.site_title;
    }
    if (k > 0) {
      title += " (page " + std::to_string(k + 1) + " of " + std::to_string(pages) + ")";
    }
    std::string& out = doc.html;
    page::open(out, title, head);
    header(out, info, topic);
    out += "<main>\n";
    if (n == 0) {
      out += "<p>No stories yet.</p>\n";
    }
    for (std::size_t i = first; i < last; ++i) {
      story(out, items[i], ids[i]);
      doc.updated = std::max(doc.updated, items[i].updated);
    }
    if (pages > 1) {
      out += "<nav class=\"pager\" aria-label=\"Pages\">";
      if (k > 0) {
        link(out, info.path + docs[k - 1].query, "\xE2\x86\x90 Newer stories");
      } else {
        out += "<span></span>";
      }
      if (k + 1 < pages) {
        link(out, info.path + before(ids[last - 1]), "Older stories \xE2\x86\x92");
      }
      out += "</nav>\n";
    }
    out += "</main>\n<footer>\n";
    feeds_section(out, info);
    out += "</footer>\n";
    page::close(out);
  }
  // "?before=X" for a story X that is not a page boundary: the page holding X's successor.
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = std::min((i + 1) / per_page, pages - 1);
    const std::string q = before(ids[i]);
    if (q != docs[k].query) {
      docs[k].aliases.push_back(q);
    }
  }
  return docs;
}

} // namespace reelfeed::render

// Handlers for links, summaries/content (feedparser's summary-becomes-content rule) and dates:
// the elements whose values go through push_content/pop_content or parse_date.
#include <optional>

#include "parse/detail.hpp"
#include "parse/parse.hpp"
#include "parse/xml_engine.hpp"

namespace reelfeed::parse::detail {

void Engine::start_link(std::span<const Attr> attrs) {
  Context& c = context();
  // Filled in place in the context's list (no temporary Link moved in and destroyed),
  // unless feedparser drops it (a link inside an entry's image).
  const bool keep = !(m_inentry && m_inimage);
  if (keep && c.links.empty()) {
    c.links.reserve(4); // Atom entries have a few links: one allocation, not one per doubling
  }
  Link dropped;
  Link& l = keep ? c.links.emplace_back() : dropped;
  l.rel = attr(attrs, "rel").value_or("alternate");
  l.type = attr(attrs, "type").value_or(l.rel == "self" ? "application/atom+xml" : "text/html");
  l.href = attr(attrs, "url");
  if (!l.href) {
    l.href = attr(attrs, "uri");
  }
  if (!l.href) {
    l.href = attr(attrs, "href");
  }
  if (l.href && !base_keeps(*l.href)) {
    l.href = resolve(*l.href);
  }
  l.length = attr(attrs, "length");
  const bool expecting = m_infeed || m_inentry || m_insource;
  const bool has_href = l.href.has_value();
  const std::string_view type = l.type == "html"    ? "text/html"
                                : l.type == "xhtml" ? "application/xhtml+xml"
                                                    : std::string_view(l.type);
  if (has_href && l.rel == "alternate" &&
      (type == "text/html" || type == "application/xhtml+xml")) {
    c.link = *l.href;
  }
  if (!has_href) {
    push("link", expecting);
  }
}

void Engine::start_summary_like(std::span<const Attr> attrs,
                                bool description,
                                std::string_view default_type) {
  Context& c = context();
  if (c.summary && !m_has_content) {
    m_summary_key_content = true;
    start_content(attrs, "text/plain");
    return;
  }
  m_summary_key_content = false;
  const bool expecting = description ? (m_infeed || m_inentry || m_insource) : true;
  push_content(description ? "description" : "summary", attrs, default_type, expecting);
}

void Engine::end_summary_like() {
  if (m_summary_key_content) {
    end_content();
  } else if (m_top > 0 && top().name == "summary") {
    pop_content("summary");
  } else {
    pop_content("description");
  }
  m_summary_key_content = false;
}

void Engine::start_content(std::span<const Attr> attrs, std::string_view default_type) {
  m_has_content = true;
  push_content("content", attrs, default_type, true);
}

void Engine::end_content() {
  const std::string& t = m_cp.type;
  const bool copy = t == "text/plain" || t == "text/html" || t == "application/xhtml+xml";
  auto v = pop_content("content");
  if (copy && v) {
    Context& c = context();
    if (!c.summary) {
      c.summary =
          std::move(*v); // feedparser's copy; it has no summary_detail, so it is never printed
    }
  }
}

void Engine::end_date(bool published) {
  auto v = pop(published ? "published" : "updated");
  Context& c = context();
  auto t = v ? parse_date(*v, m_missing_zone) : std::nullopt;
  if (published) {
    c.has_published = true;
    c.published = t;
  } else {
    c.has_updated = true;
    c.updated = t;
  }
}

} // namespace reelfeed::parse::detail

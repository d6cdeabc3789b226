// Element start/end dispatch of the feedparser state machine (namespaces/_base.py, dc.py,
// itunes.py, mediarss.py) on feedparser's canonical "prefix_local" names (see xml_keys.hpp).
#include <optional>

#include "parse/detail.hpp"
#include "parse/parse.hpp"
#include "parse/xml_engine.hpp"
#include "parse/xml_keys.hpp"

namespace reelfeed::parse::detail {

using xml_keys::H;
using xml_keys::k_unknown;
using xml_keys::lookup;
using xml_keys::other_name;
using xml_keys::to_int;

std::optional<H> Engine::start(std::string_view key, // NOLINT(readability-function-size)
                               std::span<const Attr> attrs,
                               bool& pushed_unknown) {
  const std::optional<H> found = lookup(key);
  if (!found) {
    // feedparser pushes an unknown element only when it has no attributes; otherwise its
    // text flows into the parent. Outside content its text is never read: pop(k_unknown)
    // only pops the frame its own element pushed (nothing else pops k_unknown frames), and
    // m_incontent is back to 0 then, so m_cp.type is "" and the looks_like_html test that
    // could read the text cannot run. Such a frame discards its text.
    if (attrs.empty()) {
      push(k_unknown, true, m_incontent == 0);
      pushed_unknown = true;
    }
    return std::nullopt;
  }
  const bool expecting = m_infeed || m_inentry || m_insource;
  switch (*found) {
  case H::rss:
    if (version.empty() || version.substr(0, 3) != "rss") {
      const std::string_view v = attr(attrs, "version").value_or("");
      if (v == "0.91") {
        version = "rss091u";
      } else if (v == "0.92") {
        version = "rss092";
      } else if (v == "0.93") {
        version = "rss093";
      } else if (v == "0.94") {
        version = "rss094";
      } else if (v.substr(0, 2) == "2.") {
        version = "rss20";
      } else {
        version = "rss";
      }
    }
    break;
  case H::channel:
    m_infeed = true;
    cdf_common(attrs);
    break;
  case H::feed:
    m_infeed = true;
    if (version.empty()) {
      const std::string_view v = attr(attrs, "version").value_or("");
      version = v == "0.1" ? "atom01" : v == "0.2" ? "atom02" : v == "0.3" ? "atom03" : "atom";
    }
    break;
  case H::item: {
    if (entries.empty()) {
      // Feeds carry tens of items: growing 1, 2, 4... moved every (large) Context 6 times.
      entries.reserve(64);
    }
    entries.emplace_back();
    push("item", false, true);
    m_inentry = true;
    m_guidislink = false;
    m_title_depth = -1;
    if (auto about = attr(attrs, "rdf:about"); about && !about->empty()) {
      context().id = std::string(*about);
    }
    cdf_common(attrs);
    break;
  }
  case H::image:
    if (!m_inentry) {
      m_feed_has_image = true;
      m_scratch = Context{};
    }
    m_inimage = true;
    m_title_depth = -1;
    push("image", false, true);
    break;
  case H::textinput:
    m_scratch = Context{};
    m_intextinput = true;
    m_title_depth = -1;
    push("textinput", false, true);
    break;
  case H::author:
    start_author();
    break;
  case H::contributor:
    m_incontributor = true;
    push("contributor", false, true);
    break;
  case H::dc_contributor:
    m_incontributor = true;
    push("name", false);
    break;
  case H::name:
    push("name", false);
    break;
  case H::email:
    push("email", false);
    break;
  case H::title:
  case H::media_title:
    push_content("title", attrs, "text/plain", expecting);
    break;
  case H::description:
    start_summary_like(attrs, true, "text/html");
    break;
  case H::abstract:
    push_content("description", attrs, "text/plain", expecting);
    break;
  case H::summary:
    start_summary_like(attrs, false, "text/plain");
    break;
  case H::subtitle:
    push_content("subtitle", attrs, "text/plain", true);
    break;
  case H::rights:
    push_content("rights", attrs, "text/plain", true);
    break;
  case H::content:
    start_content(attrs, "text/plain");
    break;
  case H::body:
    push_content("content", attrs, "application/xhtml+xml", true);
    break;
  case H::content_encoded:
    m_has_content = true;
    push_content("content", attrs, "text/html", true);
    break;
  case H::link:
    start_link(attrs);
    break;
  case H::guid:
    m_guidislink = attr(attrs, "ispermalink").value_or("true") == "true";
    push("id", true);
    break;
  case H::published:
    push("published", true);
    break;
  case H::updated:
    push("updated", true);
    break;
  case H::category:
    start_category(attrs, nullptr);
    break;
  case H::media_category:
    start_category(attrs, "http://search.yahoo.com/mrss/category_schema");
    break;
  case H::itunes_category:
    add_tag(attr(attrs, "text"), "http://www.itunes.com/", std::nullopt);
    push("category", true);
    break;
  case H::itunes_keywords:
    push("itunes_keywords", true);
    break;
  case H::media_keywords:
    push("media_keywords", true);
    break;
  case H::tags:
    push("tags", true);
    break;
  case H::enclosure: {
    Link l;
    l.rel = "enclosure";
    l.href = attr(attrs, "url");
    if (!l.href) {
      l.href = attr(attrs, "uri");
    }
    if (!l.href) {
      l.href = attr(attrs, "href");
    }
    l.type = attr(attrs, "type").value_or("");
    l.length = attr(attrs, "length");
    context().links.push_back(std::move(l));
    break;
  }
  case H::source:
    push("source", true);
    m_insource = true;
    m_title_depth = -1;
    break;
  case H::itunes_owner:
    m_inpublisher = true;
    push("publisher", false, true);
    break;
  case H::webmaster:
    push("publisher", true);
    break;
  case H::ttl:
    push("ttl", true);
    break;
  case H::sy_period:
    push("sy_updateperiod", true);
    break;
  case H::sy_frequency:
    push("sy_updatefrequency", true);
    break;
  case H::other_text:
    push(other_name(key), key != "width" && key != "height" && key != "name");
    break;
  }
  return found;
}

// NOLINTNEXTLINE(readability-function-size): one case per element, as feedparser's _end_*
void Engine::end(std::string_view key, std::optional<H> handler, bool pushed_unknown) {
  if (!handler) {
    if (pushed_unknown) {
      pop(k_unknown);
    }
    return;
  }
  const H h = *handler;
  switch (h) {
  case H::rss:
    break;
  case H::channel:
  case H::feed:
    m_infeed = false;
    break;
  case H::item:
    pop("item");
    m_inentry = false;
    m_has_content = false;
    break;
  case H::image:
    pop("image");
    m_inimage = false;
    break;
  case H::textinput:
    pop("textinput");
    m_intextinput = false;
    break;
  case H::author:
    end_author();
    break;
  case H::contributor:
    pop("contributor");
    m_incontributor = false;
    break;
  case H::dc_contributor:
    pop("name");
    m_incontributor = false;
    break;
  case H::name:
  case H::email: {
    const bool is_name = h == H::name;
    auto v = pop(is_name ? "name" : "email");
    if (m_inpublisher || !m_inauthor || !v) {
      break;
    }
    save_author(is_name ? "name" : "email", *v);
    break;
  }
  case H::title:
  case H::media_title: {
    const int saved = m_title_depth;
    auto v = pop_content("title");
    if (v && !v->empty()) {
      m_title_depth = m_depth;
    }
    if (h == H::media_title) {
      m_title_depth = saved;
    }
    break;
  }
  case H::description:
  case H::abstract:
  case H::summary:
    end_summary_like();
    break;
  case H::subtitle:
    pop_content("subtitle");
    break;
  case H::rights:
    pop_content("rights");
    break;
  case H::content:
  case H::body:
  case H::content_encoded:
    end_content();
    break;
  case H::link:
    pop("link");
    break;
  case H::guid: {
    auto v = pop("id");
    Context& c = context();
    if (!c.guidislink) {
      c.guidislink = m_guidislink && !c.link;
    }
    if (m_guidislink && !c.link) {
      c.link = v.value_or("");
    }
    break;
  }
  case H::published:
  case H::updated:
    end_date(h == H::published);
    break;
  case H::category:
  case H::media_category:
  case H::itunes_category:
    end_category();
    break;
  case H::itunes_keywords:
    split_tags("itunes_keywords", "http://www.itunes.com/");
    break;
  case H::media_keywords:
    split_tags("media_keywords", nullptr);
    break;
  case H::tags:
    split_tags("tags", nullptr);
    break;
  case H::enclosure:
    break;
  case H::source:
    m_insource = false;
    pop("source");
    break;
  case H::itunes_owner:
    pop("publisher");
    m_inpublisher = false;
    break;
  case H::webmaster:
    pop("publisher");
    break;
  case H::ttl:
  case H::sy_period:
  case H::sy_frequency: {
    const std::string_view n = h == H::ttl         ? "ttl"
                               : h == H::sy_period ? "sy_updateperiod"
                                                   : "sy_updatefrequency";
    auto v = pop(n);
    if (!v || m_inentry) {
      break;
    }
    if (h == H::ttl) {
      if (auto minutes = to_int(*v); minutes && *minutes > 0) {
        ttl = Seconds{*minutes * 60};
      }
    } else if (h == H::sy_period) {
      const std::string_view p = util::trim_ascii_whitespace(*v);
      const std::int64_t secs = p == "hourly"    ? 3600
                                : p == "daily"   ? 86400
                                : p == "weekly"  ? 604800
                                : p == "monthly" ? 2592000
                                : p == "yearly"  ? 31536000
                                                 : 0;
      if (secs > 0) {
        m_sy_period = secs;
      }
    } else if (auto f = to_int(*v); f && *f > 0) {
      m_sy_frequency = *f;
    }
    if (m_sy_period > 0) {
      update_period = Seconds{m_sy_period / std::max<std::int64_t>(m_sy_frequency, 1)};
    }
    break;
  }
  case H::other_text:
    pop(other_name(key));
    break;
  }
}

} // namespace reelfeed::parse::detail

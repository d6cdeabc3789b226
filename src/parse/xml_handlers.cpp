// Element handlers of the feedparser state machine (namespaces/_base.py, dc.py, itunes.py,
// mediarss.py), dispatched on feedparser's canonical "prefix_local" names.
#include <re2/re2.h>

#include <charconv>
#include <optional>

#include "parse/detail.hpp"
#include "parse/parse.hpp"
#include "parse/xml_engine.hpp"

namespace reelfeed::parse::detail {
namespace {

enum class H {
  rss,
  channel,
  feed,
  item,
  image,
  textinput,
  author,
  contributor,
  name,
  email,
  title,
  media_title,
  description,
  abstract,
  summary,
  subtitle,
  content,
  body,
  content_encoded,
  link,
  guid,
  published,
  updated,
  category,
  media_category,
  itunes_category,
  itunes_keywords,
  media_keywords,
  tags,
  enclosure,
  source,
  itunes_owner,
  webmaster,
  rights,
  ttl,
  sy_period,
  sy_frequency,
  dc_contributor,
  other_text
};

/// The handler for a canonical key. A switch on the length, then a compare against the few
/// names of that length: cheaper than hashing every element name (profiled).
std::optional<H> lookup(std::string_view key) {
  switch (key.size()) {
  case 2:
    if (is(key, "id")) {
      return H::guid;
    }
    break;
  case 3:
    if (is(key, "rss")) {
      return H::rss;
    }
    if (is(key, "ttl")) {
      return H::ttl;
    }
    if (is(key, "url")) {
      return H::other_text;
    }
    if (is(key, "uri")) {
      return H::other_text;
    }
    break;
  case 4:
    if (is(key, "feed")) {
      return H::feed;
    }
    if (is(key, "item")) {
      return H::item;
    }
    if (is(key, "name")) {
      return H::name;
    }
    if (is(key, "body")) {
      return H::body;
    }
    if (is(key, "link")) {
      return H::link;
    }
    if (is(key, "guid")) {
      return H::guid;
    }
    if (is(key, "tags")) {
      return H::tags;
    }
    if (is(key, "info")) {
      return H::rights;
    }
    break;
  case 5:
    if (is(key, "entry")) {
      return H::item;
    }
    if (is(key, "image")) {
      return H::image;
    }
    if (is(key, "email")) {
      return H::email;
    }
    if (is(key, "title")) {
      return H::title;
    }
    if (is(key, "width")) {
      return H::other_text;
    }
    break;
  case 6:
    if (is(key, "author")) {
      return H::author;
    }
    if (is(key, "issued")) {
      return H::published;
    }
    if (is(key, "source")) {
      return H::source;
    }
    if (is(key, "rights")) {
      return H::rights;
    }
    if (is(key, "height")) {
      return H::other_text;
    }
    break;
  case 7:
    if (is(key, "channel")) {
      return H::channel;
    }
    if (is(key, "summary")) {
      return H::summary;
    }
    if (is(key, "tagline")) {
      return H::subtitle;
    }
    if (is(key, "content")) {
      return H::content;
    }
    if (is(key, "pubdate")) {
      return H::published;
    }
    if (is(key, "updated")) {
      return H::updated;
    }
    if (is(key, "dc_date")) {
      return H::updated;
    }
    if (is(key, "created")) {
      return H::other_text;
    }
    break;
  case 8:
    if (is(key, "dc_title")) {
      return H::title;
    }
    if (is(key, "abstract")) {
      return H::abstract;
    }
    if (is(key, "subtitle")) {
      return H::subtitle;
    }
    if (is(key, "fullitem")) {
      return H::content_encoded;
    }
    if (is(key, "modified")) {
      return H::updated;
    }
    if (is(key, "category")) {
      return H::category;
    }
    if (is(key, "keywords")) {
      return H::category;
    }
    if (is(key, "language")) {
      return H::other_text;
    }
    if (is(key, "homepage")) {
      return H::other_text;
    }
    break;
  case 9:
    if (is(key, "textinput")) {
      return H::textinput;
    }
    if (is(key, "dc_author")) {
      return H::author;
    }
    if (is(key, "published")) {
      return H::published;
    }
    if (is(key, "enclosure")) {
      return H::enclosure;
    }
    if (is(key, "webmaster")) {
      return H::webmaster;
    }
    if (is(key, "copyright")) {
      return H::rights;
    }
    if (is(key, "dc_rights")) {
      return H::rights;
    }
    if (is(key, "generator")) {
      return H::other_text;
    }
    break;
  case 10:
    if (is(key, "dc_creator")) {
      return H::author;
    }
    if (is(key, "xhtml_body")) {
      return H::body;
    }
    if (is(key, "dc_subject")) {
      return H::category;
    }
    break;
  case 11:
    if (is(key, "contributor")) {
      return H::contributor;
    }
    if (is(key, "itunes_name")) {
      return H::name;
    }
    if (is(key, "media_title")) {
      return H::media_title;
    }
    if (is(key, "description")) {
      return H::description;
    }
    if (is(key, "dc_language")) {
      return H::other_text;
    }
    break;
  case 12:
    if (is(key, "itunes_email")) {
      return H::email;
    }
    if (is(key, "itunes_owner")) {
      return H::itunes_owner;
    }
    if (is(key, "dc_publisher")) {
      return H::webmaster;
    }
    break;
  case 13:
    if (is(key, "itunes_author")) {
      return H::author;
    }
    if (is(key, "lastbuilddate")) {
      return H::updated;
    }
    break;
  case 14:
    if (is(key, "managingeditor")) {
      return H::author;
    }
    if (is(key, "dc_description")) {
      return H::description;
    }
    if (is(key, "itunes_summary")) {
      return H::summary;
    }
    if (is(key, "dcterms_issued")) {
      return H::published;
    }
    if (is(key, "media_category")) {
      return H::media_category;
    }
    if (is(key, "media_keywords")) {
      return H::media_keywords;
    }
    if (is(key, "dc_contributor")) {
      return H::dc_contributor;
    }
    break;
  case 15:
    if (is(key, "itunes_subtitle")) {
      return H::subtitle;
    }
    if (is(key, "content_encoded")) {
      return H::content_encoded;
    }
    if (is(key, "itunes_category")) {
      return H::itunes_category;
    }
    if (is(key, "itunes_keywords")) {
      return H::itunes_keywords;
    }
    if (is(key, "sy_updateperiod")) {
      return H::sy_period;
    }
    if (is(key, "dcterms_created")) {
      return H::other_text;
    }
    break;
  case 16:
    if (is(key, "dcterms_modified")) {
      return H::updated;
    }
    break;
  case 17:
    if (is(key, "media_description")) {
      return H::description;
    }
    break;
  case 18:
    if (is(key, "sy_updatefrequency")) {
      return H::sy_frequency;
    }
    break;
  default:
    break;
  }
  return std::nullopt;
}

// Pushed frame names are literals so that Frame::name can be a string_view.
constexpr std::string_view k_unknown = "\x01";

std::string_view other_name(std::string_view key) {
  static constexpr std::string_view k_names[] = {"language", "generator", "created",
                                                 "href",     "width",     "height"};
  if (is(key, "language") || is(key, "dc_language")) {
    return k_names[0];
  }
  if (is(key, "generator")) {
    return k_names[1];
  }
  if (is(key, "created") || is(key, "dcterms_created")) {
    return k_names[2];
  }
  if (is(key, "url") || is(key, "uri") || is(key, "homepage")) {
    return k_names[3];
  }
  return is(key, "width") ? k_names[4] : k_names[5];
}

std::optional<std::int64_t> to_int(std::string_view s) {
  s = trim(s);
  std::int64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

} // namespace

int Engine::start(std::string_view tag,
                  std::string_view key,
                  std::span<const Attr> attrs,
                  bool& pushed_unknown) {
  const std::optional<H> found = lookup(key);
  if (!found) {
    (void)tag;
    // feedparser pushes an unknown element only when it has no attributes; otherwise its
    // text flows into the parent.
    if (attrs.empty()) {
      push(k_unknown, true);
      pushed_unknown = true;
    }
    return -1;
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
    entries.emplace_back();
    push("item", false);
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
    push("image", false);
    break;
  case H::textinput:
    m_scratch = Context{};
    m_intextinput = true;
    m_title_depth = -1;
    push("textinput", false);
    break;
  case H::author:
    start_author();
    break;
  case H::contributor:
    m_incontributor = true;
    push("contributor", false);
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
    push("publisher", false);
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
  return static_cast<int>(*found);
}

void Engine::end(std::string_view key, int code, bool pushed_unknown) {
  if (code < 0) {
    if (pushed_unknown) {
      pop(k_unknown);
    }
    return;
  }
  const H h = static_cast<H>(code);
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
      const std::string_view p = trim(*v);
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

void Engine::cdf_common(std::span<const Attr> attrs) {
  // CDF carries the date and link as attributes; feedparser feeds them through the
  // ordinary element handlers.
  if (auto lastmod = attr(attrs, "lastmod")) {
    push("updated", true);
    top().text = *lastmod;
    end_date(false);
  }
  if (auto href = attr(attrs, "href")) {
    start_link({});
    if (m_top > 0 && top().name == "link") {
      top().text = *href;
    }
    pop("link");
  }
}

void Engine::start_author() {
  m_inauthor = true;
  push("author", true);
  context().authors.emplace_back();
}

void Engine::end_author() {
  pop("author");
  m_inauthor = false;
  sync_author_detail();
}

void Engine::save_author(std::string_view key, std::string_view value) {
  Context& c = context();
  if (c.authors.empty()) {
    c.authors.emplace_back();
  }
  (is(key, "name") ? c.authors.back().name : c.authors.back().email) = value;
}

void Engine::sync_author_detail() {
  Context& c = context();
  if (c.authors.empty()) {
    return;
  }
  Author& detail = c.authors.back();
  if (!detail.name.empty() || !detail.email.empty() || !c.author_text || c.author_text->empty()) {
    return;
  }
  static const RE2 k_email(
      R"((([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?)");
  // Every match contains '@': without one the regex cannot match and the name is the text.
  if (c.author_text->find('@') == std::string::npos) {
    detail.name = *c.author_text;
    detail.email.clear();
    return;
  }
  std::string author = *c.author_text;
  std::string email;
  re2::StringPiece m;
  if (RE2::PartialMatch(author, k_email, &m)) {
    email = std::string(m.data(), m.size());
    auto erase_all = [&](std::string_view what) {
      for (auto p = author.find(what); p != std::string::npos; p = author.find(what)) {
        author.erase(p, what.size());
      }
    };
    erase_all(email);
    erase_all("()");
    erase_all("<>");
    erase_all("&lt;&gt;");
    author = std::string(trim(author));
    if (!author.empty() && author.front() == '(') {
      author.erase(0, 1);
    }
    if (!author.empty() && author.back() == ')') {
      author.pop_back();
    }
    author = std::string(trim(author));
  }
  detail.name = author;
  detail.email = email;
}

void Engine::add_tag(std::optional<std::string_view> term,
                     std::optional<std::string_view> scheme,
                     std::optional<std::string_view> label) {
  Context& c = context();
  c.has_tags = true;
  auto empty = [](const std::optional<std::string_view>& s) { return !s || s->empty(); };
  if (empty(term) && empty(scheme) && empty(label)) {
    return;
  }
  // Compared as views: a Tag (three optional strings) is built only when it is new.
  auto same = [](const std::optional<std::string>& a, const std::optional<std::string_view>& b) {
    return a.has_value() == b.has_value() && (!a || std::string_view(*a) == *b);
  };
  for (const auto& x : c.tags) {
    if (same(x.term, term) && same(x.scheme, scheme) && same(x.label, label)) {
      return;
    }
  }
  auto own = [](const std::optional<std::string_view>& v) {
    return v ? std::optional<std::string>(std::in_place, *v) : std::nullopt;
  };
  c.tags.push_back(Tag{own(term), own(scheme), own(label)});
}

void Engine::start_category(std::span<const Attr> attrs, const char* default_scheme) {
  auto scheme = attr(attrs, "scheme");
  if (!scheme) {
    scheme = attr(attrs, "domain");
  }
  if (!scheme && default_scheme) {
    scheme = default_scheme;
  }
  add_tag(attr(attrs, "term"), scheme, attr(attrs, "label"));
  push("category", true);
}

void Engine::end_category() {
  auto v = pop("category");
  if (!v || v->empty()) {
    return;
  }
  Context& c = context();
  if (!c.tags.empty() && (!c.tags.back().term || c.tags.back().term->empty())) {
    c.tags.back().term = *v;
  } else {
    add_tag(*v, std::nullopt, std::nullopt);
  }
}

void Engine::split_tags(std::string_view element, const char* scheme) {
  auto v = pop(element);
  if (!v) {
    return;
  }
  std::string_view s = *v;
  while (true) {
    const auto comma = s.find(',');
    const std::string_view term = trim(s.substr(0, comma));
    if (!term.empty() || scheme == nullptr) {
      add_tag(term, scheme ? std::optional<std::string_view>(scheme) : std::nullopt, std::nullopt);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    s.remove_prefix(comma + 1);
  }
}

void Engine::start_link(std::span<const Attr> attrs) {
  Link l;
  l.rel = attr(attrs, "rel").value_or("alternate");
  l.type = attr(attrs, "type").value_or(l.rel == "self" ? "application/atom+xml" : "text/html");
  l.href = attr(attrs, "url");
  if (!l.href) {
    l.href = attr(attrs, "uri");
  }
  if (!l.href) {
    l.href = attr(attrs, "href");
  }
  if (l.href) {
    l.href = resolve(*l.href);
  }
  l.length = attr(attrs, "length");
  const bool expecting = m_infeed || m_inentry || m_insource;
  Context& c = context();
  const bool has_href = l.href.has_value();
  const std::string type = l.type == "html"    ? "text/html"
                           : l.type == "xhtml" ? "application/xhtml+xml"
                                               : l.type;
  if (has_href && l.rel == "alternate" &&
      (type == "text/html" || type == "application/xhtml+xml")) {
    c.link = *l.href;
  }
  if (!(m_inentry && m_inimage)) {
    c.links.push_back(std::move(l));
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
  auto t = v ? parse_date(*v) : std::nullopt;
  if (published) {
    c.has_published = true;
    c.published = t;
  } else {
    c.has_updated = true;
    c.updated = t;
  }
}

} // namespace reelfeed::parse::detail

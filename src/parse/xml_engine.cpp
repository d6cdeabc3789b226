// Core of the feedparser state machine: DOM walk, namespaces, xml:base, push/pop.
#include <algorithm>
#include <array>

#include "parse/detail.hpp"
#include "parse/xml_engine.hpp"

namespace reelfeed::parse::detail {
namespace {

struct KnownNs {
  std::string_view uri, prefix;
};
// feedparser's namespace table (mixin.py), lower-cased URIs.
constexpr std::array<KnownNs, 71> k_known_ns = {{
    {"", ""},
    {"http://backend.userland.com/rss", ""},
    {"http://blogs.law.harvard.edu/tech/rss", ""},
    {"http://purl.org/rss/1.0/", ""},
    {"http://my.netscape.com/rdf/simple/0.9/", ""},
    {"http://example.com/newformat#", ""},
    {"http://example.com/necho", ""},
    {"http://purl.org/echo/", ""},
    {"uri/of/echo/namespace#", ""},
    {"http://purl.org/pie/", ""},
    {"http://purl.org/atom/ns#", ""},
    {"http://www.w3.org/2005/atom", ""},
    {"http://purl.org/rss/1.0/modules/rss091#", ""},
    {"http://webns.net/mvcb/", "admin"},
    {"http://purl.org/rss/1.0/modules/aggregation/", "ag"},
    {"http://purl.org/rss/1.0/modules/annotate/", "annotate"},
    {"http://media.tangent.org/rss/1.0/", "audio"},
    {"http://backend.userland.com/blogchannelmodule", "blogChannel"},
    {"http://creativecommons.org/ns#license", "cc"},
    {"http://web.resource.org/cc/", "cc"},
    {"http://cyber.law.harvard.edu/rss/creativecommonsrssmodule.html", "creativeCommons"},
    {"http://backend.userland.com/creativecommonsrssmodule", "creativeCommons"},
    {"http://purl.org/rss/1.0/modules/company", "co"},
    {"http://purl.org/rss/1.0/modules/content/", "content"},
    {"http://my.theinfo.org/changed/1.0/rss/", "cp"},
    {"http://purl.org/dc/elements/1.1/", "dc"},
    {"http://purl.org/dc/terms/", "dcterms"},
    {"http://purl.org/rss/1.0/modules/email/", "email"},
    {"http://purl.org/rss/1.0/modules/event/", "ev"},
    {"http://rssnamespace.org/feedburner/ext/1.0", "feedburner"},
    {"http://freshmeat.net/rss/fm/", "fm"},
    {"http://xmlns.com/foaf/0.1/", "foaf"},
    {"http://www.w3.org/2003/01/geo/wgs84_pos#", "geo"},
    {"http://www.georss.org/georss", "georss"},
    {"http://www.opengis.net/gml", "gml"},
    {"http://postneo.com/icbm/", "icbm"},
    {"http://purl.org/rss/1.0/modules/image/", "image"},
    {"http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes"},
    {"http://example.com/dtds/podcast-1.0.dtd", "itunes"},
    {"http://purl.org/rss/1.0/modules/link/", "l"},
    {"http://search.yahoo.com/mrss", "media"},
    {"http://search.yahoo.com/mrss/", "media"},
    {"http://madskills.com/public/xml/rss/module/pingback/", "pingback"},
    {"http://prismstandard.org/namespaces/1.2/basic/", "prism"},
    {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf"},
    {"http://www.w3.org/2000/01/rdf-schema#", "rdfs"},
    {"http://purl.org/rss/1.0/modules/reference/", "ref"},
    {"http://purl.org/rss/1.0/modules/richequiv/", "reqv"},
    {"http://purl.org/rss/1.0/modules/search/", "search"},
    {"http://purl.org/rss/1.0/modules/slash/", "slash"},
    {"http://schemas.xmlsoap.org/soap/envelope/", "soap"},
    {"http://purl.org/rss/1.0/modules/servicestatus/", "ss"},
    {"http://hacks.benhammersley.com/rss/streaming/", "str"},
    {"http://purl.org/rss/1.0/modules/subscription/", "sub"},
    {"http://purl.org/rss/1.0/modules/syndication/", "sy"},
    {"http://schemas.pocketsoap.com/rss/mydescmodule/", "szf"},
    {"http://purl.org/rss/1.0/modules/taxonomy/", "taxo"},
    {"http://purl.org/rss/1.0/modules/threading/", "thr"},
    {"http://purl.org/rss/1.0/modules/textinput/", "ti"},
    {"http://madskills.com/public/xml/rss/module/trackback/", "trackback"},
    {"http://wellformedweb.org/commentapi/", "wfw"},
    {"http://purl.org/rss/1.0/modules/wiki/", "wiki"},
    {"http://www.w3.org/1999/xhtml", "xhtml"},
    {"http://www.w3.org/1999/xlink", "xlink"},
    {"http://www.w3.org/xml/1998/namespace", "xml"},
    {"http://podlove.org/simple-chapters", "psc"},
    {"http://purl.org/syndication/thread/1.0", "thr"},
    {"http://www.google.com/schemas/reader/atom/", "gr"},
    {"http://purl.org/rss/2.0/modules/slash/", "slash"},
    {"http://www.w3.org/2001/xmlschema-instance", "xsi"},
    {"http://schemas.google.com/g/2005", "gd"},
}};

void lower_in_place(std::string& s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  lower_in_place(out);
  return out;
}

const KnownNs* find_ns(std::string_view lower_uri) {
  for (const auto& k : k_known_ns) {
    if (k.uri == lower_uri) {
      return &k;
    }
  }
  if (lower_uri.find("backend.userland.com/rss") != std::string_view::npos) {
    return &k_known_ns[1];
  }
  return nullptr;
}

/// Position of ':' in an element or attribute name. A plain loop: names are a few bytes
/// and memchr's call overhead dominated there (profiled).
std::size_t find_colon(std::string_view n) {
  for (std::size_t i = 0; i < n.size(); ++i) {
    if (n[i] == ':') {
      return i;
    }
  }
  return std::string_view::npos;
}

bool is_relative_uri_element(std::string_view e) {
  return e == "link" || e == "id" || e == "href" || e == "url" || e == "comments" || e == "docs" ||
         e == "icon" || e == "logo" || e == "wfw_comment" || e == "wfw_commentrss";
}

std::string map_content_type(std::string_view t) {
  std::string l = lower(t);
  if (l == "text" || l == "plain") {
    return "text/plain";
  }
  if (l == "html") {
    return "text/html";
  }
  if (l == "xhtml") {
    return "application/xhtml+xml";
  }
  return l;
}

bool ends_with(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

/// feedparser strips a wrapping <div> of Atom xhtml content when it encloses everything.
void unwrap_div(std::string& out) {
  const std::string_view t = trim(out);
  if (!(t.substr(0, 5) == "<div>" || t.substr(0, 5) == "<div ") || !ends_with(t, "</div>")) {
    return;
  }
  int depth = 0;
  std::size_t i = 0;
  const std::size_t last = t.size() - 6;
  while (i < last) {
    const auto lt = t.find('<', i);
    if (lt == std::string_view::npos || lt >= last) {
      break;
    }
    const auto gt = t.find('>', lt);
    if (gt == std::string_view::npos) {
      break;
    }
    if (t[lt + 1] == '/') {
      if (--depth == 0) {
        return; // the first div closes before the end: not a wrapper
      }
    } else if (t[gt - 1] != '/') {
      ++depth;
    }
    i = gt + 1;
  }
  const auto open_end = t.find('>');
  out = std::string(t.substr(open_end + 1, last - open_end - 1));
}

std::string base64_decode(std::string_view in, bool& ok) {
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  for (char c : in) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else if (c == '=') {
      break;
    }
    if (v < 0) {
      continue;
    }
    buf = (buf << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xFF);
    }
  }
  ok = valid_utf8(out);
  return out;
}

} // namespace

std::optional<std::string_view> attr(std::span<const Attr> attrs, std::string_view name) {
  for (const auto& a : attrs) {
    if (a.name == name) {
      return std::string_view(a.value);
    }
  }
  return std::nullopt;
}

void Engine::run(const pugi::xml_document& doc) {
  m_stack.reserve(32);
  for (auto child = doc.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element) {
      element(child);
    }
  }
}

void Engine::track_namespace(std::string_view prefix, std::string_view uri) {
  const std::string low = lower(uri);
  if (version.empty()) {
    if (prefix.empty() && low == "http://my.netscape.com/rdf/simple/0.9/") {
      version = "rss090";
    } else if (low == "http://purl.org/rss/1.0/") {
      version = "rss10";
    } else if (low == "http://www.w3.org/2005/atom") {
      version = "atom10";
    }
  }
  const KnownNs* k = find_ns(low);
  m_ns.push_back(
      {std::string(prefix),
       // A prefix bound to a foreign URI must not pass for a known module's prefix
       // ("content" bound to http://other.example/ns is not content:encoded).
       k ? std::string(k->prefix) : (prefix.empty() ? std::string() : "ns-" + std::string(prefix)),
       k != nullptr});
}

void Engine::element(const pugi::xml_node& node) {
  const std::size_t ns_mark = m_ns.size();
  // One pass over the DOM attributes (each name and value measured once); namespace
  // declarations first take effect, then the other attributes are canonicalised.
  m_raw_attrs.clear();
  for (auto a = node.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view n = a.name();
    const std::string_view v = a.value();
    if (n.size() >= 5 && n.substr(0, 5) == "xmlns" && (n.size() == 5 || n[5] == ':')) {
      if (!v.empty()) {
        track_namespace(n.size() == 5 ? std::string_view{} : n.substr(6), v);
      }
    } else {
      m_raw_attrs.emplace_back(n, v);
    }
  }
  auto canonical = [&](std::string_view prefix) -> std::string_view {
    for (auto it = m_ns.rbegin(); it != m_ns.rend(); ++it) {
      if (it->prefix == prefix) {
        return it->canonical;
      }
    }
    return prefix;
  };
  // Sized before any value is set: a reallocation would move `owned` and leave the views
  // into it dangling.
  if (m_attrs.size() < m_raw_attrs.size()) {
    m_attrs.resize(m_raw_attrs.size());
  }
  std::size_t nattrs = 0;
  std::optional<std::string_view> xml_base, plain_base; // the first of each, as attr() finds
  for (const auto& [n, v] : m_raw_attrs) {
    Attr& at = m_attrs[nattrs++];
    at.name.clear();
    const auto colon = find_colon(n);
    if (colon != std::string_view::npos) {
      const std::string_view p = n.substr(0, colon);
      const std::string_view c = p == "xml" ? "xml" : canonical(p);
      if (!c.empty()) {
        at.name.append(c);
        at.name += ':';
      }
      at.name.append(n.substr(colon + 1));
    } else {
      at.name.append(n);
    }
    lower_in_place(at.name);
    at.value = v; // the DOM outlives the walk
    if (const std::string_view an = at.name; is(an, "rel") || is(an, "type")) {
      at.owned.assign(v);
      lower_in_place(at.owned);
      at.value = at.owned;
    } else if (is(an, "xml:base") && !xml_base) {
      xml_base = at.value;
    } else if (is(an, "base") && !plain_base) {
      plain_base = at.value;
    }
  }
  const std::span<const Attr> attrs(m_attrs.data(), nattrs);

  const std::string_view qname = node.name();
  const auto colon = find_colon(qname);
  const std::string_view given =
      colon == std::string_view::npos ? std::string_view{} : qname.substr(0, colon);
  const std::string_view local = colon == std::string_view::npos ? qname : qname.substr(colon + 1);
  const std::string_view pfx = canonical(given);
  // "prefix_local", lower-cased, on the stack (names are short); the tag is its tail.
  std::array<char, 64> key_buf;
  std::string key_heap;
  const std::size_t key_len = (pfx.empty() ? 0 : pfx.size() + 1) + local.size();
  char* kp = key_buf.data();
  if (key_len > key_buf.size()) {
    key_heap.resize(key_len);
    kp = key_heap.data();
  }
  {
    char* w = kp;
    if (!pfx.empty()) {
      w = std::copy(pfx.begin(), pfx.end(), w);
      *w++ = '_';
    }
    std::copy(local.begin(), local.end(), w);
    for (std::size_t i = 0; i < key_len; ++i) {
      if (kp[i] >= 'A' && kp[i] <= 'Z') {
        kp[i] = static_cast<char>(kp[i] - 'A' + 'a');
      }
    }
  }
  const std::string_view key(kp, key_len);
  const std::string_view tag = key.substr(key_len - local.size());
  const std::string_view tv = tag;

  // unknown_starttag: depth, xml:base, then dispatch.
  ++m_depth;
  const std::optional<std::string_view> base_attr = xml_base ? xml_base : plain_base;
  // feedparser keeps a base per element and, on the way out, restores the parent's only
  // when that one is non-empty; saving the old base just where xml:base occurs is the same.
  std::optional<std::string> saved_base;
  if (base_attr) {
    saved_base = m_base;
    if (!m_base.empty()) {
      std::string nb = safe_absolute_uri(m_base, *base_attr);
      if (!nb.empty()) {
        m_base = std::move(nb);
      }
    } else {
      m_base = urljoin(m_base, *base_attr);
    }
  }

  bool serialized = false, skipped_div = false, pushed_unknown = false;
  int code = -1;
  if (m_incontent > 0 && !cp_xmlish()) {
    if (is(tv, "div")) {
      skipped_div = true;
    } else {
      m_cp.type = "application/xhtml+xml";
    }
  }
  if (!skipped_div && m_incontent > 0 && cp_xhtml()) {
    // Serialise the start tag straight into the content being collected (escape=0).
    if (m_top > 0) {
      std::string& out = top().text;
      out += '<';
      out += tag;
      for (const auto& a : attrs) {
        out += ' ';
        out += a.name;
        out += "=\"";
        std::size_t from = 0;
        const std::string_view v = a.value;
        while (true) {
          const std::size_t q = v.find_first_of("\"&<>", from);
          out.append(
              v.substr(from, q == std::string_view::npos ? std::string_view::npos : q - from));
          if (q == std::string_view::npos) {
            break;
          }
          out += v[q] == '"' ? "&quot;" : v[q] == '&' ? "&amp;" : v[q] == '<' ? "&lt;" : "&gt;";
          from = q + 1;
        }
        out += '"';
      }
      out += '>';
    }
    serialized = true;
  }
  if (!skipped_div && !serialized) {
    if (pfx.empty() && !is(tv, "title") && !is(tv, "link") && !is(tv, "description") &&
        !is(tv, "name")) {
      m_intextinput = false;
    }
    if (pfx.empty() && !is(tv, "title") && !is(tv, "link") && !is(tv, "description") &&
        !is(tv, "url") && !is(tv, "href") && !is(tv, "width") && !is(tv, "height")) {
      m_inimage = false;
    }
    code = start(tag, key, attrs, pushed_unknown);
  }

  for (auto child = node.first_child(); child; child = child.next_sibling()) {
    switch (child.type()) {
    case pugi::node_element:
      element(child);
      break;
    case pugi::node_pcdata:
    case pugi::node_cdata:
      handle_data(child.value());
      break;
    default:
      break;
    }
  }

  // unknown_endtag
  if (!serialized && !skipped_div) {
    end(key, code, pushed_unknown);
  }
  bool early = false;
  if (m_incontent > 0 && !cp_xmlish()) {
    if (is(tv, "div")) {
      early = true; // feedparser returns before popping base/depth here
    } else {
      m_cp.type = "application/xhtml+xml";
    }
  }
  if (!early) {
    if (m_incontent > 0 && cp_xhtml()) {
      if (m_top > 0) { // no temporary "</" + tag + ">" string
        std::string& out = top().text;
        out += "</";
        out += tag;
        out += '>';
      }
    }
    if (saved_base && !saved_base->empty()) {
      m_base = std::move(*saved_base);
    }
    --m_depth;
  }
  m_ns.resize(ns_mark);
}

void Engine::handle_data(std::string_view text, bool escape) {
  if (m_top == 0) {
    return;
  }
  if (escape && cp_xhtml()) {
    html_escape_append(top().text, text);
  } else {
    top().text.append(text);
  }
}

void Engine::push(std::string_view name, bool expecting) {
  if (m_top == m_stack.size()) {
    m_stack.emplace_back();
  }
  Frame& f = m_stack[m_top++];
  f.name = name;
  f.expecting_text = expecting;
  f.text.clear();
}

std::string Engine::resolve(std::string_view uri) const {
  return urljoin(m_base, uri);
}

Context& Engine::context() {
  if (m_insource || (m_inimage && m_feed_has_image) || m_intextinput) {
    return m_scratch;
  }
  if (m_inentry && !entries.empty()) {
    return entries.back();
  }
  return feed;
}

std::optional<std::string_view> Engine::pop(std::string_view element, bool strip) {
  // Frame names are literals: the same pointer is the common way to match.
  if (m_top == 0 ||
      !((top().name.data() == element.data() && top().name.size() == element.size()) ||
        top().name == element)) {
    return std::nullopt;
  }
  // The value is worked on in the frame's own buffer, which keeps its capacity for the next
  // element at this depth; values that are stored whole are moved out of it instead.
  Frame& f = m_stack[--m_top];
  std::string& output = f.text;
  if (std::string_view(version) == "atom10" && cp_xhtml()) {
    unwrap_div(output);
  }
  if (strip) {
    const std::string_view t = trim(output);
    if (t.size() != output.size()) {
      const auto lead = static_cast<std::size_t>(t.data() - output.data());
      output.resize(lead + t.size());
      output.erase(0, lead); // in place: content values can be large
    }
  }
  if (!f.expecting_text) {
    return std::string_view(output);
  }
  if (m_cp.base64) {
    bool ok = false;
    std::string dec = base64_decode(output, ok);
    if (ok) {
      output = std::move(dec);
    }
  }
  if (is_relative_uri_element(element) && !output.empty() && (element != "id" || m_guidislink)) {
    output = resolve(output);
  }
  if (!std::string_view(version).starts_with("atom") &&
      std::string_view(m_cp.type) == "text/plain" && looks_like_html(output)) {
    m_cp.type = "text/html";
  }
  m_cp.base64 = false;
  if (!all_ascii(output)) { // both repairs rewrite only non-ASCII text: one scan decides
    if (m_doc_utf8) {
      repair_mojibake(output);
    }
    map_cp1252(output);
  }
  if (is(element, "category") || is(element, "tags") || is(element, "itunes_keywords")) {
    return std::string_view(output);
  }
  if (is(element, "title") && m_title_depth > -1 && m_title_depth <= m_depth) {
    return std::string_view(output);
  }
  auto fix_link = [](std::string s) {
    if (s.find('&') == std::string::npos) {
      return s; // the common case: nothing to rewrite
    }
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '&') {
        std::size_t j = i + 1;
        while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) {
          ++j;
        }
        if (j > i + 1 && j < s.size() && s[j] == ';') {
          out.append(s, i, j - i);
          i = j;
          continue;
        }
      }
      out += s[i];
    }
    return out;
  };
  if (m_inentry && !m_insource && !entries.empty()) {
    Context& e = entries.back();
    if (is(element, "content")) {
      // end_content only tests the result's presence (feedparser's summary copy, never
      // printed), so the value moves into contents instead of being copied.
      e.contents.push_back({m_cp.type, std::move(output)});
      return std::string_view();
    } else if (is(element, "link")) {
      if (!m_inimage) {
        // No '&' (the common case): nothing to decode, skip the byte-by-byte copy.
        // The result of pop("link") is unused by its callers: the value moves out.
        const bool plain = output.find('&') == std::string::npos;
        std::string o = plain ? std::move(output) : std::string();
        for (std::size_t i = 0; !plain && i < output.size(); ++i) {
          if (output.compare(i, 5, "&amp;") == 0) {
            o += '&';
            i += 4;
          } else {
            o += output[i];
          }
        }
        o = fix_link(std::move(o));
        if (!e.links.empty()) {
          e.links.back().href = o;
        }
        e.link = std::move(o);
        return std::string_view();
      }
    } else {
      auto store = [&](std::optional<std::string>& field, int& depth) {
        if (depth < 0 || m_depth <= depth) {
          depth = m_depth;
          field = output;
        }
      };
      if (is(element, "title")) {
        store(e.title, e.title_depth);
        if (m_incontent > 0) {
          e.title_type = m_cp.type;
        }
      } else if (is(element, "id")) {
        store(e.id, e.id_depth);
      } else if (is(element, "description") || is(element, "summary")) {
        // end_summary_like ignores the result: move the (often large) value.
        if (e.summary_depth < 0 || m_depth <= e.summary_depth) {
          e.summary_depth = m_depth;
          e.summary = std::move(output);
        }
        if (m_incontent > 0) {
          e.summary_type = m_cp.type;
          e.has_summary_detail = true;
        }
      } else if (is(element, "author")) {
        // end_author ignores the result: move it.
        if (e.author_depth < 0 || m_depth <= e.author_depth) {
          e.author_depth = m_depth;
          e.author_text = std::move(output);
        }
        return std::string_view();
      }
    }
  } else if (m_infeed || m_insource) {
    Context& c = context();
    if (is(element, "title")) {
      c.title = output;
      if (m_incontent > 0) {
        c.title_type = m_cp.type;
      }
    } else if (is(element, "link")) {
      c.link = fix_link(output);
      if (!c.links.empty()) {
        c.links.back().href = *c.link;
      }
    } else if (is(element, "id")) {
      c.id = output;
    } else if (is(element, "author")) {
      c.author_text = output;
    }
  }
  return std::string_view(output);
}

void Engine::push_content(std::string_view tag,
                          std::span<const Attr> attrs,
                          std::string_view default_type,
                          bool expecting) {
  ++m_incontent;
  m_cp = ContentParams{};
  m_cp.active = true;
  auto t = attr(attrs, "type");
  m_cp.type = map_content_type(t ? std::string_view(*t) : default_type);
  const auto mode = attr(attrs, "mode");
  if (mode && *mode == "base64") {
    m_cp.base64 = true;
  } else if (m_cp.type.rfind("text/", 0) == 0 || ends_with(m_cp.type, "+xml") ||
             ends_with(m_cp.type, "/xml")) {
    m_cp.base64 = false;
  } else {
    m_cp.base64 = true;
  }
  push(tag, expecting);
}

std::optional<std::string_view> Engine::pop_content(std::string_view tag) {
  auto v = pop(tag);
  --m_incontent;
  m_cp = ContentParams{};
  return v;
}

} // namespace reelfeed::parse::detail

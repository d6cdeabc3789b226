#include "render/sanitize.hpp"

#include "render/text.hpp"
#include "util/trim.hpp"

#include <curl/curl.h>
#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <optional>

namespace reelfeed::render {

namespace {

enum class Policy { keep, unwrap, drop };

/// Elements that execute code, embed other documents, submit data or only make sense in
/// a document head: removed together with everything inside them.
constexpr std::array k_dropped = {
    GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE,    GUMBO_TAG_IFRAME,   GUMBO_TAG_OBJECT, GUMBO_TAG_EMBED,
    GUMBO_TAG_FORM,   GUMBO_TAG_NOSCRIPT, GUMBO_TAG_TEMPLATE, GUMBO_TAG_FRAME,  GUMBO_TAG_FRAMESET,
    GUMBO_TAG_APPLET, GUMBO_TAG_NOFRAMES, GUMBO_TAG_BASE,     GUMBO_TAG_META,   GUMBO_TAG_LINK,
    GUMBO_TAG_TITLE,  GUMBO_TAG_HEAD,     GUMBO_TAG_SVG,      GUMBO_TAG_MATH,   GUMBO_TAG_INPUT,
    GUMBO_TAG_BUTTON, GUMBO_TAG_TEXTAREA, GUMBO_TAG_SELECT,   GUMBO_TAG_OPTION, GUMBO_TAG_PARAM,
    GUMBO_TAG_KEYGEN};

constexpr std::array k_kept = {
    GUMBO_TAG_A,          GUMBO_TAG_ABBR,   GUMBO_TAG_B,      GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_BR,
    GUMBO_TAG_CAPTION,    GUMBO_TAG_CITE,   GUMBO_TAG_CODE,   GUMBO_TAG_DD,         GUMBO_TAG_DEL,
    GUMBO_TAG_DFN,        GUMBO_TAG_DIV,    GUMBO_TAG_DL,     GUMBO_TAG_DT,         GUMBO_TAG_EM,
    GUMBO_TAG_FIGCAPTION, GUMBO_TAG_FIGURE, GUMBO_TAG_H1,     GUMBO_TAG_H2,         GUMBO_TAG_H3,
    GUMBO_TAG_H4,         GUMBO_TAG_H5,     GUMBO_TAG_H6,     GUMBO_TAG_HR,         GUMBO_TAG_I,
    GUMBO_TAG_IMG,        GUMBO_TAG_INS,    GUMBO_TAG_KBD,    GUMBO_TAG_LI,         GUMBO_TAG_MARK,
    GUMBO_TAG_OL,         GUMBO_TAG_P,      GUMBO_TAG_PRE,    GUMBO_TAG_Q,          GUMBO_TAG_S,
    GUMBO_TAG_SMALL,      GUMBO_TAG_SPAN,   GUMBO_TAG_STRONG, GUMBO_TAG_SUB,        GUMBO_TAG_SUP,
    GUMBO_TAG_TABLE,      GUMBO_TAG_TBODY,  GUMBO_TAG_TD,     GUMBO_TAG_TFOOT,      GUMBO_TAG_TH,
    GUMBO_TAG_THEAD,      GUMBO_TAG_TIME,   GUMBO_TAG_TR,     GUMBO_TAG_U,          GUMBO_TAG_UL,
    GUMBO_TAG_WBR};

constexpr std::array<std::string_view, 13> k_attributes = {
    "href",     "src",     "alt",     "title", "width", "height", "cite",
    "datetime", "colspan", "rowspan", "lang",  "dir",   "start"};

bool is_url_attribute(std::string_view name) {
  return name == "href" || name == "src" || name == "cite";
}

bool is_void(GumboTag tag) {
  return tag == GUMBO_TAG_BR || tag == GUMBO_TAG_HR || tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_WBR;
}

Policy policy_for(const GumboElement& el) {
  // Foreign content (inside svg/math) can carry scripts under HTML-looking names.
  if (el.tag_namespace != GUMBO_NAMESPACE_HTML) {
    return Policy::drop;
  }
  if (std::find(k_dropped.begin(), k_dropped.end(), el.tag) != k_dropped.end()) {
    return Policy::drop;
  }
  if (std::find(k_kept.begin(), k_kept.end(), el.tag) != k_kept.end()) {
    return Policy::keep;
  }
  return Policy::unwrap;
}

struct GumboDeleter {
  void operator()(GumboOutput* out) const { gumbo_destroy_output(&kGumboDefaultOptions, out); }
};
using GumboPtr = std::unique_ptr<GumboOutput, GumboDeleter>;

GumboPtr parse_fragment(const std::string& html) {
  GumboOptions options = kGumboDefaultOptions;
  options.fragment_context = GUMBO_TAG_DIV;
  return GumboPtr(gumbo_parse_with_options(&options, html.data(), html.size()));
}

struct CurluDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using CurluPtr = std::unique_ptr<CURLU, CurluDeleter>;

struct CurlFree {
  void operator()(char* p) const { curl_free(p); }
};

/// A reference without a scheme ("/a", "b.png", "//host/x", "?q", "#f").
bool is_relative(std::string_view url) {
  for (const char c : url) {
    if (c == ':') {
      return false;
    }
    if (c == '/' || c == '?' || c == '#') {
      return true;
    }
  }
  return true;
}

/// Resolves relative references against one base URL; the libcurl handle is made on the
/// first relative reference (most content has none).
class Resolver {
public:
  explicit Resolver(std::string_view base) : m_base(base) {}

  /// nullopt: keep the value as it is (absolute, or no usable base); "" drops it.
  std::optional<std::string> resolve(std::string_view value) {
    const std::string_view ref = util::trim_c0_and_space(value);
    if (m_base.empty() || !is_relative(ref)) {
      return std::nullopt;
    }
    if (!m_handle && !init()) {
      return std::nullopt;
    }
    // libcurl 7.88 resolves "#f" and "?q" against the base's folder, not its document
    // (RFC 3986 5.2.2 keeps the whole path): those two are joined here.
    if (ref.starts_with('#')) {
      return clean_ref(m_base.substr(0, m_base.find('#')), ref);
    }
    if (ref.starts_with('?')) {
      return clean_ref(m_base.substr(0, m_base.find_first_of("?#")), ref);
    }
    const CurluPtr u(curl_url_dup(m_handle.get()));
    const std::string r(ref);
    // With a URL already in the handle, a relative one is resolved against it (RFC 3986).
    if (!u || curl_url_set(u.get(), CURLUPART_URL, r.c_str(), CURLU_URLENCODE) != CURLUE_OK) {
      return std::string{};
    }
    char* raw = nullptr;
    if (curl_url_get(u.get(), CURLUPART_URL, &raw, 0) != CURLUE_OK || raw == nullptr) {
      return std::string{};
    }
    const std::unique_ptr<char, CurlFree> out(raw);
    return std::string(out.get());
  }

private:
  /// base + ref, with what libcurl would have percent-encoded (spaces, controls) encoded.
  static std::string clean_ref(std::string_view base, std::string_view ref) {
    std::string out(base);
    for (const char c : ref) {
      if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>') {
        static constexpr char k_hex[] = "0123456789ABCDEF";
        const auto u = static_cast<unsigned char>(c);
        out += '%';
        out += k_hex[u >> 4];
        out += k_hex[u & 0xF];
      } else {
        out += c;
      }
    }
    return out;
  }

  bool init() {
    const std::string base(m_base);
    CurluPtr h(curl_url());
    char* scheme = nullptr;
    if (!h || curl_url_set(h.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK ||
        curl_url_get(h.get(), CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
      m_base = {};
      return false;
    }
    const std::unique_ptr<char, CurlFree> s(scheme);
    const std::string_view sv(s.get());
    if (sv != "http" && sv != "https") {
      m_base = {};
      return false;
    }
    m_handle = std::move(h);
    return true;
  }

  std::string_view m_base;
  CurluPtr m_handle;
};

void write_attribute(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  append_html_escaped(out, value, true);
  out += '"';
}

void write_attributes(std::string& out, const GumboElement& el, Resolver& resolver) {
  for (unsigned i = 0; i < el.attributes.length; ++i) {
    const auto* attr = static_cast<const GumboAttribute*>(el.attributes.data[i]);
    const std::string_view name = attr->name;
    if (std::find(k_attributes.begin(), k_attributes.end(), name) == k_attributes.end()) {
      continue;
    }
    if (is_url_attribute(name)) {
      if (!safe_url(attr->value)) {
        continue;
      }
      if (std::optional<std::string> absolute = resolver.resolve(attr->value)) {
        if (!absolute->empty() && safe_url(*absolute)) {
          write_attribute(out, name, clean_text(*absolute));
        }
        continue;
      }
    }
    write_attribute(out, name, attr->value);
  }
}

void write_node(std::string& out, const GumboNode& node, Resolver& resolver) {
  switch (node.type) {
  case GUMBO_NODE_TEXT:
  case GUMBO_NODE_WHITESPACE:
  case GUMBO_NODE_CDATA:
    append_html_escaped(out, node.v.text.text, false);
    return;
  case GUMBO_NODE_ELEMENT:
    break;
  default: // comments, templates, documents
    return;
  }
  const GumboElement& el = node.v.element;
  const Policy policy = policy_for(el);
  if (policy == Policy::drop) {
    return;
  }
  const char* name = gumbo_normalized_tagname(el.tag);
  if (policy == Policy::keep) {
    out += '<';
    out += name;
    write_attributes(out, el, resolver);
    out += '>';
    if (is_void(el.tag)) {
      return;
    }
  }
  for (unsigned i = 0; i < el.children.length; ++i) {
    write_node(out, *static_cast<const GumboNode*>(el.children.data[i]), resolver);
  }
  if (policy == Policy::keep) {
    out += "</";
    out += name;
    out += '>';
  }
}

void collect_text(std::string& out, const GumboNode& node) {
  if (node.type == GUMBO_NODE_TEXT || node.type == GUMBO_NODE_WHITESPACE ||
      node.type == GUMBO_NODE_CDATA) {
    out += node.v.text.text;
    return;
  }
  if (node.type != GUMBO_NODE_ELEMENT || policy_for(node.v.element) == Policy::drop) {
    return;
  }
  const GumboElement& el = node.v.element;
  for (unsigned i = 0; i < el.children.length; ++i) {
    collect_text(out, *static_cast<const GumboNode*>(el.children.data[i]));
  }
  // Block boundaries separate words ("<p>a</p><p>b</p>" is "a b", not "ab").
  if (el.tag != GUMBO_TAG_A && el.tag != GUMBO_TAG_B && el.tag != GUMBO_TAG_I &&
      el.tag != GUMBO_TAG_EM && el.tag != GUMBO_TAG_STRONG && el.tag != GUMBO_TAG_SPAN) {
    out += ' ';
  }
}

} // namespace

bool safe_url(std::string_view url) {
  // Browsers ignore ASCII whitespace and controls inside a scheme ("java\tscript:").
  std::string scheme;
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20) {
      continue;
    }
    if (c == ':') {
      return scheme == "http" || scheme == "https" || scheme == "mailto";
    }
    if (c == '/' || c == '?' || c == '#') {
      return true; // relative reference: no scheme
    }
    scheme += static_cast<char>(std::tolower(u));
  }
  return true;
}

std::string sanitize_html(std::string_view html, std::string_view base) {
  const std::string clean = clean_text(html);
  const GumboPtr doc = parse_fragment(clean);
  std::string out;
  out.reserve(clean.size());
  if (doc && doc->root) {
    Resolver resolver(base);
    write_node(out, *doc->root, resolver);
    // The fragment root is the synthetic <html> (unwrapped, so no markup of its own).
  }
  // Character references ("&#x1;") decode to characters XML forbids.
  return clean_text(out);
}

std::string html_to_collapsed_text(std::string_view html) {
  const std::string clean = clean_text(html);
  const GumboPtr doc = parse_fragment(clean);
  std::string raw;
  if (doc && doc->root) {
    collect_text(raw, *doc->root);
  }
  return plain_text(raw);
}

} // namespace reelfeed::render

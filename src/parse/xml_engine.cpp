// Core of the feedparser state machine: the DOM walk (attributes, xml:base, element names)
// and the element stack (push, context); namespaces and popped-text handling live apart.
#include <algorithm>
#include <array>
#include <cstring>

#include "parse/detail.hpp"
#include "parse/xml_engine.hpp"

namespace reelfeed::parse::detail {
namespace {

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

} // namespace

void Engine::run(const pugi::xml_document& doc) {
  m_stack.reserve(32);
  for (auto child = doc.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element) {
      element(child);
    }
  }
}
void Engine::element(const pugi::xml_node& node) { // NOLINT(readability-function-size)
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

  // "prefix_local", lower-cased, on the stack (names are short); the tag is its tail. One
  // loop measures and lower-cases the name and finds the colon (no strlen call); most
  // names have no prefix and are done.
  std::array<char, 64> key_buf;
  std::string key_heap;
  char* kp = key_buf.data();
  std::size_t colon = std::string_view::npos;
  const char* const qn = node.name();
  std::size_t qlen = 0;
  auto take = [&](char c) {
    if (c == ':' && colon == std::string_view::npos) {
      colon = qlen;
    }
    kp[qlen] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  for (char c; (c = qn[qlen]) != '\0'; ++qlen) {
    if (qlen + 1 == key_buf.size()) { // a long name: the rest goes to the heap
      const std::size_t n = qlen + std::strlen(qn + qlen);
      key_heap.resize(n + 1);
      std::memcpy(key_heap.data(), key_buf.data(), qlen);
      kp = key_heap.data();
      for (; qlen < n; ++qlen) {
        take(qn[qlen]);
      }
      break;
    }
    take(c);
  }
  const std::string_view qname(qn, qlen);
  // Names without a colon take the default namespace's canonical prefix (often none).
  const std::size_t local_start = colon == std::string_view::npos ? 0 : colon + 1;
  const std::string_view pfx =
      canonical(colon == std::string_view::npos ? std::string_view{} : qname.substr(0, colon));
  const std::size_t local_len = qname.size() - local_start;
  const std::size_t key_len = (pfx.empty() ? 0 : pfx.size() + 1) + local_len;
  if (key_len != qname.size() || local_start != 0) {
    const std::size_t cap = kp == key_buf.data() ? key_buf.size() : key_heap.size();
    if (key_len > cap) {
      std::string bigger(key_len, '\0');
      std::memcpy(bigger.data() + key_len - local_len, kp + local_start, local_len);
      key_heap = std::move(bigger);
      kp = key_heap.data();
    } else {
      // The lowered local part moves to after "pfx_" (the ranges may overlap).
      std::memmove(kp + key_len - local_len, kp + local_start, local_len);
    }
    if (!pfx.empty()) {
      for (std::size_t i = 0; i < pfx.size(); ++i) {
        const char c = pfx[i];
        kp[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      }
      kp[pfx.size()] = '_';
    }
  }
  const std::string_view key(kp, key_len);
  const std::string_view tag = key.substr(key_len - local_len);
  const std::string_view tv = tag;

  // unknown_starttag: depth, xml:base, then dispatch.
  ++m_depth;
  const std::optional<std::string_view> base_attr = xml_base ? xml_base : plain_base;
  // feedparser keeps a base per element and, on the way out, restores the parent's only
  // when that one is non-empty; saving the old base just where xml:base occurs is the same.
  std::optional<std::string> saved_base;
  if (base_attr) {
    saved_base = std::move(m_base); // moved aside, not copied: it comes back on the way out
    const std::string& old = *saved_base;
    if (!old.empty()) {
      std::string nb = safe_absolute_uri(old, *base_attr);
      set_base(nb.empty() ? old : nb);
    } else {
      set_base(urljoin(old, *base_attr));
    }
  }

  bool serialized = false, skipped_div = false, pushed_unknown = false;
  std::optional<xml_keys::H> handler;
  if (m_incontent > 0 && !cp_xmlish()) {
    if (is(tv, "div")) {
      skipped_div = true;
    } else {
      m_cp.type = "application/xhtml+xml";
    }
  }
  if (!skipped_div && m_incontent > 0 && cp_xhtml()) {
    // Serialise the start tag straight into the content being collected (escape=0).
    if (m_top > 0 && !top().discard) {
      std::string& out = top().text;
      out += '<';
      out += tag;
      for (const auto& a : attrs) {
        out += ' ';
        out += a.name;
        out += "=\"";
        // A byte loop: find_first_of calls memchr on the 4-byte set for every byte.
        const std::string_view v = a.value;
        std::size_t from = 0;
        for (std::size_t q = 0; q < v.size(); ++q) {
          const char c = v[q];
          if (c == '"' || c == '&' || c == '<' || c == '>') {
            out.append(v.substr(from, q - from));
            out += c == '"' ? "&quot;" : c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;";
            from = q + 1;
          }
        }
        out.append(v.substr(from));
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
    handler = start(key, attrs, pushed_unknown);
  }

  for (auto child = node.first_child(); child; child = child.next_sibling()) {
    switch (child.type()) {
    case pugi::node_element:
      element(child);
      break;
    case pugi::node_pcdata:
    case pugi::node_cdata:
      if (m_top > 0 && !top().discard) { // not even measured otherwise (the whitespace
        handle_data(child.value());      // between an item's children, mostly)
      }
      break;
    default:
      break;
    }
  }

  // unknown_endtag
  if (!serialized && !skipped_div) {
    end(key, handler, pushed_unknown);
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
      if (m_top > 0 && !top().discard) { // no temporary "</" + tag + ">" string
        std::string& out = top().text;
        out += "</";
        out += tag;
        out += '>';
      }
    }
    if (saved_base && !saved_base->empty()) {
      set_base(std::move(*saved_base));
    }
    --m_depth;
  }
  m_ns.resize(ns_mark);
}

void Engine::handle_data(std::string_view text, bool escape) {
  if (m_top == 0 || top().discard) {
    return;
  }
  if (escape && cp_xhtml()) {
    html_escape_append(top().text, text);
  } else {
    top().text.append(text);
  }
}

void Engine::push(std::string_view name, bool expecting, bool discard) {
  if (m_top == m_stack.size()) {
    m_stack.emplace_back();
  }
  Frame& f = m_stack[m_top++];
  f.name = name;
  f.expecting_text = expecting;
  f.discard = discard;
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
} // namespace reelfeed::parse::detail

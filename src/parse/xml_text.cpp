// What an element's text becomes when it is popped: feedparser's pop() (base64, xhtml
// div unwrapping, relative URIs, mojibake, html detection) and the content-type tracking
// of push_content/pop_content.
#include <algorithm>

#include "parse/detail.hpp"
#include "parse/xml_engine.hpp"

namespace reelfeed::parse::detail {
namespace {

bool is_relative_uri_element(std::string_view e) {
  return e == "link" || e == "id" || e == "href" || e == "url" || e == "comments" || e == "docs" ||
         e == "icon" || e == "logo" || e == "wfw_comment" || e == "wfw_commentrss";
}

/// out = the mapped, lower-cased type, built in out's own buffer (m_cp.type keeps its
/// capacity from one content element to the next).
void map_content_type(std::string_view t, std::string& out) {
  out.assign(t);
  lower_in_place(out);
  const std::string_view l = out;
  if (is(l, "text") || is(l, "plain")) {
    out.assign("text/plain");
  } else if (is(l, "html")) {
    out.assign("text/html");
  } else if (is(l, "xhtml")) {
    out.assign("application/xhtml+xml");
  }
}

bool ends_with(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

/// feedparser strips a wrapping <div> of Atom xhtml content when it encloses everything.
void unwrap_div(std::string& out) {
  const std::string_view t = util::trim_ascii_whitespace(out);
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

// NOLINTNEXTLINE(readability-function-size): feedparser's pop(), step for step
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
  if (f.discard) { // its callers ignore the value: only the state changes remain
    if (f.expecting_text) {
      m_cp.base64 = false;
    }
    return std::string_view();
  }
  std::string& output = f.text;
  if (std::string_view(version) == "atom10" && cp_xhtml()) {
    unwrap_div(output);
  }
  if (strip) {
    const std::string_view t = util::trim_ascii_whitespace(output);
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
  if (is_relative_uri_element(element) && !output.empty() && (element != "id" || m_guidislink) &&
      !base_keeps(output)) {
    output = resolve(output);
  }
  if (!std::string_view(version).starts_with("atom") &&
      std::string_view(m_cp.type) == "text/plain" && looks_like_html(output)) {
    m_cp.type = "text/html";
  }
  m_cp.base64 = false;
  // Both repairs rewrite only non-ASCII text: one scan decides, and they start past the
  // ASCII prefix it measured (repair_mojibake keeps that prefix as it is).
  if (const std::size_t ascii = ascii_len(output); ascii != output.size()) {
    if (m_doc_utf8) {
      repair_mojibake(output, ascii);
    }
    map_cp1252(output, ascii);
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
  std::optional<std::string_view> stored;
  if (m_inentry && !m_insource && !entries.empty()) {
    Context& e = entries.back();
    if (is(element, "content")) {
      // end_content only tests the result's presence (feedparser's summary copy, never
      // printed), so the value moves into the context instead of being copied.
      if (!e.content) { // later ones are never printed: not kept
        e.content = Content{m_cp.type, std::move(output)};
      }
      return std::string_view();
    } else if (is(element, "link")) {
      if (!m_inimage) {
        // No '&' (the common case): nothing to decode, skip the byte-by-byte copy.
        // The result of pop("link") is unused by its callers: the value moves out.
        const bool plain = output.find('&') == std::string::npos;
        std::string o;
        if (plain) {
          o = std::move(output);
        } else {
          for (std::size_t i = 0; i < output.size(); ++i) {
            if (output.compare(i, 5, "&amp;") == 0) {
              o += '&';
              i += 4;
            } else {
              o += output[i];
            }
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
      // The value moves into the field (the callers only read the returned view, which
      // then points into the field): no copy of every title and id.
      auto store = [&](std::optional<std::string>& field, int& depth) {
        if (depth < 0 || m_depth <= depth) {
          depth = m_depth;
          field = std::move(output);
          stored = std::string_view(*field);
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
  // A value moved into its field comes back through `stored`; `output` is read only when
  // it kept its value.
  return stored ? *stored : std::string_view(output); // NOLINT(bugprone-use-after-move)
}

void Engine::push_content(std::string_view tag,
                          std::span<const Attr> attrs,
                          std::string_view default_type,
                          bool expecting) {
  ++m_incontent;
  m_cp.active = true;
  m_cp.base64 = false;
  auto t = attr(attrs, "type");
  map_content_type(t ? std::string_view(*t) : default_type, m_cp.type);
  const auto mode = attr(attrs, "mode");
  const bool textual = m_cp.type.rfind("text/", 0) == 0 || ends_with(m_cp.type, "+xml") ||
                       ends_with(m_cp.type, "/xml");
  m_cp.base64 = (mode && *mode == "base64") || !textual;
  push(tag, expecting);
}

std::optional<std::string_view> Engine::pop_content(std::string_view tag) {
  auto v = pop(tag);
  --m_incontent;
  m_cp.type.clear(); // ContentParams{} without giving up the type's buffer
  m_cp.active = false;
  m_cp.base64 = false;
  return v;
}

} // namespace reelfeed::parse::detail

// Pre-pass that turns the breakage real feeds contain into well-formed XML before pugixml
// sees it. pugixml stops at the first structural error and keeps undefined entities as
// literal text, whereas feedparser (the reference) decodes HTML entities and tolerates bare
// '&'. Only one linear scan; the input is copied only when something is fixed.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "parse/detail.hpp"

namespace reelfeed::parse::detail {
namespace {

constexpr std::array<bool, 256> make_special() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) {
    t[static_cast<std::size_t>(c)] = c != '\t' && c != '\n' && c != '\r';
  }
  t['&'] = true;
  t['<'] = true;
  return t;
}
constexpr std::array<bool, 256> k_special = make_special();

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

} // namespace

std::size_t xml_ref_len(std::string_view s, std::size_t i) {
  // The references escaped HTML is made of, recognised without the general scan.
  const std::string_view head = s.substr(i + 1, 5);
  if (head.starts_with("amp;")) {
    return 5;
  }
  if (head.starts_with("lt;") || head.starts_with("gt;")) {
    return 4;
  }
  if (head.starts_with("quot;")) {
    return 6;
  }
  std::size_t j = i + 1;
  if (j < s.size() && s[j] == '#') {
    ++j;
    const bool hex = j < s.size() && s[j] == 'x';
    if (hex) {
      ++j;
    }
    const std::size_t start = j;
    while (j < s.size() && (hex ? std::isxdigit(static_cast<unsigned char>(s[j])) != 0
                                : (s[j] >= '0' && s[j] <= '9'))) {
      ++j;
    }
    return (j > start && j < s.size() && s[j] == ';' && j - start < 9) ? j + 1 - i : 0;
  }
  while (j < s.size() && is_name_char(s[j])) {
    ++j;
  }
  if (j == i + 1 || j >= s.size() || s[j] != ';') {
    return 0;
  }
  const std::string_view name = s.substr(i + 1, j - i - 1);
  if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") {
    return j + 1 - i;
  }
  return 0;
}

namespace {

class Fixer {
public:
  Fixer(std::string_view in, std::string& out) : m_in(in), m_out(out) {}
  void replace(std::size_t from, std::size_t to, std::string_view with) {
    if (!m_changed) {
      m_out.clear();
      m_out.reserve(m_in.size() + 64);
      m_changed = true;
    }
    m_out.append(m_in.substr(m_copied, from - m_copied));
    m_out.append(with);
    m_copied = to;
  }
  bool finish() {
    if (m_changed) {
      m_out.append(m_in.substr(m_copied));
    }
    return m_changed;
  }

private:
  std::string_view m_in;
  std::string& m_out;
  std::size_t m_copied = 0;
  bool m_changed = false;
};

/// `<!ENTITY name "text">` declarations whose text needs no further parsing.
void collect_entities(std::string_view subset,
                      std::vector<std::pair<std::string_view, std::string_view>>& out) {
  std::size_t p = 0;
  while ((p = subset.find("<!ENTITY", p)) != std::string_view::npos) {
    p += 8;
    while (p < subset.size() &&
           (subset[p] == ' ' || subset[p] == '\t' || subset[p] == '\n' || subset[p] == '\r')) {
      ++p;
    }
    const std::size_t n = p;
    while (p < subset.size() && is_name_char(subset[p])) {
      ++p;
    }
    const std::string_view name = subset.substr(n, p - n);
    while (p < subset.size() &&
           (subset[p] == ' ' || subset[p] == '\t' || subset[p] == '\n' || subset[p] == '\r')) {
      ++p;
    }
    if (name.empty() || p >= subset.size() || (subset[p] != '"' && subset[p] != '\'')) {
      continue;
    }
    const auto close = subset.find(subset[p], p + 1);
    if (close == std::string_view::npos) {
      return;
    }
    const std::string_view value = subset.substr(p + 1, close - p - 1);
    if (value.find_first_of("<&%") == std::string_view::npos) {
      out.emplace_back(name, value);
    }
    p = close + 1;
  }
}

} // namespace

namespace {
/// Finds `needle` by memchr on its byte at `rare` ('!' of "<![CDATA[", ']' of "]]>"), which
/// is scarce in XML: string_view::find would stop at every '<', and memmem (two-way) runs
/// at a fraction of memchr speed.
std::size_t
find_seq(std::string_view in, std::string_view needle, std::size_t from, std::size_t rare) {
  for (std::size_t p = in.find(needle[rare], from + rare); p != std::string_view::npos;
       p = in.find(needle[rare], p + 1)) {
    if (in.compare(p - rare, needle.size(), needle) == 0) {
      return p - rare;
    }
  }
  return std::string_view::npos;
}
} // namespace

bool stray_amp(std::string_view in, std::size_t a, CdataState& cdata) {
  // An unclosed CDATA section is left to pugixml, whose error triggers the full repair pass.
  while (cdata.scan <= a) {
    const std::size_t open = find_seq(in, "<![CDATA[", cdata.scan, 1);
    if (open == std::string_view::npos || open > a) {
      return true;
    }
    const std::size_t close = find_seq(in, "]]>", open + 9, 0);
    if (close == std::string_view::npos) {
      return true; // unclosed CDATA
    }
    cdata.scan = close + 3;
    if (a < close) {
      cdata.until = close;
      return false;
    }
  }
  return true;
}

bool needs_repair(std::string_view in) {
  if (in.find('\0') != std::string_view::npos) {
    return true;
  }
  // '&' outside CDATA must start one of XML's own references. The common case (every '&'
  // is a reference) is a memchr scan; CDATA sections are located only once a bad '&'
  // needs the answer.
  CdataState cdata;
  for (std::size_t a = in.find('&'); a != std::string_view::npos; a = in.find('&', a + 1)) {
    if (xml_ref_len(in, a) != 0) {
      continue;
    }
    if (stray_amp(in, a, cdata)) {
      return true;
    }
    a = cdata.until; // the next '&' to look at is after this section
  }
  return needs_repair_outside_text(in);
}

bool needs_repair_outside_text(std::string_view in) {
  const std::string_view t = util::trim_ascii_whitespace(in);
  if (t.empty() || t.front() != '<') {
    return true;
  }
  // A DTD internal subset may declare entities that need expanding.
  const std::size_t doctype =
      find_seq(in.substr(0, std::min<std::size_t>(in.size(), 4096 + 9)), "<!DOCTYPE", 0, 1);
  return doctype != std::string_view::npos && doctype < 4096 &&
         in.find('[', doctype) < in.find('>', doctype);
}

namespace {

using Entities = std::vector<std::pair<std::string_view, std::string_view>>;

/// At a '<' of `in`: skips a tag, CDATA, a comment or the DTD (collecting its plain-text
/// entity declarations into `entities`); closes an unclosed CDATA and escapes a stray '<'.
/// Returns where the scan goes on.
std::size_t repair_markup(
    std::string_view in, std::size_t i, Fixer& fix, Entities& entities, std::size_t& problems) {
  const char n1 = i + 1 < in.size() ? in[i + 1] : ' ';
  if ((n1 >= 'a' && n1 <= 'z') || (n1 >= 'A' && n1 <= 'Z') || n1 == '/') {
    return i + 1; // an ordinary tag: the common case
  }
  if (in.compare(i, 9, "<![CDATA[") == 0) {
    const auto e = in.find("]]>", i + 9);
    if (e == std::string_view::npos) { // unclosed CDATA: close it at the end
      fix.replace(in.size(), in.size(), "]]>");
      ++problems;
      i = in.size();
    } else {
      i = e + 3;
    }
  } else if (in.compare(i, 4, "<!--") == 0) {
    const auto e = in.find("-->", i + 4);
    i = e == std::string_view::npos ? in.size() : e + 3;
  } else if (in.compare(i, 9, "<!DOCTYPE") == 0) {
    // Skip the DTD (never loaded); an internal subset ends with "]>". Its plain-text
    // <!ENTITY> declarations are honoured, as feedparser does.
    const auto gt = in.find('>', i);
    const auto br = in.find('[', i);
    std::size_t e = gt;
    if (br != std::string_view::npos && br < gt) {
      e = in.find("]>", br);
      e = e == std::string_view::npos ? gt : e + 1;
      if (e != std::string_view::npos) {
        collect_entities(in.substr(br, e - br), entities);
      }
    }
    i = e == std::string_view::npos ? in.size() : e + 1;
  } else {
    const char n = i + 1 < in.size() ? in[i + 1] : ' ';
    const bool markup = (n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || n == '_' || n == ':' ||
                        n == '/' || n == '!' || n == '?' || static_cast<unsigned char>(n) >= 0x80;
    if (!markup) { // a stray '<' in text ("a < b") would end pugixml's parse
      fix.replace(i, i + 1, "&lt;");
      ++problems;
    }
    ++i;
  }
  return i;
}

/// At an '&' of `in`: skips a well-formed reference, else rewrites it (an upper-case "&#X",
/// an entity the DTD or HTML defines, a bare '&'). Returns where the scan goes on.
std::size_t repair_reference(std::string_view in,
                             std::size_t i,
                             Fixer& fix,
                             const Entities& entities,
                             std::size_t& problems) {
  const std::size_t n = xml_ref_len(in, i);
  if (n > 0) {
    return i + n;
  }
  if (in.compare(i, 3, "&#X") == 0) { // expat rejects the upper-case X; feedparser recovers
    fix.replace(i + 2, i + 3, "x");
    ++problems;
    return i + 3;
  }
  // An HTML entity undefined in XML: replace by a character reference.
  std::size_t j = i + 1;
  while (j < in.size() && is_name_char(in[j])) {
    ++j;
  }
  if (j < in.size() && in[j] == ';' && !entities.empty()) {
    const std::string_view name = in.substr(i + 1, j - i - 1);
    const auto ent = std::find_if(entities.begin(), entities.end(),
                                  [&](const auto& p) { return p.first == name; });
    if (ent != entities.end()) {
      fix.replace(i, j + 1, ent->second);
      return j + 1;
    }
  }
  const char32_t cp =
      (j < in.size() && in[j] == ';') ? html_entity(in.substr(i + 1, j - i - 1)) : 0;
  if (cp != 0) {
    char buf[16];
    const int len = std::snprintf(buf, sizeof buf, "&#%u;", static_cast<unsigned>(cp));
    fix.replace(i, j + 1, std::string_view(buf, static_cast<std::size_t>(len)));
    i = j + 1;
  } else {
    fix.replace(i, i + 1, "&amp;");
    ++i;
  }
  ++problems;
  return i;
}

} // namespace

bool repair_xml(std::string_view in, std::string& out, std::vector<std::string>& warnings) {
  Fixer fix(in, out);
  Entities entities;
  std::size_t problems = 0;
  std::size_t i = 0;
  // Junk before the first markup (a PHP notice, a blank line before <?xml ...>).
  const auto first = in.find('<');
  if (first == std::string_view::npos) {
    return false;
  }
  if (first > 0) {
    fix.replace(0, first, {});
    if (!util::trim_ascii_whitespace(in.substr(0, first)).empty()) {
      ++problems;
    }
    i = first;
  }
  while (i < in.size()) {
    // Fast skip over ordinary bytes.
    while (i < in.size() && !k_special[static_cast<unsigned char>(in[i])]) {
      // 8 bytes at a time while none is '<', '&' or a control character (SWAR).
      while (i + 8 <= in.size()) {
        std::uint64_t w = 0;
        std::memcpy(&w, in.data() + i, 8);
        constexpr std::uint64_t k_ones = 0x0101010101010101ULL, k_high = 0x8080808080808080ULL;
        auto has_zero = [](std::uint64_t v) { return ((v - k_ones) & ~v & k_high) != 0; };
        const bool ctl = ((w - 0x2020202020202020ULL) & ~w & k_high) != 0;
        if (ctl || has_zero(w ^ (k_ones * '<')) || has_zero(w ^ (k_ones * '&'))) {
          break;
        }
        i += 8;
      }
      if (i < in.size() && !k_special[static_cast<unsigned char>(in[i])]) {
        ++i;
      }
    }
    if (i >= in.size()) {
      break;
    }
    const char c = in[i];
    if (c == '<') {
      i = repair_markup(in, i, fix, entities, problems);
      continue;
    }
    if (c == '&') {
      i = repair_reference(in, i, fix, entities, problems);
      continue;
    }
    // A control character XML forbids: counted, and kept as feedparser keeps it, except
    // NUL, which would end pugixml's strings.
    if (c == '\0') {
      fix.replace(i, i + 1, {});
    }
    ++problems;
    ++i;
  }
  if (problems > 0) {
    warnings.push_back("recovered from " + std::to_string(problems) + " XML problem(s)");
  }
  return fix.finish();
}

} // namespace reelfeed::parse::detail

// XML feeds: repair, pugixml DOM, the feedparser state machine, then the format-neutral Feed.
#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <iterator>

#include "parse/detail.hpp"
#include "parse/xml_engine.hpp"

namespace reelfeed::parse::detail {
namespace {

FeedFormat format_of(std::string_view v) {
  if (v == "rss20" || v == "rss") {
    return FeedFormat::rss20;
  }
  if (v == "rss10") {
    return FeedFormat::rss10;
  }
  if (v == "rss090" || v == "rss091n" || v == "rss091u" || v == "rss092" || v == "rss093" ||
      v == "rss094") {
    return FeedFormat::rss09x;
  }
  if (v == "atom10") {
    return FeedFormat::atom10;
  }
  if (v == "atom01" || v == "atom02" || v == "atom03" || v == "atom") {
    return FeedFormat::atom03;
  }
  return FeedFormat::unknown;
}

bool is_html_type(std::string_view t) {
  return t == "text/html" || t == "application/xhtml+xml";
}

/// collapse_ws(v), moving v when it is already collapsed (most titles, names and terms).
std::string collapsed(std::string&& v) {
  return is_collapsed(v) ? std::move(v) : collapse_ws(v);
}

std::string text_value(std::optional<std::string>& v, std::string_view type) {
  if (!v) {
    return {};
  }
  return is_html_type(type) ? feedparser_html_to_text(*v) : collapsed(std::move(*v));
}

std::string html_value(std::string&& v, std::string_view type) {
  if (util::trim_ascii_whitespace(v).empty()) {
    return {};
  }
  return is_html_type(type) ? std::move(v) : html_escape(v);
}

/// The trimmed value, moved out when nothing is trimmed (the common case).
std::string take_trimmed(std::string&& v) {
  const std::string_view t = util::trim_ascii_whitespace(v);
  if (t.size() == v.size()) {
    return std::move(v);
  }
  return std::string(t);
}

/// Fills e (a fresh Entry constructed in place in the feed: no move and destruction of a
/// returned temporary per item).
void to_entry(Context& c, FeedFormat fmt, Entry& e) {
  e.id = c.id ? take_trimmed(std::move(*c.id)) : std::string();
  e.id_is_permalink = c.guidislink.value_or(false);
  e.title = text_value(c.title, c.title_type);
  std::string link = c.link ? std::move(*c.link) : std::string();
  if (!link.empty() && (fmt == FeedFormat::atom10 || fmt == FeedFormat::atom03) &&
      c.guidislink.value_or(false)) {
    bool alt = false;
    for (const auto& l : c.links) {
      alt = alt || (l.rel == "alternate" && l.href && *l.href == link);
    }
    if (!alt) {
      link.clear();
    }
  }
  e.link = take_trimmed(std::move(link));
  e.published = c.published;
  e.updated = c.updated;
  for (auto& a : c.authors) {
    if (!util::trim_ascii_whitespace(a.name).empty()) {
      e.author = collapsed(std::move(a.name));
      break;
    }
    if (!util::trim_ascii_whitespace(a.email).empty()) {
      e.author = collapsed(std::move(a.email));
      break;
    }
  }
  if (c.has_summary_detail && c.summary) {
    e.summary = html_value(std::move(*c.summary), c.summary_type);
  }
  if (c.content) {
    e.content = html_value(std::move(c.content->value), c.content->type);
  }
  e.categories.reserve(c.tags.size()); // one allocation instead of one per doubling
  for (auto& t : c.tags) {
    if (t.scheme && *t.scheme == "http://www.itunes.com/") {
      continue;
    }
    if (!t.term) {
      continue;
    }
    std::string term = collapsed(std::move(*t.term));
    if (term.empty()) {
      continue;
    }
    bool dup = false;
    for (const auto& x : e.categories) {
      dup = dup || x == term;
    }
    if (!dup) {
      e.categories.push_back(std::move(term));
    }
  }
  for (auto& l : c.links) {
    if (l.rel != "enclosure" || !l.href || util::trim_ascii_whitespace(*l.href).empty()) {
      continue;
    }
    Enclosure enc;
    enc.url = take_trimmed(std::move(*l.href));
    enc.type = take_trimmed(std::move(l.type));
    if (l.length) {
      enc.length = parse_length(*l.length);
    }
    e.enclosures.push_back(std::move(enc));
  }
}

/// Names of the elements still open at `end` (a light tag scanner: comments, CDATA,
/// processing instructions, declarations and self-closing tags are skipped).
std::vector<std::string_view> open_elements(std::string_view s, std::size_t end) {
  std::vector<std::string_view> stack;
  std::size_t i = 0;
  while ((i = s.find('<', i)) != std::string_view::npos && i < end) {
    if (s.compare(i, 4, "<!--") == 0) {
      const auto e = s.find("-->", i);
      i = e == std::string_view::npos ? s.size() : e + 3;
      continue;
    }
    if (s.compare(i, 9, "<![CDATA[") == 0) {
      const auto e = s.find("]]>", i);
      i = e == std::string_view::npos ? s.size() : e + 3;
      continue;
    }
    const auto gt = s.find('>', i);
    if (gt == std::string_view::npos || i + 1 >= s.size()) {
      break;
    }
    if (s[i + 1] == '?' || s[i + 1] == '!') {
      i = gt + 1;
      continue;
    }
    const bool close = s[i + 1] == '/';
    std::size_t n = i + (close ? 2 : 1);
    const std::size_t start = n;
    while (n < gt && s[n] != ' ' && s[n] != '\t' && s[n] != '\n' && s[n] != '\r' && s[n] != '/') {
      ++n;
    }
    const std::string_view name = s.substr(start, n - start);
    if (close) {
      for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
        if (*it == name) {
          stack.erase(std::next(it).base(), stack.end());
          break;
        }
      }
    } else if (s[gt - 1] != '/') {
      stack.push_back(name);
    }
    i = gt + 1;
  }
  return stack;
}

/// Repairs the end tag pugixml rejected at `offset`: a stray one is dropped; one that closes
/// an outer element first closes the elements left open inside it (as HTML parsers do).
bool fix_mismatch(std::string_view s, std::size_t offset, std::string& out) {
  const std::size_t lt = s.rfind("</", std::min(offset, s.size()));
  if (lt == std::string_view::npos) {
    return false;
  }
  const auto gt = s.find('>', lt);
  if (gt == std::string_view::npos) {
    return false;
  }
  const std::string_view name = util::trim_ascii_whitespace(s.substr(lt + 2, gt - lt - 2));
  const auto open = open_elements(s, lt);
  std::string insert;
  bool found = false;
  for (auto it = open.rbegin(); it != open.rend(); ++it) {
    if (*it == name) {
      found = true;
      break;
    }
    insert += "</";
    insert.append(*it);
    insert += '>';
  }
  if (found && insert.empty()) {
    return false; // nothing to change: avoid looping
  }
  out.clear();
  out.reserve(s.size() + insert.size());
  out.append(s.substr(0, lt));
  if (found) {
    out += insert;
    out.append(s.substr(lt));
  } else {
    out.append(s.substr(gt + 1));
  }
  return true;
}

} // namespace

Feed parse_xml(std::string_view utf8,
               bool doc_utf8,
               const Options& options,
               std::vector<std::string> warnings,
               char* inplace,
               const Scan& scan) {
  std::string repaired;
  bool repair_done = false;
  const std::string_view original = utf8;
  // copy_scan already looked for NUL bytes and stray '&'.
  const bool need = inplace && !scan.has_nul && !scan.bad_amp ? needs_repair_outside_text(utf8)
                                                              : needs_repair(utf8);
  if (need) {
    repair_done = true;
    if (repair_xml(utf8, repaired, warnings)) {
      utf8 = repaired;
    }
  }
  pugi::xml_document doc;
  // No parse_doctype: the DTD is skipped, never loaded. Entities are already normalised.
  const unsigned opts = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_wconv_attribute |
                        pugi::parse_eol | pugi::parse_ws_pcdata;
  // In place when parsing the untouched copy: utf8 (the caller's bytes or the repaired
  // text) stays intact for the repair passes below, which parse copies of their own.
  pugi::xml_parse_result res =
      inplace && utf8.data() == original.data()
          ? doc.load_buffer_inplace(inplace, utf8.size(), opts, pugi::encoding_utf8)
          : doc.load_buffer(utf8.data(), utf8.size(), opts, pugi::encoding_utf8);
  if (!res && !repair_done) { // e.g. a stray '<' in text: the full repair pass, then again
    if (repair_xml(original, repaired, warnings)) {
      utf8 = repaired;
      res = doc.load_buffer(utf8.data(), utf8.size(), opts, pugi::encoding_utf8);
    }
  }
  // pugixml stops at a mismatched end tag (an unclosed <br> or <p> in unescaped HTML, a
  // stray </div>). Fix the tag at the error offset and parse again, a bounded number of times.
  std::string fixed;
  for (int round = 0; !res && res.status == pugi::status_end_element_mismatch && round < 64;
       ++round) {
    if (!fix_mismatch(utf8, static_cast<std::size_t>(res.offset), fixed)) {
      break;
    }
    warnings.emplace_back("mismatched end tag repaired");
    repaired = std::move(fixed);
    utf8 = repaired;
    res = doc.load_buffer(utf8.data(), utf8.size(), opts, pugi::encoding_utf8);
  }
  if (!res) {
    warnings.push_back(std::string("XML error (") + res.description() + ") at byte " +
                       std::to_string(res.offset) + "; kept what was parsed");
  }
  Engine engine(doc_utf8);
  engine.set_base(options.base_url);
  engine.set_missing_zone(options.missing_zone_minutes);
  engine.run(doc);
  Feed feed;
  feed.format = format_of(engine.version);
  feed.title = text_value(engine.feed.title, engine.feed.title_type);
  feed.link = std::string(util::trim_ascii_whitespace(engine.feed.link.value_or("")));
  const pugi::xml_node root = doc.document_element();
  std::string root_name = root ? root.name() : "";
  for (char& ch : root_name) {
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  const bool cdf = root_name == "channel";
  // An <html> document with no entries is a web page even when it has a <title> or a <link>
  // the engine read as the feed's: a source pointed at a site, not at its feed.
  const bool page = root_name == "html" && engine.version.empty() && engine.entries.empty();
  if (!root || page ||
      (!cdf && engine.version.empty() && engine.entries.empty() && feed.title.empty() &&
       feed.link.empty())) {
    throw Error(res ? "no RSS, Atom or RDF element" : std::string("") + res.description());
  }
  feed.entries.reserve(engine.entries.size());
  for (auto& c : engine.entries) {
    to_entry(c, feed.format, feed.entries.emplace_back());
  }
  feed.hints.ttl = engine.ttl;
  feed.hints.update_period = engine.update_period;
  feed.warnings = std::move(warnings);
  return feed;
}

} // namespace reelfeed::parse::detail

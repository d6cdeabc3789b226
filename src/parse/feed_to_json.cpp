// The normalised JSON of shared/tools/FEED_JSON.md, written directly (no DOM) to keep
// `reelfeed parse` cheap.
#include <cstdio>

#include "parse/parse.hpp"

namespace reelfeed::parse {
namespace {

void put_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x",
                      static_cast<unsigned>(static_cast<unsigned char>(c)));
        out += buf;
      } else {
        out += c;
      }
    }
  }
  out += '"';
}

void put_opt(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":";
  if (value.empty()) {
    out += "null";
  } else {
    put_string(out, value);
  }
}

void put_date(std::string& out, std::string_view key, const std::optional<Timestamp>& t) {
  put_opt(out, key, t ? format_rfc3339(*t) : std::string());
}

} // namespace

std::string to_feed_json(const Feed& feed) {
  std::string out;
  out.reserve(1024);
  out += "{\"format\":";
  put_string(out, to_string(feed.format));
  out += ',';
  put_opt(out, "title", feed.title);
  out += ',';
  put_opt(out, "link", feed.link);
  out += ",\"entries\":[";
  bool first = true;
  for (const Entry& e : feed.entries) {
    out += first ? "{" : ",{";
    first = false;
    put_opt(out, "id", e.id);
    out += ',';
    put_opt(out, "title", e.title);
    out += ',';
    put_opt(out, "link", e.link);
    out += ',';
    put_date(out, "published", e.published);
    out += ',';
    put_date(out, "updated", e.updated);
    out += ',';
    put_opt(out, "author", e.author);
    out += ',';
    put_opt(out, "summary", e.summary);
    out += ',';
    put_opt(out, "content", e.content);
    out += ",\"categories\":[";
    for (std::size_t i = 0; i < e.categories.size(); ++i) {
      if (i) {
        out += ',';
      }
      put_string(out, e.categories[i]);
    }
    out += "],\"enclosures\":[";
    for (std::size_t i = 0; i < e.enclosures.size(); ++i) {
      const Enclosure& enc = e.enclosures[i];
      out += i ? ",{" : "{";
      put_opt(out, "url", enc.url);
      out += ',';
      put_opt(out, "type", enc.type);
      out += ",\"length\":";
      out += enc.length ? std::to_string(*enc.length) : std::string("null");
      out += '}';
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

} // namespace reelfeed::parse

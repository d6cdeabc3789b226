// JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1) via nlohmann-json, mapped as the
// conformance oracle does (FEED_JSON.md section 3.3).
#include <nlohmann/json.hpp>

#include <cstdint>

#include "parse/detail.hpp"

namespace reelfeed::parse::detail {
namespace {

using json = nlohmann::json;

std::string str(const json& obj, const char* key) {
  const auto it = obj.find(key);
  return (it != obj.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

std::string author_of(const json& item, bool v11) {
  std::vector<const json*> authors;
  const auto list = item.find("authors");
  if (v11 && list != item.end() && list->is_array()) {
    for (const auto& a : *list) {
      authors.push_back(&a);
    }
  }
  const auto single = item.find("author");
  if (single != item.end() && single->is_object()) {
    authors.push_back(&*single);
  }
  for (const json* a : authors) {
    if (a->is_object()) {
      std::string name = collapse_ws(str(*a, "name"));
      if (!name.empty()) {
        return name;
      }
    }
  }
  return {};
}

Entry to_entry(const json& it, bool v11, int missing_zone) {
  Entry e;
  if (const auto id = it.find("id"); id != it.end()) {
    if (id->is_string()) {
      e.id = std::string(util::trim_ascii_whitespace(id->get<std::string>()));
    } else if (id->is_number()) {
      e.id = id->dump();
    }
  }
  e.title = collapse_ws(str(it, "title"));
  e.link = std::string(util::trim_ascii_whitespace(str(it, "url")));
  e.published = parse_date(str(it, "date_published"), missing_zone);
  e.updated = parse_date(str(it, "date_modified"), missing_zone);
  e.author = author_of(it, v11);
  if (const std::string s = str(it, "summary"); !util::trim_ascii_whitespace(s).empty()) {
    e.summary = html_escape(s);
  }
  if (const std::string html = str(it, "content_html");
      !util::trim_ascii_whitespace(html).empty()) {
    e.content = html;
  } else if (const std::string text = str(it, "content_text");
             !util::trim_ascii_whitespace(text).empty()) {
    e.content = html_escape(text);
  }
  if (const auto tags = it.find("tags"); tags != it.end() && tags->is_array()) {
    for (const auto& t : *tags) {
      if (!t.is_string()) {
        continue;
      }
      std::string term = collapse_ws(t.get<std::string>());
      if (!term.empty() &&
          std::find(e.categories.begin(), e.categories.end(), term) == e.categories.end()) {
        e.categories.push_back(std::move(term));
      }
    }
  }
  if (const auto att = it.find("attachments"); att != it.end() && att->is_array()) {
    for (const auto& a : *att) {
      if (!a.is_object()) {
        continue;
      }
      Enclosure enc;
      enc.url = std::string(util::trim_ascii_whitespace(str(a, "url")));
      if (enc.url.empty()) {
        continue;
      }
      enc.type = std::string(util::trim_ascii_whitespace(str(a, "mime_type")));
      if (const auto sz = a.find("size_in_bytes"); sz != a.end()) {
        if (sz->is_number_unsigned()) {
          const auto u = sz->get<std::uint64_t>();
          if (u <= static_cast<std::uint64_t>(INT64_MAX)) {
            enc.length = static_cast<std::int64_t>(u);
          }
        } else if (sz->is_number_integer()) {
          if (sz->get<std::int64_t>() >= 0) {
            enc.length = sz->get<std::int64_t>();
          }
        } else if (sz->is_number_float()) {
          // Range-checked before the cast: converting an out-of-range double is UB.
          const double v = sz->get<double>();
          if (v >= 0 && v < 9.0e18 && v == static_cast<double>(static_cast<std::int64_t>(v))) {
            enc.length = static_cast<std::int64_t>(v);
          }
        } else if (sz->is_string()) {
          enc.length = parse_length(sz->get<std::string>());
        }
      }
      e.enclosures.push_back(std::move(enc));
    }
  }
  return e;
}

} // namespace

Feed parse_json(std::string_view bytes, int missing_zone_minutes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    bytes.remove_prefix(3);
  }
  const json doc = json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    throw Error("invalid JSON");
  }
  std::string version = std::string(util::trim_ascii_whitespace(str(doc, "version")));
  for (const char* prefix : {"https://jsonfeed.org/version/", "http://jsonfeed.org/version/"}) {
    if (version.rfind(prefix, 0) == 0) {
      version.erase(0, std::string_view(prefix).size());
      break;
    }
  }
  if (!version.empty() && version.back() == '/') {
    version.pop_back();
  }
  const auto items = doc.find("items");
  if ((version != "1" && version != "1.0" && version != "1.1") || items == doc.end() ||
      !items->is_array()) {
    throw Error("JSON without a JSON Feed version and items");
  }
  Feed feed;
  const bool v11 = version == "1.1";
  feed.format = v11 ? FeedFormat::json11 : FeedFormat::json10;
  feed.title = collapse_ws(str(doc, "title"));
  feed.link = std::string(util::trim_ascii_whitespace(str(doc, "home_page_url")));
  for (const auto& it : *items) {
    if (it.is_object()) {
      feed.entries.push_back(to_entry(it, v11, missing_zone_minutes));
    }
  }
  return feed;
}

} // namespace reelfeed::parse::detail

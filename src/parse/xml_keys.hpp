#pragma once
// Canonical "prefix_local" element key -> handler code: the dispatch table of xml_handlers.cpp,
// kept apart so the handlers' start/end logic is not buried under a 300-line lookup switch.
// Internal to parse; everything is inline because the lookup runs for every element.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

#include "parse/detail.hpp"

namespace reelfeed::parse::detail::xml_keys {

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
inline std::optional<H> lookup(std::string_view key) {
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
inline constexpr std::string_view k_unknown = "\x01";

inline std::string_view other_name(std::string_view key) {
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

inline std::optional<std::int64_t> to_int(std::string_view s) {
  s = util::trim_ascii_whitespace(s);
  std::int64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

} // namespace reelfeed::parse::detail::xml_keys

// The database-free half of an ingest (store::prepare): identity keys, content hashes and
// signatures. It runs on the daemon's CPU pool so that the single store thread only does
// SQL; Store::ingest(Feed) runs it inline, without the signatures of unchanged items.

#include <cstdio>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "store/store_impl.hpp"
#include "util/hash.hpp"

namespace reelfeed::store {
namespace {

using nlohmann::json;

std::string hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

/// The categories as one string for the content hash (the format of stored hashes).
std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    out.append(s).push_back('\x1e');
  }
  return out;
}

bool plain_json_string(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80 || c == '"' ||
        c == '\\') {
      return false;
    }
  }
  return true;
}

/// Same text as json(categories).dump(); plain ASCII lists (nearly all) skip building a
/// json value.
std::string categories_json(const std::vector<std::string>& cats) {
  std::string out = "[";
  for (const auto& c : cats) {
    if (!plain_json_string(c)) {
      return json(cats).dump();
    }
    if (out.size() > 1) {
      out += ',';
    }
    out.append(1, '"').append(c).append(1, '"');
  }
  out += ']';
  return out;
}

} // namespace

std::string enclosures_json(const std::vector<Enclosure>& encs) {
  if (encs.empty()) {
    return "[]"; // most items; same text as the JSON dump, without building a json value
  }
  json a = json::array();
  for (const auto& e : encs) {
    json o{{"url", e.url}, {"type", e.type}};
    if (e.length) {
      o["length"] = *e.length;
    }
    a.push_back(std::move(o));
  }
  return a.dump();
}

PreparedEntry prepare_entry(const Entry& e, bool with_signature) {
  PreparedEntry p;
  p.canonical_url = dedup::canonical_url(e.link);
  if (!e.id.empty()) {
    p.guid_key = "g:" + e.id;
  }
  if (!p.canonical_url.empty()) {
    p.link_key.reserve(p.canonical_url.size() + 24);
    p.link_key.append("l:").append(p.canonical_url).append(1, '|');
    if (e.published) {
      p.link_key += std::to_string(to_db(*e.published));
    }
  }
  p.hash_key = "h:" + hex(util::xxh3_64_fields({e.title, p.canonical_url, e.summary, e.content}));
  p.categories_json = categories_json(e.categories);
  p.enclosures_json = enclosures_json(e.enclosures);
  p.content_hash = util::xxh3_64_fields(
      {e.title, e.link, e.author, e.summary, e.content, joined(e.categories), p.enclosures_json});
  p.normalised_title = dedup::normalise_title(e.title);
  if (with_signature) {
    p.signature = dedup::signature(e, p.normalised_title);
    // One extractor per thread: it holds a stemmer and a cache of the words it has seen,
    // and prepare() runs on every thread of the CPU pool.
    thread_local dedup::EventTermizer termizer;
    p.event_terms = termizer.terms(e);
  }
  return p;
}

Prepared prepare(Feed feed) {
  Prepared p;
  p.entries.reserve(feed.entries.size());
  for (const Entry& e : feed.entries) {
    p.entries.push_back(prepare_entry(e, true));
  }
  p.feed = std::move(feed);
  return p;
}

} // namespace reelfeed::store

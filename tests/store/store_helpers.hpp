#pragma once
// Builders for feeds and entries used by the store tests.

#include <string>
#include <vector>

#include "model/entry.hpp"
#include "model/source_status.hpp"
#include "model/time.hpp"

namespace reelfeed::test {

inline Timestamp at(int day, int hour = 12) {
  using namespace std::chrono;
  return sys_days{year{2026} / November / day} + hours{hour};
}

inline Entry item(std::string id,
                  std::string title,
                  std::string link,
                  Timestamp published,
                  std::string summary = "") {
  Entry e;
  e.id = std::move(id);
  e.title = std::move(title);
  e.link = std::move(link);
  e.published = published;
  e.summary = std::move(summary);
  return e;
}

inline Feed feed_of(std::vector<Entry> entries) {
  Feed f;
  f.format = FeedFormat::rss20;
  f.title = "test";
  f.entries = std::move(entries);
  return f;
}

inline SourceStatus status_of(const std::string& name, Timestamp now) {
  SourceStatus s;
  s.name = name;
  s.url = "https://example.com/" + name + ".xml";
  s.last_attempt = now;
  s.last_success = now;
  s.last_status = 200;
  return s;
}

} // namespace reelfeed::test

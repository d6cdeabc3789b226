#pragma once
// Builders for feeds and entries, and a fixture with a fresh Store file, for the store tests.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "model/entry.hpp"
#include "model/source_status.hpp"
#include "model/time.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

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

/// A Store on a fresh file, with a one-line ingest and a raw SQL count for assertions.
class StoreTest : public ::testing::Test {
protected:
  TempDir m_dir;
  std::filesystem::path m_path = m_dir.path() / "r.db";
  store::Store m_store{m_path};

  store::IngestResult put(const std::string& src, std::vector<Entry> entries, Timestamp now) {
    return m_store.ingest(src, feed_of(std::move(entries)), status_of(src, now), now);
  }
  int count(const std::string& sql) {
    SQLite::Database db(m_path.string());
    return db.execAndGet(sql).getInt();
  }
};

} // namespace reelfeed::test

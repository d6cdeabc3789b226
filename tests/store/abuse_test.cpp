// The store under a flooding source, a stop in the middle of a group, another process's
// lock, and a damaged file.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <set>
#include <stop_token>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "store_helpers.hpp"

namespace reelfeed::test {
namespace {

using namespace std::chrono_literals;

/// `n` items, the i-th published `i` minutes after the base time, in the order given by
/// `newest_first` (feeds usually list the newest first; a flood need not).
std::vector<Entry> numbered(int n, int from, bool newest_first) {
  std::vector<Entry> out;
  for (int k = 0; k < n; ++k) {
    const int i = newest_first ? from + n - 1 - k : from + k;
    out.push_back(item("guid-" + std::to_string(i),
                       "Flooded story " + std::to_string(i) + " w" + std::to_string(i * 7919),
                       "https://flood.example/" + std::to_string(i),
                       at(10) + std::chrono::minutes(i)));
  }
  return out;
}

class CapTest : public StoreTest {
protected:
  store::GroupOutcome ingest_capped(const std::vector<Entry>& entries,
                                    std::size_t cap,
                                    SourceStatus& status,
                                    Timestamp now) {
    const store::Prepared p = store::prepare(feed_of(entries));
    const auto out = m_store.ingest_group({{&p, &status, cap}}, now);
    return out.at(0);
  }
  std::set<std::string> stored_guids() {
    SQLite::Database db(m_path.string());
    SQLite::Statement q(db, "SELECT guid FROM entries");
    std::set<std::string> out;
    while (q.executeStep())
      out.insert(q.getColumn(0).getString());
    return out;
  }
};

TEST_F(CapTest, OneFetchAddsAtMostTheCapTheNewestFirst) {
  auto status = status_of("flood", at(11));
  status.validators = {"\"etag-1\"", "Wed, 25 Nov 2026 10:00:00 GMT"};
  status.body_digest = "digest-1";
  // Oldest first in the document: the cap must still keep the newest by date.
  const auto entries = numbered(1000, 0, false);
  const auto out = ingest_capped(entries, 100, status, at(11));
  ASSERT_TRUE(out.ok()) << out.error;
  EXPECT_EQ(out.result.new_entries, 100);
  EXPECT_EQ(out.result.capped_entries, 900);
  const auto guids = stored_guids();
  ASSERT_EQ(guids.size(), 100U);
  for (int i = 900; i < 1000; ++i)
    EXPECT_TRUE(guids.count("guid-" + std::to_string(i))) << i;
  // Not "stored half": the status keeps neither validators nor digest, so the next poll
  // reads the whole feed again instead of a 304 or "unchanged" hiding the rest for good.
  const auto saved = m_store.statuses();
  ASSERT_EQ(saved.size(), 1U);
  EXPECT_TRUE(saved[0].validators.etag.empty());
  EXPECT_TRUE(saved[0].validators.last_modified.empty());
  EXPECT_TRUE(saved[0].body_digest.empty());
}

TEST_F(CapTest, WhatWasLeftOutArrivesOnLaterPollsAndNothingIsLost) {
  const auto entries = numbered(250, 0, true);
  int polls = 0;
  for (; polls < 10; ++polls) {
    auto status = status_of("busy", at(11, 1 + polls));
    status.validators = {"\"etag\"", ""};
    const auto out = ingest_capped(entries, 100, status, at(11, 1 + polls));
    ASSERT_TRUE(out.ok()) << out.error;
    if (out.result.capped_entries == 0) {
      // The last poll stores the rest and keeps its validators again.
      EXPECT_EQ(m_store.statuses().at(0).validators.etag, "\"etag\"");
      break;
    }
    EXPECT_EQ(out.result.new_entries, 100);
    EXPECT_TRUE(m_store.statuses().at(0).validators.etag.empty());
  }
  EXPECT_EQ(polls, 2); // 100 + 100 + 50
  EXPECT_EQ(stored_guids().size(), 250U);
  EXPECT_EQ(count("SELECT count(*) FROM (SELECT 1 FROM entries GROUP BY guid HAVING count(*) > 1)"),
            0);
}

TEST_F(CapTest, KnownItemsAndEditsDoNotCountAgainstTheCap) {
  auto status = status_of("steady", at(11));
  ASSERT_TRUE(ingest_capped(numbered(80, 0, true), 100, status, at(11)).ok());
  // 80 known items (one edited) and 50 new ones: under a cap of 60 every new one fits.
  auto entries = numbered(130, 0, true);
  entries.back().summary = "an edit";
  const auto out = ingest_capped(entries, 60, status, at(12));
  ASSERT_TRUE(out.ok()) << out.error;
  EXPECT_EQ(out.result.new_entries, 50);
  EXPECT_EQ(out.result.updated_entries, 1);
  EXPECT_EQ(out.result.capped_entries, 0);
}

TEST_F(CapTest, NoCapStoresEverything) {
  auto status = status_of("all", at(11));
  const auto out = ingest_capped(numbered(600, 0, false), 0, status, at(11));
  EXPECT_EQ(out.result.new_entries, 600);
  EXPECT_EQ(out.result.capped_entries, 0);
}

using StopTest = StoreTest;

TEST_F(StopTest, AStopBetweenFeedsCommitsThoseInAndStoresNothingOfTheRest) {
  std::vector<store::Prepared> feeds;
  std::vector<SourceStatus> statuses;
  for (int f = 0; f < 5; ++f) {
    std::vector<Entry> entries;
    for (int i = 0; i < 20; ++i) {
      const std::string id = std::to_string(f) + "-" + std::to_string(i);
      entries.push_back(item(id, "Feed " + id + " story w" + std::to_string(f * 101 + i * 7),
                             "https://f" + std::to_string(f) + ".example/" + id, at(10)));
    }
    feeds.push_back(store::prepare(feed_of(std::move(entries))));
    statuses.push_back(status_of("feed" + std::to_string(f), at(11)));
    statuses.back().validators.etag = "etag-of-this-poll";
  }
  std::vector<store::GroupItem> items;
  for (std::size_t f = 0; f < feeds.size(); ++f)
    items.push_back({&feeds[f], &statuses[f]});
  std::stop_source stop;
  // SIGTERM arrives while the second feed is being stored.
  const auto out = m_store.ingest_group(
      items, at(11),
      [&](std::size_t i) {
        if (i == 1)
          stop.request_stop();
      },
      stop.get_token());
  ASSERT_EQ(out.size(), 5U);
  EXPECT_TRUE(out[0].ok());
  EXPECT_TRUE(out[1].ok());
  for (std::size_t f = 2; f < 5; ++f) {
    EXPECT_FALSE(out[f].ok());
    EXPECT_TRUE(out[f].interrupted);
  }
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 40); // two whole feeds
  // The interrupted feeds left no trace, not even their status: their old validators (none
  // here) stand, so the next start fetches them again.
  EXPECT_EQ(count("SELECT count(*) FROM sources WHERE status LIKE '%etag-of-this-poll%'"), 2);
  SQLite::Database db(m_path.string());
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  // A later group stores them.
  const auto again = m_store.ingest_group(items, at(12));
  for (const auto& o : again)
    EXPECT_TRUE(o.ok()) << o.error;
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 100);
}

TEST(StoreBusy, ASecondWriterWaitsForTheFirstOnANewDatabase) {
  TempDir dir;
  const auto path = dir.path() / "new.db";
  // Another process's connection takes the write lock of the new database and keeps it
  // longer than SQLite's usual 5 s busy wait.
  SQLite::Database other(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  other.exec("BEGIN EXCLUSIVE");
  other.exec("CREATE TABLE other_process(x)"); // its transaction writes something
  std::thread release([&] {
    std::this_thread::sleep_for(6s);
    other.exec("ROLLBACK");
  });
  std::optional<store::Store> store;
  std::string error;
  try {
    store.emplace(path); // schema creation and migration wait for the lock
    store->sync_sources({{"a", "https://a.example/feed", {}, true}});
  } catch (const std::exception& e) {
    error = e.what();
  }
  release.join();
  ASSERT_TRUE(error.empty()) << error;
  EXPECT_EQ(store->statuses().size(), 1U);
}

TEST(StoreFailure, KindsAreNamedFromSqliteCodes) {
  TempDir dir;
  const auto garbage = dir.write("garbage.db", std::string(8192, 'x'));
  try {
    store::Store s(garbage);
    ADD_FAILURE() << "opened a garbage file";
  } catch (const std::exception& e) {
    EXPECT_EQ(store::failure_of(e), store::Failure::damaged) << e.what();
  }
  try {
    store::Store s(dir.path() / "missing" / "r.db");
    ADD_FAILURE() << "opened in a missing folder";
  } catch (const std::exception& e) {
    EXPECT_EQ(store::failure_of(e), store::Failure::cannot_open) << e.what();
  }
  EXPECT_EQ(store::failure_of(std::runtime_error("not SQLite's")), store::Failure::other);
  EXPECT_EQ(store::failure_of(SQLite::Exception("full", SQLITE_FULL)), store::Failure::disk_full);
  EXPECT_EQ(store::failure_of(SQLite::Exception("io", SQLITE_IOERR_WRITE)),
            store::Failure::io_error);
  EXPECT_EQ(store::failure_of(SQLite::Exception("busy", SQLITE_BUSY)), store::Failure::busy);
  EXPECT_EQ(store::failure_of(SQLite::Exception("ro", SQLITE_READONLY)), store::Failure::read_only);
}

} // namespace
} // namespace reelfeed::test

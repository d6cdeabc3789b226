// Background checkpoints: the writer only appends to the WAL; another connection copies it
// back into the database file.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>

#include "store_helpers.hpp"

namespace reelfeed::test {
namespace {

std::uintmax_t size_of(const std::filesystem::path& p) {
  return std::filesystem::exists(p) ? std::filesystem::file_size(p) : 0;
}

std::vector<Entry> batch(int feed, int n) {
  std::vector<Entry> out;
  for (int k = 0; k < n; ++k)
    out.push_back(item("c" + std::to_string(feed) + "-" + std::to_string(k),
                       "Story " + std::to_string(feed) + " number " + std::to_string(k),
                       "https://c" + std::to_string(feed) + ".example/" + std::to_string(k),
                       at(20, 8), std::string(2000, static_cast<char>('a' + k % 26))));
  return out;
}

/// Waits (bounded) for the background thread; the test fails rather than hangs.
bool wait_for(const std::function<bool()>& done) {
  for (int i = 0; i < 10'000 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return done();
}

TEST_F(StoreTest, BackgroundCheckpointsMoveTheWalIntoTheDatabaseFile) {
  m_store.checkpoint_in_background(64); // 256 KiB of WAL
  const auto db_before = size_of(m_path);
  for (int f = 0; f < 4; ++f)
    put("src" + std::to_string(f), batch(f, 30), at(20, 9));
  // ~100 WAL pages: past the threshold, short of the writer's own 2 x 64, so the database
  // file grows only through the background thread.
  ASSERT_TRUE(wait_for([&] { return m_store.background_checkpoints() > 0; }));
  ASSERT_TRUE(wait_for([&] { return size_of(m_path) > db_before + 100'000; }))
      << size_of(m_path) << " vs " << db_before;
  // Another connection reads every entry, and the file is intact.
  SQLite::Database db(m_path.string());
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM entries").getInt(), 120);
}

TEST_F(StoreTest, BackgroundCheckpointsKeepTheWalBounded) {
  m_store.checkpoint_in_background(32);
  for (int f = 0; f < 60; ++f) {
    put("src" + std::to_string(f % 5), batch(f, 10), at(20, 9));
    // A checkpoint done, the next writer starts the WAL over from its beginning.
    wait_for([&] { return m_store.background_checkpoints() >= static_cast<unsigned>(f / 8); });
  }
  // 60 commits of ~25 KiB each is ~1.5 MB of WAL without checkpoints; reused, it stays
  // within a few thresholds.
  EXPECT_LT(size_of(m_path.string() + "-wal"), 4U * 32 * 4096 + 512 * 1024);
  EXPECT_GT(m_store.background_checkpoints(), 0U);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 600);
}

TEST_F(StoreTest, ClosingWithABackgroundCheckpointerLosesNothing) {
  {
    store::Store s(m_dir.path() / "other.db");
    s.checkpoint_in_background(8);
    s.ingest("a", feed_of(batch(1, 50)), status_of("a", at(20)), at(20));
  } // destroyed right after a commit that woke the thread
  store::Store again(m_dir.path() / "other.db");
  SQLite::Database db((m_dir.path() / "other.db").string());
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM entries").getInt(), 50);
}

TEST_F(StoreTest, BackgroundCheckpointsNeedAWritableStoreAndAPositiveSize) {
  EXPECT_THROW(m_store.checkpoint_in_background(0), std::invalid_argument);
  put("a", batch(1, 1), at(20));
  store::Store reader(m_path, {}, store::Access::read_only);
  EXPECT_THROW(reader.checkpoint_in_background(), std::logic_error);
  EXPECT_EQ(reader.background_checkpoints(), 0U);
}

} // namespace
} // namespace reelfeed::test

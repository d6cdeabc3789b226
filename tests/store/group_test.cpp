// Group commit: several feeds in one transaction, each all-or-nothing in its savepoint.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include <SQLiteCpp/SQLiteCpp.h>

#include "store_helpers.hpp"

namespace reelfeed::test {
namespace {

class GroupTest : public StoreTest {
protected:
  store::Prepared prepared(std::vector<Entry> entries) {
    return store::prepare(feed_of(std::move(entries)));
  }
};

TEST_F(GroupTest, StoresEveryItemAndJoinsAcrossItemsOfTheSameGroup) {
  const auto now = at(10);
  const auto a = prepared(
      {item("a1", "Studio signs AI deal with guild", "https://variety.example/a1", at(10, 9)),
       item("a2", "Another story", "https://variety.example/a2", at(10, 9))});
  // The same URL (tracking parameter aside) from another outlet, in the same group.
  const auto b = prepared({item("b1", "Guild and studio agree on AI terms",
                                "https://variety.example/a1?utm_source=x", at(10, 10))});
  auto sa = status_of("variety", now);
  auto sb = status_of("deadline", now);
  auto sc = status_of("verge", now);
  sc.last_status = 304;
  std::vector<std::size_t> done;
  const auto out = m_store.ingest_group({{&a, &sa}, {&b, &sb}, {nullptr, &sc}}, now,
                                        [&](std::size_t i) { done.push_back(i); });
  EXPECT_EQ(done, (std::vector<std::size_t>{0, 1, 2}));
  ASSERT_EQ(out.size(), 3U);
  for (const auto& o : out)
    EXPECT_TRUE(o.ok()) << o.error;
  EXPECT_EQ(out[0].result.new_entries, 2);
  EXPECT_EQ(out[1].result.new_entries, 1);
  EXPECT_EQ(out[1].result.joined_stories, 1);
  EXPECT_EQ(out[2].result.new_entries, 0);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM stories"), 2);
  // The status-only item was saved: the source row exists with its 304.
  EXPECT_EQ(count("SELECT count(*) FROM sources WHERE name = 'verge' AND status LIKE "
                  "'%\"last_status\":304%'"),
            1);
  // A second group with the same items stores nothing new.
  const auto again = m_store.ingest_group({{&a, &sa}, {&b, &sb}}, at(10, 13));
  EXPECT_EQ(again[0].result.unchanged_entries, 2);
  EXPECT_EQ(again[1].result.unchanged_entries, 1);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 3);
}

TEST_F(GroupTest, AFailingItemIsRolledBackAloneAndLeavesNoTrace) {
  {
    // Fails the insert of one entry after its feed's first entry (and its story) is written.
    SQLite::Database db(m_path.string(), SQLite::OPEN_READWRITE);
    db.exec("CREATE TRIGGER poison BEFORE INSERT ON entries WHEN NEW.title = 'poison' "
            "BEGIN SELECT RAISE(ABORT, 'poisoned entry'); END");
  }
  const auto now = at(12);
  const auto a = prepared(
      {item("a1", "First outlet story about replicas", "https://one.example/replicas", at(12, 8))});
  const auto bad =
      prepared({item("b1", "Writers room tools vote", "https://two.example/vote", at(12, 8)),
                item("b2", "poison", "https://two.example/poison", at(12, 8))});
  const auto c = prepared(
      {item("c1", "Text to video model for studios", "https://three.example/video", at(12, 9))});
  auto sa = status_of("one", now);
  auto sb = status_of("two", now);
  auto sc = status_of("three", now);
  const auto out = m_store.ingest_group({{&a, &sa}, {&bad, &sb}, {&c, &sc}}, now);
  EXPECT_TRUE(out[0].ok()) << out[0].error;
  EXPECT_FALSE(out[1].ok());
  EXPECT_NE(out[1].error.find("poisoned entry"), std::string::npos) << out[1].error;
  EXPECT_EQ(out[1].result.new_entries, 0);
  EXPECT_TRUE(out[2].ok()) << out[2].error;
  // Nothing of the failed feed: not its first entry, its story, its fetch or its status.
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM entries WHERE link LIKE 'https://two.example/%'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM stories"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM stories WHERE rep_entry_id NOT IN "
                  "(SELECT id FROM entries)"),
            0);
  EXPECT_EQ(count("SELECT count(*) FROM lsh WHERE entry_id NOT IN (SELECT id FROM entries)"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM sources WHERE name = 'two'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM entries WHERE story_id NOT IN (SELECT id FROM stories)"),
            0);

  // Once the cause is gone, the same feed is stored whole: the rollback left no key behind.
  {
    SQLite::Database db(m_path.string(), SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER poison");
  }
  const auto retry = m_store.ingest_group({{&bad, &sb}}, at(12, 13));
  ASSERT_TRUE(retry[0].ok()) << retry[0].error;
  EXPECT_EQ(retry[0].result.new_entries, 2);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 4);
  SQLite::Database check(m_path.string());
  EXPECT_EQ(check.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

TEST_F(GroupTest, ABadItemFailsWithAClearErrorAndTheOthersAreStored) {
  const auto now = at(14);
  auto broken = prepared({item("x1", "Some title", "https://x.example/1", at(14, 8))});
  broken.entries.clear(); // not parallel to feed.entries
  const auto good = prepared({item("y1", "Other title", "https://y.example/1", at(14, 8))});
  auto sx = status_of("x", now);
  auto sy = status_of("y", now);
  const auto out = m_store.ingest_group({{&broken, &sx}, {&good, &sy}}, now);
  EXPECT_FALSE(out[0].ok());
  EXPECT_NE(out[0].error.find("not parallel"), std::string::npos) << out[0].error;
  EXPECT_TRUE(out[1].ok()) << out[1].error;
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 1);
}

TEST_F(GroupTest, AFullDiskAtCommitFailsEveryItemAndKeepsWhatWasStored) {
  const auto now = at(16);
  auto first =
      prepared({item("k1", "Kept story about a guild vote", "https://k.example/1", at(16, 8))});
  auto sk = status_of("kept", now);
  ASSERT_TRUE(m_store.ingest_group({{&first, &sk}}, now)[0].ok());

  // A group far larger than the room left: each feed fits in its savepoint, the commit
  // cannot write the WAL.
  std::vector<store::Prepared> feeds;
  std::vector<SourceStatus> statuses;
  for (int f = 0; f < 8; ++f) {
    std::vector<Entry> entries;
    for (int k = 0; k < 40; ++k)
      entries.push_back(item("f" + std::to_string(f) + "-" + std::to_string(k),
                             "Headline " + std::to_string(f) + " " + std::to_string(k),
                             "https://big" + std::to_string(f) + ".example/" + std::to_string(k),
                             at(16, 9), std::string(4000, static_cast<char>('a' + k % 26))));
    feeds.push_back(prepared(std::move(entries)));
    statuses.push_back(status_of("big" + std::to_string(f), now));
  }
  std::vector<store::GroupItem> items;
  for (std::size_t f = 0; f < feeds.size(); ++f)
    items.push_back({&feeds[f], &statuses[f]});

  const auto report = m_dir.path() / "outcomes.txt";
  const auto size_of = [](const std::filesystem::path& p) {
    return std::filesystem::exists(p) ? std::filesystem::file_size(p) : 0;
  };
  const auto room = std::max(size_of(m_path), size_of(m_path.string() + "-wal")) + 64 * 1024;
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // The child owns the connection from here on: the parent does not touch m_store again
    // until the child is gone.
    std::signal(SIGXFSZ, SIG_IGN); // a write past the limit fails (EFBIG) instead of killing
    std::ofstream out(report);     // opened before the limit: it stays small anyway
    rlimit lim{room, room};
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
      _exit(3);
    const auto outcomes = m_store.ingest_group(items, now);
    for (const auto& o : outcomes)
      out << (o.ok() ? "ok" : "failed: " + o.error) << "\n";
    out.close();
    _exit(0);
  }
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) << wstatus;
  std::ifstream in(report);
  std::string line;
  int failed = 0;
  while (std::getline(in, line)) {
    EXPECT_EQ(line.rfind("failed: ", 0), 0U) << line; // no item may claim to be stored
    failed += line.rfind("failed: ", 0) == 0 ? 1 : 0;
  }
  EXPECT_EQ(failed, 8);

  // In a fresh connection: the earlier entry is there, nothing of the group, file intact.
  {
    SQLite::Database db(m_path.string());
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM entries").getInt(), 1);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sources WHERE name LIKE 'big%'").getInt(), 0);
  }
  // With room again, the same group is stored whole.
  store::Store again(m_path);
  const auto retry = again.ingest_group(items, at(16, 10));
  for (const auto& o : retry)
    EXPECT_TRUE(o.ok()) << o.error;
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 1 + 8 * 40);
}

TEST_F(GroupTest, AnEmptyGroupIsANoOp) {
  EXPECT_TRUE(m_store.ingest_group({}, at(15)).empty());
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 0);
}

} // namespace
} // namespace reelfeed::test

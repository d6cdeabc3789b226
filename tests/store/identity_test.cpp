// Item identity per source: sound guids, missing guids, reused guids, edits, shared guids.

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/store.hpp"
#include "store_helpers.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::store {
namespace {

using test::at;
using test::feed_of;
using test::item;
using test::status_of;

class Identity : public test::StoreTest {};

TEST_F(Identity, EditedItemUpdatesItsRowInsteadOfAppearingTwice) {
  put("Deadline",
      {item("https://deadline.com/?p=1", "Studio Tests AI Script Tool",
            "https://deadline.com/studio-ai", at(3), "First version.")},
      at(3));
  const auto r = put(
      "Deadline",
      {item("https://deadline.com/?p=1", "UPDATED: Studio Tests AI Script Tool, Writers Object",
            "https://deadline.com/studio-ai", at(3), "Second version with the WGA's reaction.")},
      at(3, 14));
  EXPECT_EQ(r.updated_entries, 1);
  EXPECT_EQ(r.new_entries, 0);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 1);
  const auto s = m_store.stories(at(1), 10);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].title, "UPDATED: Studio Tests AI Script Tool, Writers Object");
  EXPECT_EQ(s[0].summary, "Second version with the WGA's reaction.");
}

TEST_F(Identity, MissingGuidsFallBackToLinkAndDate) {
  std::vector<Entry> items;
  for (int i = 0; i < 5; ++i)
    items.push_back(item("", "Story " + std::to_string(i) + " about casting news",
                         "https://blog.example/post-" + std::to_string(i) + "?utm_source=rss",
                         at(4, i)));
  EXPECT_EQ(put("Blog", items, at(4, 6)).new_entries, 5);
  // Same items next poll, tracking parameters changed: still the same items.
  for (auto& e : items)
    e.link.replace(e.link.find("utm_source=rss"), 14, "utm_source=feed");
  const auto r = put("Blog", items, at(4, 7));
  EXPECT_EQ(r.new_entries, 0);
  EXPECT_EQ(r.unchanged_entries + r.updated_entries, 5);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 5);
  EXPECT_EQ(count("SELECT count(*) FROM entries WHERE identity LIKE 'l:%'"), 5);
}

TEST_F(Identity, GuidsRepeatedWithinAFeedDegradeToLinksAndKeepEveryItem) {
  // A CMS that puts the same guid on every item (FreshRSS#5329-like).
  std::vector<Entry> items;
  for (int i = 0; i < 4; ++i)
    items.push_back(item("https://site.example/", "Item " + std::to_string(i) + " release slate",
                         "https://site.example/news/" + std::to_string(i), at(5, i)));
  EXPECT_EQ(put("Cms", items, at(5, 5)).new_entries, 4);
  EXPECT_EQ(put("Cms", items, at(5, 6)).new_entries, 0);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 4);
  EXPECT_EQ(count("SELECT count(*) FROM sources WHERE name = 'Cms' AND identity_mode = 'link'"), 1);
}

TEST_F(Identity, GuidsRecycledAcrossPollsAreDetected) {
  // guids are positions ("1", "2"): the next poll reuses them for different articles.
  put("Pos",
      {item("1", "Oscars Shortlist Announced", "https://pos.example/oscars", at(6, 8)),
       item("2", "Festival Lineup Revealed", "https://pos.example/festival", at(6, 9))},
      at(6, 10));
  const auto r =
      put("Pos",
          {item("1", "Streamer Raises Prices Again", "https://pos.example/prices", at(7, 8)),
           item("2", "Oscars Shortlist Announced", "https://pos.example/oscars", at(6, 8))},
          at(7, 10));
  EXPECT_EQ(r.new_entries, 1); // only the price story; the Oscars item is known by link+date
  EXPECT_EQ(r.unchanged_entries, 1);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM entries WHERE title = 'Festival Lineup Revealed'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM entries WHERE title LIKE 'Oscars%'"), 1);
  // A third poll of the same document changes nothing.
  const auto r3 =
      put("Pos",
          {item("1", "Streamer Raises Prices Again", "https://pos.example/prices", at(7, 8)),
           item("2", "Oscars Shortlist Announced", "https://pos.example/oscars", at(6, 8))},
          at(7, 11));
  EXPECT_EQ(r3.new_entries, 0);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 3);
}

TEST_F(Identity, ChangedGuidSchemeDoesNotDuplicateItems) {
  put("Scheme",
      {item("http://s.example/?p=1", "Casting News", "https://s.example/casting", at(8)),
       item("http://s.example/?p=2", "Trailer Drop", "https://s.example/trailer", at(8))},
      at(8));
  const auto r =
      put("Scheme",
          {item("https://s.example/casting", "Casting News", "https://s.example/casting", at(8)),
           item("https://s.example/trailer", "Trailer Drop", "https://s.example/trailer", at(8))},
          at(9));
  EXPECT_EQ(r.new_entries, 0);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 2);
  // Re-keyed: the next fetch finds both under their new keys, in this Store's identity
  // index and in one loaded afresh from the stored keys.
  const std::vector<Entry> again = {
      item("https://s.example/casting", "Casting News", "https://s.example/casting", at(8)),
      item("https://s.example/trailer", "Trailer Drop", "https://s.example/trailer", at(8))};
  EXPECT_EQ(put("Scheme", again, at(10)).unchanged_entries, 2);
  store::Store fresh(m_path);
  const auto r3 = fresh.ingest("Scheme", feed_of(again), status_of("Scheme", at(11)), at(11));
  EXPECT_EQ(r3.unchanged_entries, 2);
  EXPECT_EQ(r3.new_entries, 0);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 2);
}

TEST_F(Identity, SharedGuidNeverMovesAnItemBetweenSources) {
  const auto e = item("urn:ap:12345", "Actors Union Ratifies AI Contract",
                      "https://apnews.example/ai-contract", at(8), "Members voted 78% in favour.");
  put("WireA", {e}, at(8));
  auto e2 = e;
  e2.link = "https://partner.example/ap/ai-contract";
  put("WireB", {e2}, at(8, 13));
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 2);
  EXPECT_EQ(count("SELECT count(DISTINCT source_id) FROM entries"), 2);
  const auto s = m_store.stories(at(1), 10);
  ASSERT_EQ(s.size(), 1u); // two sightings, one story
  ASSERT_EQ(s[0].outlets.size(), 2u);
  EXPECT_EQ(s[0].outlets[0].source, "WireA");
  EXPECT_EQ(s[0].outlets[1].source, "WireB");
}

TEST_F(Identity, SameItemTwiceInOneDocumentIsStoredOnce) {
  const auto e = item("g1", "Duplicate In Feed", "https://d.example/1", at(9));
  const auto r = put("Dup", {e, e}, at(9));
  EXPECT_EQ(r.new_entries, 1);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 1);
}

TEST_F(Identity, FetchHistoryAndStatusAreRecorded) {
  auto st = status_of("Hist", at(10));
  st.validators.etag = "\"abc\"";
  m_store.ingest("Hist", feed_of({item("a", "A thing", "https://h.example/a", at(10))}), st,
                 at(10));
  st.last_attempt = at(10, 13);
  st.last_status = 304;
  st.hinted_interval = Seconds{7200};
  st.body_digest = "0123456789abcdef";
  m_store.save_status(st);
  EXPECT_EQ(count("SELECT count(*) FROM fetches"), 2);
  const auto statuses = m_store.statuses();
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0].validators.etag, "\"abc\"");
  EXPECT_EQ(statuses[0].last_status, 304);
  EXPECT_EQ(statuses[0].last_attempt, at(10, 13));
  // Both steer later polls of a separate `reelfeed poll` process: they must survive it.
  EXPECT_EQ(statuses[0].hinted_interval, Seconds{7200});
  EXPECT_EQ(statuses[0].body_digest, "0123456789abcdef");
}

TEST_F(Identity, GuidsWithQuotesBackslashesAndControlCharactersAreFoundAgain) {
  // A feed's keys are looked up together (as one JSON array inside SQLite): every guid
  // must survive that quoting, or a re-fetched item would look new.
  const std::vector<std::string> guids = {
      "a\"b", "c\\d", "tab\there", "nl\nx", "\x01ctl", "[1,2]", "caf\xC3\xA9 \xE2\x80\x94 ok", ""};
  std::vector<Entry> entries;
  for (std::size_t i = 0; i < guids.size(); ++i)
    entries.push_back(item(guids[i], "Story " + std::to_string(i),
                           "https://example.com/s/" + std::to_string(i), at(3)));
  const auto r1 = put("Odd", entries, at(3));
  EXPECT_EQ(r1.new_entries, static_cast<int>(guids.size()));
  const auto r2 = put("Odd", entries, at(4));
  EXPECT_EQ(r2.new_entries, 0);
  EXPECT_EQ(r2.unchanged_entries, static_cast<int>(guids.size()));
  EXPECT_EQ(count("SELECT count(*) FROM entries"), static_cast<int>(guids.size()));
}

} // namespace
} // namespace reelfeed::store

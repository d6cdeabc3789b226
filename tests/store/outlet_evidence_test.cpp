// Every outlet of a story carries its own sighting's summary and categories (what the filter
// judges the story on), on the one-by-one and on the bulk read path of stories().

#include <gtest/gtest.h>

#include <map>

#include "store/store.hpp"
#include "store_helpers.hpp"

namespace reelfeed::store {
namespace {

using test::at;
using test::item;

class OutletEvidence : public test::StoreTest {
protected:
  void SetUp() override {
    m_store.sync_sources({{"Variety", "https://variety.com/feed/", {"trade"}, true},
                          {"Wire", "https://wire.example/feed", {"news"}, true}});
  }

  /// Story n told by both sources under one wire URL, each with its own summary and
  /// categories.
  void put_story(int n) {
    const std::string id = std::to_string(n * 7927); // distinct words: no two stories fold
    const std::string link = "https://wire.example/2026/11/story-" + id;
    Entry v = item("v" + id, "Studio " + id + " story " + id, link, at(2, 0),
                   "<p>Variety text " + id + "</p>");
    v.categories = {"Film", "Variety cat " + id};
    Entry w = item("w" + id, "Wire " + id + " story " + id, link, at(2, 1), "Wire text " + id);
    w.categories = {"AI"};
    put("Variety", {v}, at(2, 0) + std::chrono::minutes{n});
    put("Wire", {w}, at(2, 1) + std::chrono::minutes{n});
  }

  static void expect_outlets(const Story& s) {
    ASSERT_EQ(s.outlets.size(), 2u) << s.title;
    std::map<std::string, const Outlet*> by_source;
    for (const Outlet& o : s.outlets)
      by_source[o.source] = &o;
    const std::string id = s.title.substr(s.title.rfind(' ') + 1);
    ASSERT_TRUE(by_source.count("Variety") && by_source.count("Wire")) << s.title;
    EXPECT_EQ(by_source["Variety"]->summary, "<p>Variety text " + id + "</p>");
    EXPECT_EQ(by_source["Variety"]->categories,
              (std::vector<std::string>{"Film", "Variety cat " + id}));
    EXPECT_EQ(by_source["Wire"]->summary, "Wire text " + id);
    EXPECT_EQ(by_source["Wire"]->categories, std::vector<std::string>{"AI"});
  }
};

TEST_F(OutletEvidence, EachOutletHasItsOwnSummaryAndCategories) {
  put_story(1);
  const auto stories = m_store.stories(at(1), 50);
  ASSERT_EQ(stories.size(), 1u);
  expect_outlets(stories[0]);
  const auto ex = m_store.explain(stories[0].uid);
  ASSERT_TRUE(ex.has_value());
  expect_outlets(ex->story);
}

TEST_F(OutletEvidence, TheBulkReadFillsThemToo) {
  for (int n = 0; n < 70; ++n) // more than the one-by-one path takes
    put_story(n);
  const auto stories = m_store.stories(at(1), 1000);
  ASSERT_EQ(stories.size(), 70u);
  for (const Story& s : stories)
    expect_outlets(s);
}

} // namespace
} // namespace reelfeed::store

// Event clustering: independently written reports of one news event from different outlets
// fold into one story; different events about the same people stay apart. A real SQLite
// file, through Store's public interface.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>

#include "store/store.hpp"
#include "store_helpers.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::store {
namespace {

using test::at;
using test::feed_of;
using test::item;
using test::status_of;

class EventCluster : public test::StoreTest {
protected:
  void SetUp() override {
    m_store.sync_sources({{"Variety", "https://variety.com/feed/", {"trade"}, true},
                          {"Deadline", "https://deadline.com/feed/", {"trade"}, true},
                          {"Reuters", "https://reuters.com/feed/", {"news"}, true},
                          {"Verge", "https://theverge.com/rss", {"tech"}, true},
                          {"Wire", "https://wire.example/rss", {"news"}, true}});
  }
  std::size_t stories() { return m_store.stories(at(1), 1000).size(); }
  const Story* story_with(const std::vector<Story>& all, const std::string& source) {
    for (const Story& s : all)
      for (const Outlet& o : s.outlets)
        if (o.source == source)
          return &s;
    return nullptr;
  }
};

// Three outlets' own reports of one lawsuit: headlines that share few words, ledes that
// share the names, the court and the numbers.
Entry lawsuit_variety() {
  return item("v1", "Studios Call Image Generator a 'Bottomless Pit of Plagiarism' in Complaint",
              "https://variety.com/2026/biz/news/studios-sue-pixelforge/", at(11, 15),
              "Disney and Universal filed a 110-page complaint against PixelForge in federal "
              "court in Los Angeles, accusing the startup of copying Darth Vader and Shrek.");
}
Entry lawsuit_reuters() {
  return item("r1", "Disney and Universal accuse image startup PixelForge of copying characters",
              "https://reuters.com/legal/disney-universal-pixelforge/", at(11, 17),
              "The studios' lawsuit, filed in Los Angeles federal court, says PixelForge let "
              "users generate Darth Vader and Shrek on demand.");
}
Entry lawsuit_verge() {
  return item("x1", "PixelForge makes Shrek on demand, and now Disney is suing it",
              "https://theverge.com/ai/pixelforge-lawsuit", at(11, 20),
              "Disney and Universal's 110-page suit says the PixelForge image generator is a "
              "bottomless pit of plagiarism.");
}

TEST_F(EventCluster, IndependentReportsOfOneEventAreOneStory) {
  put("Variety", {lawsuit_variety()}, at(11, 16));
  const auto r = put("Reuters", {lawsuit_reuters()}, at(11, 18));
  EXPECT_EQ(r.joined_stories, 1);
  const auto r3 = put("Verge", {lawsuit_verge()}, at(11, 21));
  EXPECT_EQ(r3.joined_stories, 1);
  const auto all = m_store.stories(at(1), 10);
  ASSERT_EQ(all.size(), 1u);
  ASSERT_EQ(all[0].outlets.size(), 3u);
  const auto ex = m_store.explain("https://theverge.com/ai/pixelforge-lawsuit");
  ASSERT_TRUE(ex.has_value());
  ASSERT_EQ(ex->members.size(), 3u);
  const auto& verge = ex->members[2];
  EXPECT_TRUE(verge.reason.starts_with("same event")) << verge.reason;
  ASSERT_FALSE(verge.terms.empty());
  // The terms that carried it are the event's names, not filler.
  const auto has = [&](const std::string& w) {
    return std::any_of(verge.terms.begin(), verge.terms.end(),
                       [&](const std::string& t) { return t.starts_with(w + " "); });
  };
  EXPECT_TRUE(has("pixelforg") || has("shrek") || has("disney")) << verge.terms.front();
}

TEST_F(EventCluster, AnotherEventAboutTheSameCompanyOnTheSameDayStaysApart) {
  put("Variety", {lawsuit_variety()}, at(11, 16));
  // Same company, same day, a different event: a product launch.
  const auto r = put("Verge",
                     {item("x2", "PixelForge launches V1, its first video model",
                           "https://theverge.com/ai/pixelforge-v1-video", at(11, 19),
                           "The startup's new model turns still images into five-second clips "
                           "for $10 a month.")},
                     at(11, 20));
  EXPECT_EQ(r.joined_stories, 0);
  EXPECT_EQ(stories(), 2u);
}

TEST_F(EventCluster, AFollowUpDaysLaterIsItsOwnStory) {
  put("Variety", {lawsuit_variety()}, at(11, 16));
  put("Reuters", {lawsuit_reuters()}, at(11, 18));
  // Two and a half days later, the same parties: a judge's ruling, not the filing.
  const auto r =
      put("Deadline",
          {item("d1", "Judge Refuses To Halt PixelForge As Disney Case Proceeds",
                "https://deadline.com/2026/11/pixelforge-ruling/", at(14, 3),
                "A federal judge in Los Angeles declined Disney and Universal's request to stop "
                "PixelForge generating Darth Vader and Shrek while the case goes on.")},
          at(14, 4));
  EXPECT_EQ(r.joined_stories, 0);
  EXPECT_EQ(stories(), 2u);
}

TEST_F(EventCluster, OneOutletsReportsNeverFoldByEvent) {
  // The same outlet's two reports of one event are an update and a follow-up: both stay.
  const auto r = put(
      "Variety",
      {lawsuit_variety(), item("v2", "PixelForge Responds to Disney and Universal Complaint",
                               "https://variety.com/2026/biz/news/pixelforge-responds/", at(11, 18),
                               "PixelForge said the 110-page complaint filed in Los Angeles over "
                               "Darth Vader and Shrek images has no merit.")},
      at(11, 19));
  EXPECT_EQ(r.new_stories, 2);
}

TEST_F(EventCluster, AnOutletsSecondReportDoesNotJoinTheStoryThroughAnotherOutlet) {
  // Variety's follow-up reads like Reuters' report, which joined Variety's first one: it
  // would chain into that story through Reuters, and an outlet reports an event once.
  put("Variety", {lawsuit_variety()}, at(11, 16));
  const auto r = put("Reuters", {lawsuit_reuters()}, at(11, 18));
  ASSERT_EQ(r.joined_stories, 1);
  const auto v2 =
      put("Variety",
          {item("v2", "Disney and Universal's PixelForge lawsuit: what the studios want",
                "https://variety.com/2026/biz/news/pixelforge-lawsuit-explainer/", at(11, 19),
                "Disney and Universal want PixelForge to stop its users making "
                "Darth Vader and Shrek, and damages for every image so far.")},
          at(11, 20));
  EXPECT_EQ(v2.new_stories, 1);
  EXPECT_EQ(v2.joined_stories, 0);
  const auto all = m_store.stories(at(1), 10);
  ASSERT_EQ(all.size(), 2u);
  for (const Story& st : all) {
    std::multiset<std::string> outlets;
    for (const Outlet& o : st.outlets) {
      outlets.insert(o.source);
    }
    EXPECT_LE(outlets.count("Variety"), 1u);
  }
}

TEST_F(EventCluster, AFeedOfIdenticalTitlesAndASeriesOfNumberedItemsFoldNothing) {
  std::vector<Entry> daily;
  std::vector<Entry> series;
  for (int i = 0; i < 300; ++i) {
    daily.push_back(item("d" + std::to_string(i), "Daily update",
                         "https://wire.example/daily/" + std::to_string(i),
                         at(10, 0) + Seconds{i * 60},
                         "Today's notes from the newsroom, part " + std::to_string(i) + "."));
    series.push_back(item("s" + std::to_string(i),
                          "Local bakery note number " + std::to_string(i) + " about bread",
                          "https://wire.example/bakery/" + std::to_string(i),
                          at(12, 0) + Seconds{i * 60}, "A note about bread from the bakery."));
  }
  EXPECT_EQ(put("Wire", daily, at(11)).new_stories, 300);
  EXPECT_EQ(put("Wire", series, at(13)).new_stories, 300);
  // Another outlet's "Daily update" is not the same event either: one common title word.
  const auto r = put("Reuters",
                     {item("u", "Daily update", "https://reuters.com/daily", at(10, 5),
                           "Markets, weather and sport.")},
                     at(11));
  EXPECT_EQ(r.new_stories, 1);
}

TEST_F(EventCluster, TheEarliestReportHeadsTheStoryWhateverArrivesFirst) {
  // Reuters' report came out first, but its feed is stored last.
  put("Verge", {lawsuit_verge()}, at(11, 21));
  const auto before = m_store.stories(at(1), 10);
  ASSERT_EQ(before.size(), 1u);
  put("Variety", {lawsuit_variety()}, at(11, 22));
  const auto after = m_store.stories(at(1), 10);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].id, before[0].id) << "the story keeps its id";
  EXPECT_EQ(after[0].outlets.front().source, "Variety");
  EXPECT_EQ(after[0].title, lawsuit_variety().title);
  EXPECT_EQ(after[0].link, "https://variety.com/2026/biz/news/studios-sue-pixelforge");
  std::vector<std::string> order;
  for (const Outlet& o : after[0].outlets)
    order.push_back(o.source);
  EXPECT_EQ(order, (std::vector<std::string>{"Variety", "Verge"}));
}

TEST_F(EventCluster, AStoryUidIsFixedWhenFirstPublished) {
  put("Verge", {lawsuit_verge()}, at(11, 21));
  const auto s = m_store.stories(at(1), 10).at(0);
  // Unpublished: named after its representative's URL, not after the order of arrival.
  EXPECT_TRUE(s.uid.starts_with("urn:reelfeed:story:"));
  Decision d;
  d.topic = "t";
  d.published = true;
  m_store.save_decisions({{s.id, d}});
  put("Variety", {lawsuit_variety()}, at(11, 22)); // a new representative
  const auto after = m_store.stories(at(1), 10).at(0);
  EXPECT_EQ(after.outlets.front().source, "Variety");
  EXPECT_EQ(after.uid, s.uid) << "published: the uid readers know never changes";
  EXPECT_TRUE(m_store.explain(s.uid).has_value());
}

TEST_F(EventCluster, AReportThatBridgesTwoStoriesFoldsTheYoungerIntoTheOlder) {
  // Two reports of one event that are too unlike to join each other...
  put("Variety",
      {item("v1", "Disney Invests $1 Billion In OpenAI",
            "https://variety.com/2026/disney-openai-invest/", at(11, 13),
            "Disney will take a $1 billion stake in OpenAI and license Mickey Mouse, Marvel and "
            "Star Wars characters for the Sora video app.")},
      at(11, 14));
  put("Deadline",
      {item("d1", "Mickey And Marvel Heroes Head To Sora",
            "https://deadline.com/2026/11/mickey-marvel-sora/", at(11, 15),
            "Bob Iger says licensing Disney characters to Sora protects creators; the $1 billion "
            "OpenAI deal runs three years.")},
      at(11, 16));
  const auto before = m_store.stories(at(1), 10);
  // ...and a third that says what both say.
  put("Reuters",
      {item("r1", "Disney puts $1 billion into OpenAI, licenses Mickey, Marvel, Star Wars to Sora",
            "https://reuters.com/business/disney-openai-sora/", at(11, 17),
            "Disney will invest $1 billion in OpenAI and license Mickey Mouse, Marvel and Star "
            "Wars characters to Sora in a three-year deal, Bob Iger said.")},
      at(11, 18));
  const auto after = m_store.stories(at(1), 10);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].outlets.size(), 3u);
  if (before.size() == 2) {
    // The older story survives; the younger one's id and uid lead to it.
    const auto older = std::min(before[0].id, before[1].id);
    const Story& gone = before[0].id == older ? before[1] : before[0];
    EXPECT_EQ(after[0].id, older);
    const auto ex = m_store.explain(gone.uid);
    ASSERT_TRUE(ex.has_value());
    EXPECT_EQ(ex->story.id, older);
    EXPECT_EQ(ex->folded_from, gone.uid);
    const auto by_id = m_store.explain(std::to_string(gone.id));
    ASSERT_TRUE(by_id.has_value());
    EXPECT_EQ(by_id->story.id, older);
  }
}

TEST_F(EventCluster, TheSameFeedsInAnotherOrderMakeTheSameStories) {
  const auto run = [](const std::vector<std::string>& order) {
    test::TempDir dir;
    Store store(dir.path() / "o.db");
    store.sync_sources({{"Variety", "", {}, true},
                        {"Deadline", "", {}, true},
                        {"Reuters", "", {}, true},
                        {"Verge", "", {}, true}});
    const std::map<std::string, std::vector<Entry>> feeds = {
        {"Variety", {lawsuit_variety()}},
        {"Reuters", {lawsuit_reuters()}},
        {"Verge", {lawsuit_verge()}},
        {"Deadline",
         {item("d9", "Netflix Orders Fourth Season Of Space Drama",
               "https://deadline.com/2026/11/netflix-space-drama/", at(11, 9),
               "The streamer renewed the series after its biggest debut.")}}};
    for (const auto& name : order)
      store.ingest(name, feed_of(feeds.at(name)), status_of(name, at(12)), at(12));
    std::vector<std::string> out;
    for (const Story& s : store.stories(at(1), 10)) {
      std::string line = s.uid + " | " + s.title + " | " + s.link;
      for (const Outlet& o : s.outlets)
        line += " | " + o.source;
      out.push_back(line);
    }
    return out;
  };
  const auto a = run({"Variety", "Reuters", "Verge", "Deadline"});
  const auto b = run({"Deadline", "Verge", "Reuters", "Variety"});
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(a, b);
}

TEST_F(EventCluster, ShortTitlesSharingOneWordStayApart) {
  m_store.ingest("Variety", feed_of({item("a", "Café Noir", "https://variety.com/a", at(10))}),
                 status_of("Variety", at(11)), at(11));
  m_store.ingest("Reuters",
                 feed_of({item("b", "Noir returns", "https://reuters.com/b", at(10, 13))}),
                 status_of("Reuters", at(11)), at(11));
  EXPECT_EQ(stories(), 2u);
}

// In a store too small to have learned that every story here says "AI", "actor" and
// "voice", two events that share only those words stay apart.
TEST_F(EventCluster, TheBeatsOwnWordsDoNotMakeAnEventInASmallStore) {
  m_store.ingest(
      "Variety",
      feed_of({item("n", "Netflix Expands AI Dubbing That Matches Actors' Lip Movements",
                    "https://variety.com/netflix-dubbing", at(18, 13),
                    "Netflix is rolling out machine-learning lip sync on dubbed versions of its "
                    "originals, drawing concern from voice actors' unions in Europe.")}),
      status_of("Variety", at(19)), at(19));
  m_store.ingest("Deadline",
                 feed_of({item("s", "Voice Actor Sues AI Startup Over Cloned Voice Used In Ads",
                               "https://deadline.com/voice-actor-sues", at(18, 17),
                               "Veteran narrator Paul Reyes claims a text-to-speech company "
                               "cloned his voice from his audiobook work.")}),
                 status_of("Deadline", at(19)), at(19));
  EXPECT_EQ(stories(), 2u);
}

// Reports spread over two months in one transaction load more time buckets than the index
// keeps; each pair still finds its partner, and nothing reads an evicted bucket.
TEST_F(EventCluster, OneBurstAcrossManyWeeksStillPairsEachEvent) {
  std::vector<Entry> variety;
  std::vector<Entry> reuters;
  constexpr int k_events = 15;
  for (int i = 0; i < k_events; ++i) {
    const auto day = at(1) + std::chrono::days{4 * i};
    const std::string n = std::to_string(i);
    const std::string name = "Studio" + std::string(1, static_cast<char>('A' + i)) + "corp";
    variety.push_back(item("v" + n,
                           name + " sues Robot" + n + " over cloned voices of " +
                               std::to_string(100 + i) + " actors",
                           "https://variety.com/" + n, day,
                           name + " filed the complaint in Delaware against Robot" + n + "."));
    reuters.push_back(item("r" + n,
                           "Robot" + n + " accused by " + name + " of cloning " +
                               std::to_string(100 + i) + " actors' voices",
                           "https://reuters.com/" + n, day + std::chrono::hours{3},
                           "The " + name + " lawsuit says Robot" + n + " copied the voices."));
  }
  const auto now = at(1) + std::chrono::days{70};
  const auto a = prepare(feed_of(variety));
  const auto b = prepare(feed_of(reuters));
  auto sa = status_of("Variety", now);
  auto sb = status_of("Reuters", now);
  const auto out = m_store.ingest_group({{&a, &sa}, {&b, &sb}}, now);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].ok() && out[1].ok());
  const auto all = m_store.stories(at(1), 1000);
  EXPECT_EQ(all.size(), static_cast<std::size_t>(k_events));
  for (const Story& s : all)
    EXPECT_EQ(s.outlets.size(), 2u) << s.title;
}

// Random text over a small vocabulary: any two reports share several words, none of them
// rare, and nothing is one event. Sharing what unrelated reports share by chance is not a
// join (without the coincidence test, more than half of these folded).
TEST_F(EventCluster, UnrelatedTextOverASmallVocabularyFoldsAlmostNothing) {
  static const char* const k_words[] = {
      "minister", "council",  "election",   "market",     "company",    "shares",     "report",
      "police",   "court",    "city",       "county",     "school",     "hospital",   "health",
      "budget",   "energy",   "climate",    "storm",      "weather",    "football",   "season",
      "league",   "players",  "coach",      "transfer",   "inflation",  "interest",   "rates",
      "bank",     "economy",  "growth",     "data",       "software",   "release",    "security",
      "patch",    "kernel",   "browser",    "cloud",      "outage",     "network",    "server",
      "database", "research", "study",      "scientists", "university", "trial",      "vaccine",
      "patients", "doctors",  "museum",     "festival",   "album",      "review",     "director",
      "series",   "episode",  "rocket",     "satellite",  "mission",    "airport",    "train",
      "strike",   "union",    "workers",    "housing",    "prices",     "mortgage",   "tenants",
      "landlord", "village",  "residents",  "community",  "charity",    "volunteers", "judge",
      "ruling",   "appeal",   "settlement", "merger",     "startup",    "funding",    "investors",
      "quarter",  "revenue",  "profit",     "forecast",   "analysts",   "statement",  "garden",
      "river",    "bridge",   "harbour",    "library",    "orchestra",  "theatre",    "painting",
      "farmers",  "harvest",  "drought",    "factory",    "engineers",  "pilots",     "ferry",
      "tunnel",   "stadium",  "marathon",   "election",   "senator",    "mayor",      "governor"};
  std::mt19937 rng(20261207);
  const auto words = [&](int lo, int hi) {
    std::string out;
    const int n = std::uniform_int_distribution<int>(lo, hi)(rng);
    for (int i = 0; i < n; ++i) {
      out += (i ? " " : "");
      out += k_words[std::uniform_int_distribution<std::size_t>(0, std::size(k_words) - 1)(rng)];
    }
    return out;
  };
  const std::vector<std::string> sources = {"Variety", "Deadline", "Reuters", "Verge", "Wire"};
  constexpr int k_per_source = 120;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    std::vector<Entry> items;
    for (int i = 0; i < k_per_source; ++i) {
      const std::string id = std::to_string(s) + "-" + std::to_string(i);
      items.push_back(item(id, words(5, 14), "https://example.com/" + id,
                           at(10) + Seconds{(i * 1800 + static_cast<int>(s) * 600) % 172800},
                           words(25, 45) + "."));
    }
    put(sources[s], items, at(13));
  }
  const auto total = sources.size() * k_per_source;
  EXPECT_GE(stories(), total - total / 100);
}

} // namespace
} // namespace reelfeed::store

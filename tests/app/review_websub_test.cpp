// The editor's view pages and which feeds a WebSub hub hears about.
#include "app/review.hpp"
#include "app/websub.hpp"

#include <gtest/gtest.h>

#include "stories.hpp"

namespace reelfeed::app {
namespace {

TEST(DroppedBy, NamesNegatedConceptsAndNegativeTermsOfUnpublishedDecisions) {
  Decision d;
  d.reason = "not published: excluded by fiction-review 3.0/1.5; excluded by sports 2.0/1.0 "
             "(rule ai & !fiction-review & !sports; ai 4.0/1.5)";
  d.hits = {{"ai", "AI", "title", 3.0},
            {"ai", "Kingdom Hearts", "title", -3.0},
            {"ai", "Kingdom Hearts", "summary", -1.5}};
  EXPECT_EQ(dropped_by(d), (std::vector<std::string>{"fiction-review (excluded by the rule)",
                                                     "sports (excluded by the rule)",
                                                     "\"Kingdom Hearts\" (negative term of ai)"}));
  d.published = true; // a published story was dropped by nothing
  EXPECT_TRUE(dropped_by(d).empty());
  Decision low;
  low.reason = "not published: score 2.0 < threshold 3.0 (ai 2.0/1.5)";
  EXPECT_TRUE(dropped_by(low).empty());
}

TEST(ReviewMargin, HalfTheThresholdAtLeastOne) {
  EXPECT_DOUBLE_EQ(review_margin(3.0), 1.5);
  EXPECT_DOUBLE_EQ(review_margin(1.0), 1.0);
  EXPECT_DOUBLE_EQ(review_margin(0.0), 1.0);
}

TEST(ReviewSnapshot, OnePagePerTopicWithScoresTermsAndWhyDropped) {
  ReviewPlan plan;
  plan.site_title = "Site";
  TopicReview t{"ai-hollywood", "AI in Hollywood", 3.0, 1.5, {}};
  Decision near;
  near.topic = "ai-hollywood";
  near.score = 2.5;
  near.threshold = 3.0;
  near.reason = "not published: score 2.5 < threshold 3.0 (ai 2.5/1.5)";
  near.hits = {{"ai", "generative", "summary", 1.5},
               {"entertainment", "tag:entertainment", "source", 1.0}};
  Decision dropped = near;
  dropped.score = 7;
  dropped.reason = "not published: excluded by fiction-review 3.0/1.5 (rule x)";
  t.rows.push_back({test::story(7, "A <b>studio</b> tries generative tools", 3), near});
  t.rows.push_back({test::story(8, "Review: the robot film", 2), dropped});
  plan.topics.push_back(t);
  plan.topics.push_back(TopicReview{"money", "Money", 2.0, 1.0, {}});

  const serve::Snapshot snap = review_snapshot(plan);
  ASSERT_EQ(snap.size(), 2u);
  const std::string& html = snap.at("/topics/ai-hollywood/review")->body;
  EXPECT_EQ(snap.at("/topics/ai-hollywood/review")->content_type, "text/html; charset=utf-8");
  const std::size_t near_at = html.find("<h2 id=\"near\">Near the threshold</h2>");
  const std::size_t dropped_at = html.find("<h2 id=\"dropped\">Dropped by a negative rule</h2>");
  const std::size_t studio = html.find("A &lt;b&gt;studio&lt;/b&gt; tries generative tools");
  const std::size_t robot = html.find("Review: the robot film");
  ASSERT_NE(near_at, std::string::npos) << html;
  EXPECT_LT(near_at, studio);
  EXPECT_LT(studio, dropped_at);
  EXPECT_LT(dropped_at, robot);
  EXPECT_NE(html.find("score 2.50 &lt; threshold 3.00"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>ai</td><td>summary</td><td>generative</td><td>+1.50</td>"),
            std::string::npos);
  EXPECT_NE(html.find("Dropped by: <code>fiction-review (excluded by the rule)</code>"),
            std::string::npos);
  EXPECT_NE(html.find("<a href=\"/topics/money/review\">Money</a>"), std::string::npos);
  EXPECT_NE(snap.at("/topics/money/review")->body.find("<p>None.</p>"), std::string::npos);
  // The same plan again keeps its Resources.
  const serve::Snapshot again = review_snapshot(plan, &snap);
  EXPECT_EQ(again.at("/topics/money/review").get(), snap.at("/topics/money/review").get());
}

TEST(ChangedFeeds, FeedsWhoseResourceIsNewNeverPages) {
  const auto res = [](const std::string& body) {
    return std::make_shared<const serve::Resource>(serve::make_resource("x", body, {}));
  };
  serve::Snapshot first{{"/feed.atom", res("a")},
                        {"/feed.json", res("j")},
                        {"/", res("page")},
                        {"/topics/t.rss", res("r")}};
  EXPECT_EQ(changed_feeds(nullptr, first, "http://h"),
            (std::vector<std::string>{"http://h/feed.atom", "http://h/feed.json",
                                      "http://h/topics/t.rss"}));
  serve::Snapshot next = first;
  next["/feed.json"] = res("j2");
  next["/"] = res("page2");
  next["/topics/new.atom"] = res("n");
  EXPECT_EQ(changed_feeds(&first, next, "http://h"),
            (std::vector<std::string>{"http://h/feed.json", "http://h/topics/new.atom"}));
  EXPECT_TRUE(changed_feeds(&first, first, "http://h").empty());
}

} // namespace
} // namespace reelfeed::app

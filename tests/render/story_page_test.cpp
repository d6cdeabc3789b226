// The HTML story pages: what a person reads, escaped and sanitised like the feeds, paged.
#include "render/story_page.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace reelfeed::render {
namespace {

using test::sample_items;

StoryPageInfo two_topics(std::size_t current, std::string path) {
  StoryPageInfo info;
  info.site_title = "Site <&>";
  info.topics = {
      {"ai-hollywood", "AI in Hollywood", "/", "/feed.atom", "/feed.rss", "/feed.json", 3},
      {"money", "Money", "/topics/money/", "/topics/money.atom", "/topics/money.rss",
       "/topics/money.json", 0}};
  info.current = current;
  info.path = std::move(path);
  return info;
}

std::vector<std::int64_t> ids_of(const std::vector<Item>& items) {
  std::vector<std::int64_t> ids;
  for (const Item& i : items) {
    ids.push_back(i.story.id);
  }
  return ids;
}

TEST(StoryPage, ShowsEveryStoryWithHeadlineTimeSummaryOutletsAndConcepts) {
  const std::vector<Item> items = sample_items();
  const std::vector<Prepared> prepared = prepare_all(items);
  const auto docs = story_pages(two_topics(0, "/"), prepared, ids_of(items));
  ASSERT_EQ(docs.size(), 1u);
  const std::string& html = docs[0].html;
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_EQ(docs[0].query, "");
  // Newest first, in the order given; each story an article with its id.
  const std::size_t a = html.find("id=\"story-3\"");
  const std::size_t b = html.find("id=\"story-2\"");
  const std::size_t c = html.find("id=\"story-1\"");
  ASSERT_NE(a, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  // The clean headline links to the founding outlet's article.
  EXPECT_NE(html.find("<h2><a href=\"https://variety.com/2024/biz/news/sag-aftra-ai-deal-1235."
                      "html\">SAG-AFTRA reaches AI deal with studios</a></h2>"),
            std::string::npos)
      << html;
  EXPECT_EQ(html.find("EXCLUSIVE"), std::string::npos);
  // A machine-readable time with readable UTC text.
  EXPECT_NE(html.find("<time datetime=\"2024-05-01T12:00:00Z\">01 May 2024, 12:00 UTC</time>"),
            std::string::npos);
  EXPECT_NE(html.find("<p>The union and the <b>studios</b> agreed.</p>"), std::string::npos);
  // Every outlet with its own headline and link, the founding one first.
  const std::size_t thr = html.find("The Hollywood Reporter: <a href=\"https://www.hollywoodrep");
  const std::size_t dl = html.find("Deadline: <a href=\"https://deadline.com/sora\">Sora meets "
                                   "Hollywood</a>");
  const std::size_t wrap =
      html.find("The Wrap: <a href=\"https://www.thewrap.com/sora?x=1&amp;y=2\">OpenAI courts "
                "studios</a>");
  ASSERT_NE(thr, std::string::npos) << html;
  EXPECT_LT(thr, dl);
  EXPECT_LT(dl, wrap);
  EXPECT_NE(html.find("Covered by 3 outlets"), std::string::npos);
  EXPECT_NE(html.find("Matched: <span>ai</span><span>entertainment</span>"), std::string::npos);
  EXPECT_EQ(docs[0].updated, test::at(test::k_base + 7200));
}

TEST(StoryPage, EscapesAndSanitisesLikeTheFeeds) {
  const std::vector<Item> items = sample_items();
  const std::vector<Prepared> prepared = prepare_all(items);
  const std::string html = story_pages(two_topics(0, "/"), prepared, ids_of(items))[0].html;
  const std::string body = html.substr(html.find("<body>"));
  // Only the page's own script; nothing from the hostile story runs or submits.
  EXPECT_EQ(body.find("<script>"), body.rfind("<script>"));
  EXPECT_EQ(body.find("alert("), std::string::npos);
  EXPECT_EQ(body.find("onclick"), std::string::npos);
  EXPECT_EQ(body.find("<iframe"), std::string::npos);
  EXPECT_EQ(body.find("<studios>"), std::string::npos);
  EXPECT_NE(body.find("Deepfake actors &amp; &lt;studios&gt;"), std::string::npos) << body;
  EXPECT_NE(html.find("<title>Site &lt;&amp;&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
}

TEST(StoryPage, AnnouncesAndListsEveryFeedThisTopicFirst) {
  const std::vector<Item> items = sample_items();
  const std::vector<Prepared> prepared = prepare_all(items);
  const std::string html =
      story_pages(two_topics(1, "/topics/money/"), prepared, ids_of(items))[0].html;
  const std::string head = html.substr(0, html.find("</head>"));
  const std::size_t money =
      head.find("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Money (Atom)\" "
                "href=\"/topics/money.atom\">");
  const std::size_t ai = head.find("<link rel=\"alternate\" type=\"application/atom+xml\" "
                                   "title=\"AI in Hollywood (Atom)\" href=\"/feed.atom\">");
  ASSERT_NE(money, std::string::npos) << head;
  EXPECT_LT(money, ai);
  EXPECT_NE(head.find("href=\"/topics/money.json\""), std::string::npos);
  EXPECT_NE(html.find("<h1>Money</h1>"), std::string::npos);
  EXPECT_NE(html.find("<title>Money \xC2\xB7 Site &lt;&amp;&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"/topics/money/\" aria-current=\"page\">Money</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<a href=\"/\">AI in Hollywood</a>"), std::string::npos);
  EXPECT_NE(html.find("3 stories: <a href=\"/feed.atom\">Atom</a>"), std::string::npos);
  EXPECT_NE(html.find("0 stories: <a href=\"/topics/money.atom\">Atom</a>"), std::string::npos);
}

TEST(StoryPage, PagesAreAddressedByTheLastStoryBeforeThem) {
  std::vector<Item> items;
  for (int i = 0; i < 7; ++i) {
    Item it = test::plain_item();
    it.story.id = 100 - i; // ids need not follow the order
    it.story.title = "Story " + std::to_string(i);
    items.push_back(it);
  }
  const std::vector<Prepared> prepared = prepare_all(items);
  const auto docs = story_pages(two_topics(1, "/topics/money/"), prepared, ids_of(items), 3);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0].query, "");
  EXPECT_EQ(docs[1].query, "?before=98"); // after stories 100, 99, 98
  EXPECT_EQ(docs[2].query, "?before=95");
  EXPECT_NE(docs[0].html.find("Story 2<"), std::string::npos);
  EXPECT_EQ(docs[0].html.find("Story 3<"), std::string::npos);
  EXPECT_NE(docs[1].html.find("Story 3<"), std::string::npos);
  EXPECT_NE(docs[2].html.find("Story 6<"), std::string::npos);
  // Links between pages.
  EXPECT_NE(docs[0].html.find("<a href=\"/topics/money/?before=98\">Older stories"),
            std::string::npos);
  EXPECT_EQ(docs[0].html.find("Newer stories"), std::string::npos);
  EXPECT_NE(docs[1].html.find("<a href=\"/topics/money/\">\xE2\x86\x90 Newer stories"),
            std::string::npos);
  EXPECT_NE(docs[2].html.find("<a href=\"/topics/money/?before=98\">\xE2\x86\x90 Newer"),
            std::string::npos);
  EXPECT_EQ(docs[2].html.find("Older stories"), std::string::npos);
  EXPECT_NE(docs[1].html.find("(page 2 of 3)</title>"), std::string::npos);
  // A stale "?before=" of a story that is no longer a boundary: the page of its successor.
  EXPECT_EQ(docs[0].aliases, (std::vector<std::string>{"?before=100", "?before=99"}));
  EXPECT_EQ(docs[1].aliases, (std::vector<std::string>{"?before=97", "?before=96"}));
  EXPECT_EQ(docs[2].aliases, (std::vector<std::string>{"?before=94"}));
}

TEST(StoryPage, NoStoriesIsOnePageThatSaysSo) {
  const auto docs = story_pages(two_topics(1, "/topics/money/"), {}, {});
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_NE(docs[0].html.find("No stories yet."), std::string::npos);
  EXPECT_EQ(docs[0].html.find("<nav class=\"pager\""), std::string::npos);
}

TEST(StoryPage, IdenticalInputIdenticalBytes) {
  const std::vector<Item> items = sample_items();
  const std::vector<Prepared> prepared = prepare_all(items);
  EXPECT_EQ(story_pages(two_topics(0, "/"), prepared, ids_of(items))[0].html,
            story_pages(two_topics(0, "/"), prepared, ids_of(items))[0].html);
}

} // namespace
} // namespace reelfeed::render

// The real binary's one-shot commands: check-config, parse, poll + status, render, explain,
// rules test, --version/--help.

#include <regex>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "child.hpp"
#include "e2e_config.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::e2e {
namespace {

std::size_t atom_entries(const std::string& atom) {
  return count(atom, "<entry>") + count(atom, "<entry ");
}

TEST(CliE2E, VersionAndHelp) {
  const CmdResult version = run_reelfeed({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, "reelfeed 0.1.0\n");
  const CmdResult help = run_reelfeed({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* cmd :
       {"run", "poll", "render", "parse", "check-config", "status", "explain", "rules", "opml"}) {
    EXPECT_NE(help.out.find(cmd), std::string::npos) << cmd;
  }
  EXPECT_NE(run_reelfeed({"no-such-command"}).exit_code, 0);
}

TEST(CliE2E, CheckConfigReportsEveryErrorAsFileLineColAndExits1) {
  test::TempDir dir;
  const auto bad = dir.write("bad.toml", "[storage]\npath = \"x.db\"\nretain = \"ninety days\"\n"
                                         "\n[server]\nlisten = \"127.0.0.1:8080\"\ncolour = 1\n");
  const CmdResult run = run_reelfeed({"check-config", "-c", bad.string()});
  EXPECT_EQ(run.exit_code, 1);
  // One error per line, each FILE:LINE:COL: message, pointing at the offending keys.
  const std::regex line_re("^" + bad.string() + R"(:(\d+):(\d+): .+$)");
  std::istringstream lines(run.out);
  std::string line;
  std::vector<int> rows;
  while (std::getline(lines, line)) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, line_re)) << line;
    rows.push_back(std::stoi(m[1]));
  }
  EXPECT_EQ(rows, (std::vector<int>{3, 7})) << run.out;

  const auto good = dir.write("good.toml", make_config({{"A", "http://127.0.0.1:9/a.xml"}}));
  const CmdResult ok = run_reelfeed({"check-config", "-c", good.string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("ok: 1 sources"), std::string::npos) << ok.out;

  const CmdResult missing =
      run_reelfeed({"check-config", "-c", (dir.path() / "nope.toml").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("nope.toml"), std::string::npos);
}

TEST(CliE2E, ParsePrintsFeedJsonAndRejectsWhatIsNotAFeed) {
  const CmdResult run = run_reelfeed({"parse", (e2e_data() / "feeds" / "variety.xml").string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["format"], "rss20");
  ASSERT_EQ(doc["entries"].size(), 3u);
  EXPECT_EQ(doc["entries"][0]["title"],
            "SAG-AFTRA Reaches Deal on AI Digital Replicas With Hollywood Studios");

  const CmdResult html =
      run_reelfeed({"parse", (e2e_data() / "feeds" / "not-a-feed.html").string()});
  EXPECT_EQ(html.exit_code, 1);
  EXPECT_NE(html.err.find("not-a-feed.html"), std::string::npos) << html.err;
  EXPECT_NE(html.err.find("an HTML page, which names a feed at /variety.xml"), std::string::npos)
      << html.err;
  const CmdResult missing = run_reelfeed({"parse", "/no/such/file.xml"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("cannot read"), std::string::npos);
}

/// `reelfeed poll`, then every stored story as JSON Feed (`render --all --format json`).
nlohmann::json poll_then_render_json(const std::filesystem::path& config) {
  const CmdResult poll = run_reelfeed({"poll", "-c", config.string()});
  EXPECT_EQ(poll.exit_code, 0) << poll.err;
  const CmdResult json =
      run_reelfeed({"render", "-c", config.string(), "--all", "--format", "json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  return nlohmann::json::parse(json.out, nullptr, false);
}

// A source's utc_offset places its feed's zone-less dates; dates with a zone keep theirs.
TEST(CliE2E, UtcOffsetPlacesAFeedsZonelessDates) {
  test::TempDir dir;
  dir.write("tokyo.xml",
            "<rss version=\"2.0\"><channel><title>Tokyo</title><link>https://t.example/</link>"
            "<item><title>Zoneless</title><link>https://t.example/a</link>"
            "<pubDate>2026-11-20 09:30:00</pubDate></item>"
            "<item><title>Zoned</title><link>https://t.example/b</link>"
            "<pubDate>Fri, 20 Nov 2026 09:30:00 GMT</pubDate></item></channel></rss>");
  const auto config = dir.write("reelfeed.toml", make_config({{"Tokyo", "file:tokyo.xml"}}) +
                                                     "utc_offset = \"+09:00\"\n");
  const nlohmann::json doc = poll_then_render_json(config);
  std::map<std::string, std::string> published;
  for (const auto& item : doc["items"]) {
    published[item["title"].get<std::string>()] = item["date_published"].get<std::string>();
  }
  EXPECT_EQ(published["Zoneless"], "2026-11-20T00:30:00Z") << doc.dump();
  EXPECT_EQ(published["Zoned"], "2026-11-20T09:30:00Z") << doc.dump();
}

// A source's encoding reads a mislabelled feed right: UTF-8 bytes declared as ISO-8859-1.
TEST(CliE2E, EncodingReadsAMislabelledFeed) {
  test::TempDir dir;
  const std::string feed = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\">"
                           "<channel><title>Old</title><item><title>Caf\xC3\xA9 Noir</title>"
                           "<link>https://old.example/a</link></item></channel></rss>";
  dir.write("old.xml", feed);
  dir.write("fixed.xml", std::regex_replace(feed, std::regex("/a<"), "/b<"));
  const auto config = dir.write(
      "reelfeed.toml",
      make_config({{"Old", "file:old.xml"}}) +
          "\n[[source]]\nname = \"Fixed\"\nurl = \"file:fixed.xml\"\nencoding = \"UTF-8\"\n");
  const nlohmann::json doc = poll_then_render_json(config);
  std::vector<std::string> titles;
  for (const auto& item : doc["items"]) {
    titles.push_back(item["title"].get<std::string>());
  }
  std::sort(titles.begin(), titles.end());
  EXPECT_EQ(titles, (std::vector<std::string>{"Caf\xC3\x83\xC2\xA9 Noir", "Caf\xC3\xA9 Noir"}));
}

// status before any poll: every source is new, and stderr says why (a wrong -c looks alike).
TEST(CliE2E, StatusWithoutADatabaseSaysSo) {
  test::TempDir dir;
  const auto config = dir.write("reelfeed.toml", make_config({{"A", "https://a.example/feed"}}));
  const CmdResult status = run_reelfeed({"status", "-c", config.string()});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("new"), std::string::npos) << status.out;
  EXPECT_NE(status.err.find("no database at " + (dir.path() / "reelfeed.db").string() + " yet"),
            std::string::npos)
      << status.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "reelfeed.db")); // status never creates it
}

// OPML in and out through the real binary: the imported tables make a config that checks.
TEST(CliE2E, OpmlImportGivesSourcesAConfigAcceptsAndExportListsThem) {
  test::TempDir dir;
  const auto opml = dir.write(
      "subs.opml", "<opml version=\"2.0\"><body><outline text=\"Trades\">"
                   "<outline type=\"rss\" text=\"Variety\" xmlUrl=\"https://variety.com/feed/\"/>"
                   "<outline type=\"rss\" text=\"Deadline\" xmlUrl=\"https://deadline.com/feed/\"/>"
                   "</outline><outline text=\"no feed\"/></body></opml>");
  const CmdResult imported = run_reelfeed({"opml", "import", opml.string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.err.find("skipped: no xmlUrl: no feed"), std::string::npos) << imported.err;
  const auto config = dir.write("reelfeed.toml", make_config({}) + "\n" + imported.out);
  const CmdResult check = run_reelfeed({"check-config", "-c", config.string()});
  EXPECT_EQ(check.exit_code, 0) << check.err << imported.out;
  EXPECT_NE(check.out.find("2 sources"), std::string::npos) << check.out;

  const CmdResult exported = run_reelfeed({"opml", "export", "-c", config.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find("xmlUrl=\"https://deadline.com/feed/\""), std::string::npos)
      << exported.out;
  EXPECT_NE(exported.out.find("category=\"/trades\""), std::string::npos) << exported.out;

  const auto rss = dir.write("feed.xml", "<rss version=\"2.0\"><channel/></rss>");
  const CmdResult wrong = run_reelfeed({"opml", "import", rss.string()});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("not OPML"), std::string::npos) << wrong.err;
}

class StoreE2E : public ::testing::Test {
protected:
  test::HttpServer m_feeds{test::serve_directory(e2e_data() / "feeds")};
  test::TempDir m_dir;
  std::filesystem::path m_config;

  void SetUp() override {
    m_config =
        m_dir.write("reelfeed.toml", make_config({{"Variety", m_feeds.url("/variety.xml")},
                                                  {"Deadline", m_feeds.url("/deadline.atom")},
                                                  {"Missing", m_feeds.url("/missing.xml")}}));
    const CmdResult poll = run_reelfeed({"poll", "-c", m_config.string()});
    ASSERT_EQ(poll.exit_code, 0) << poll.err;
    ASSERT_NE(poll.err.find("info polled sources=3 ok=2 failed=1"), std::string::npos) << poll.err;
  }
};

TEST_F(StoreE2E, StatusShowsEverySourceAfterPoll) {
  const CmdResult run = run_reelfeed({"status", "-c", m_config.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::istringstream lines(run.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_NE(header.find("SOURCE"), std::string::npos);
  EXPECT_NE(header.find("NEXT-POLL"), std::string::npos);
  std::map<std::string, std::string> rows;
  std::string line;
  while (std::getline(lines, line)) {
    rows[line.substr(0, line.find(' '))] = line;
  }
  ASSERT_EQ(rows.size(), 3u) << run.out;
  EXPECT_NE(rows["Variety"].find(" ok "), std::string::npos) << rows["Variety"];
  EXPECT_NE(rows["Variety"].find(" 200 "), std::string::npos) << rows["Variety"];
  EXPECT_NE(rows["Missing"].find(" 404 "), std::string::npos) << rows["Missing"];
  EXPECT_NE(rows["Missing"].find(" 1 "), std::string::npos) << rows["Missing"];
  EXPECT_EQ(m_feeds.requests().size(), 3u);
}

TEST_F(StoreE2E, RenderAllListsEveryStoryOnceAndRenderFiltersByTopic) {
  const CmdResult all = run_reelfeed({"render", "-c", m_config.string(), "--all"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  // 5 items, 2 of them the same story (same wire URL): 4 stories.
  EXPECT_EQ(atom_entries(all.out), 4u) << all.out;
  EXPECT_NE(all.out.find("Taiwan"), std::string::npos);
  EXPECT_NE(all.out.find("Netflix"), std::string::npos);

  const CmdResult feed = run_reelfeed({"render", "-c", m_config.string()});
  ASSERT_EQ(feed.exit_code, 0) << feed.err;
  EXPECT_EQ(atom_entries(feed.out), 1u) << feed.out;
  EXPECT_NE(feed.out.find("SAG-AFTRA"), std::string::npos);

  const CmdResult rss =
      run_reelfeed({"render", "-c", m_config.string(), "--format", "rss", "--topic", "box-office"});
  ASSERT_EQ(rss.exit_code, 0) << rss.err;
  EXPECT_EQ(count(rss.out, "<item>"), 1u) << rss.out;
  EXPECT_NE(rss.out.find("Midnight Harbor"), std::string::npos);

  const CmdResult json = run_reelfeed({"render", "-c", m_config.string(), "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out)["items"].size(), 1u);

  EXPECT_EQ(run_reelfeed({"render", "-c", m_config.string(), "--topic", "nope"}).exit_code, 1);
}

TEST_F(StoreE2E, ExplainShowsStoryOutletsAndDecision) {
  const CmdResult run = run_reelfeed({"explain", "-c", m_config.string(),
                                      "https://wire.example/2026/11/sag-aftra-ai-replica-deal"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Variety"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Deadline"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("outlets (2)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("ai-hollywood: PUBLISHED"), std::string::npos) << run.out;

  const CmdResult trap = run_reelfeed({"explain", "-c", m_config.string(),
                                       "https://variety.example/2026/11/taiwan-chipmaker-dubai"});
  ASSERT_EQ(trap.exit_code, 0) << trap.err;
  EXPECT_NE(trap.out.find("ai-hollywood: not published"), std::string::npos) << trap.out;

  const CmdResult unknown =
      run_reelfeed({"explain", "-c", m_config.string(), "https://nowhere.example/x"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no stored entry"), std::string::npos);
}

TEST_F(StoreE2E, RulesTestShowsWhatWouldEnterAndLeave) {
  const CmdResult same = run_reelfeed({"rules", "test", "-c", m_config.string()});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.out.find("no change"), std::string::npos) << same.out;

  // Loosen the first topic to "anything about AI": the Taiwan story would enter. The
  // entertainment concept is kept (a topic must use what it defines) but no longer required.
  std::string topics = read_file(e2e_data() / "topics.toml");
  const std::string when = "when = \"ai & entertainment\"";
  topics.replace(topics.find(when), when.size(), "when = \"ai | entertainment & !ai\"");
  const auto edited_topics = m_dir.write("topics.toml", topics);
  std::string cfg = read_file(m_config);
  const std::string original = (e2e_data() / "topics.toml").string();
  cfg.replace(cfg.find(original), original.size(), edited_topics.string());
  const auto edited = m_dir.write("edited.toml", cfg);
  const CmdResult diff = run_reelfeed({"rules", "test", "-c", edited.string()});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  EXPECT_NE(diff.out.find("ENTER"), std::string::npos) << diff.out;
  EXPECT_NE(diff.out.find("Taiwan"), std::string::npos) << diff.out;
  EXPECT_EQ(diff.out.find("LEAVE"), std::string::npos) << diff.out;
}

TEST(CliE2E, RulesTestWithLabelsPrintsPrecisionRecallAndEachWrongDecision) {
  test::TempDir dir;
  const auto cfg = dir.write("reelfeed.toml", make_config({}));
  const auto labels = dir.write(
      "labels.jsonl",
      "{\"id\": \"a\", \"title\": \"SAG-AFTRA wins AI protections\", \"relevant\": true}\n"
      "{\"id\": \"b\", \"title\": \"Hollywood studio hires an AI critic\", \"relevant\": "
      "false, \"outlet\": \"Trade\"}\n"
      "{\"id\": \"c\", \"title\": \"Taiwan chipmaker\", \"relevant\": false}\n");
  const CmdResult run =
      run_reelfeed({"rules", "test", "-c", cfg.string(), "--labels", labels.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("topic ai-hollywood, against " + labels.string() + " (3 labelled items)"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("precision 0.500 recall 1.000 (tp 1 fp 1 fn 0 tn 1)"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("FP b [Trade] Hollywood studio hires an AI critic\n"
                         "  ai-hollywood: published"),
            std::string::npos)
      << run.out;

  const CmdResult other = run_reelfeed(
      {"rules", "test", "-c", cfg.string(), "--labels", labels.string(), "--topic", "box-office"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_NE(other.out.find("precision 0.000 recall 0.000 (tp 0 fp 0 fn 1 tn 2)"), std::string::npos)
      << other.out;

  const auto bad = dir.write("bad.jsonl", "{\"title\": \"x\", \"relevant\": true}\n{oops\n");
  const CmdResult broken =
      run_reelfeed({"rules", "test", "-c", cfg.string(), "--labels", bad.string()});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find(bad.string() + ":2: not valid JSON"), std::string::npos) << broken.err;
  EXPECT_NE(broken.out.find("(1 labelled item)"), std::string::npos) << broken.out;
  EXPECT_EQ(run_reelfeed({"rules", "test", "-c", cfg.string(), "--labels", labels.string(),
                          "--topic", "nope"})
                .exit_code,
            1);
  EXPECT_NE(run_reelfeed({"rules", "test", "-c", cfg.string(), "--labels",
                          (dir.path() / "missing.jsonl").string()})
                .exit_code,
            0);
}

} // namespace
} // namespace reelfeed::e2e

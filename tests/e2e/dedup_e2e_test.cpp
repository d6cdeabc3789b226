// Deduplication end to end: four local sources (RSS and Atom) carry overlapping stories the way
// the trades do (tracking parameters, an AMP link, a wire copy under each outlet's own URL
// and decorated title). After `reelfeed poll`, `render --all` lists each story once with
// every outlet that carried it, the default-topic feed lists the relevant ones once, and an
// "UPDATED:" re-title neither adds a story nor changes a story's id or link.

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "child.hpp"
#include "e2e_config.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::e2e {
namespace {

namespace fs = std::filesystem;

// Each story is recognised by a fragment of its outlets' links and must list these sources.
struct ExpectedStory {
  std::string marker;
  std::set<std::string> sources;
  bool relevant; ///< published by the default topic (AI in Hollywood)
};

const std::vector<ExpectedStory>& expected_stories() {
  static const std::vector<ExpectedStory> k_stories{
      // Same Variety URL: utm_* on Variety, fbclid on THR, /amp/ on TheWrap.
      {"sag-aftra-ai-replica-deal", {"Variety", "THR", "TheWrap"}, true},
      // Wire copy: own URLs, near-identical title + lede, "EXCLUSIVE:" / "| Variety".
      {"lionsgate-runway", {"Variety", "Deadline", "THR"}, true},
      // A second SAG-AFTRA AI story a week later: similar words, a different story.
      {"sag-aftra-complaint-ai-replica", {"Deadline"}, true},
      {"midnight-harbor-box-office", {"Variety"}, false},
      {"netflix-renews-saltmarsh", {"TheWrap"}, false},
  };
  return k_stories;
}

// The real default rules, by absolute path, as the shipped config includes them.
std::string dedup_config(const std::vector<std::pair<std::string, std::string>>& sources) {
  const fs::path topics = fs::path(REELFEED_SOURCE_DIR) / "config" / "topics" / "ai-hollywood.toml";
  std::string toml = "include = [\"" + topics.string() + "\"]\n\n" +
                     "[storage]\npath = \"reelfeed.db\"\n\n"
                     "[server]\nlisten = \"127.0.0.1:0\"\n\n"
                     "[poll]\ninterval = \"5s\"\nmin_interval = \"1s\"\n\n"
                     "[output]\ntitle = \"E2E dedup\"\nmax_items = 50\nmax_age = \"3650d\"\n";
  for (const auto& [name, url] : sources) {
    toml += "\n[[source]]\nname = \"" + name + "\"\nurl = \"" + url + "\"\n";
    toml += "tags = [\"entertainment\"]\n";
  }
  return toml;
}

std::set<std::string> outlet_sources(const nlohmann::json& item) {
  std::set<std::string> out;
  for (const auto& o : item["_reelfeed"]["outlets"]) {
    out.insert(o["source"].get<std::string>());
  }
  return out;
}

bool item_matches(const nlohmann::json& item, const std::string& marker) {
  if (item.value("url", std::string{}).find(marker) != std::string::npos) {
    return true;
  }
  for (const auto& o : item["_reelfeed"]["outlets"]) {
    if (o["link"].get<std::string>().find(marker) != std::string::npos) {
      return true;
    }
  }
  return false;
}

class DedupE2E : public ::testing::Test {
protected:
  test::TempDir m_dir;
  fs::path m_feeds_dir;
  std::unique_ptr<test::HttpServer> m_server;
  fs::path m_config;

  void SetUp() override {
    m_feeds_dir = m_dir.path() / "feeds";
    fs::create_directories(m_feeds_dir);
    for (const char* f : {"variety.xml", "deadline.atom", "thr.xml", "thewrap.atom"}) {
      fs::copy_file(e2e_data() / "dedup" / f, m_feeds_dir / f);
    }
    m_server = std::make_unique<test::HttpServer>(test::serve_directory(m_feeds_dir));
    m_config =
        m_dir.write("reelfeed.toml", dedup_config({{"Variety", m_server->url("/variety.xml")},
                                                   {"Deadline", m_server->url("/deadline.atom")},
                                                   {"THR", m_server->url("/thr.xml")},
                                                   {"TheWrap", m_server->url("/thewrap.atom")}}));
  }

  void poll() {
    const CmdResult run = run_reelfeed({"poll", "-c", m_config.string()});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    ASSERT_NE(run.err.find("info polled sources=4 ok=4 failed=0"), std::string::npos) << run.err;
  }

  nlohmann::json render_json(bool all) {
    std::vector<std::string> args{"render", "-c", m_config.string(), "--format", "json"};
    if (all) {
      args.emplace_back("--all");
    }
    const CmdResult run = run_reelfeed(args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return nlohmann::json::parse(run.out);
  }

  // Checks every expected story appears exactly once (with all its outlets) and returns
  // marker -> item.
  std::map<std::string, nlohmann::json> check_all(const nlohmann::json& doc) {
    std::map<std::string, nlohmann::json> found;
    EXPECT_EQ(doc["items"].size(), expected_stories().size()) << doc.dump(2);
    for (const ExpectedStory& s : expected_stories()) {
      std::size_t hits = 0;
      for (const auto& item : doc["items"]) {
        if (item_matches(item, s.marker)) {
          ++hits;
          found[s.marker] = item;
          EXPECT_EQ(outlet_sources(item), s.sources) << s.marker << "\n" << item.dump(2);
          EXPECT_EQ(item["_reelfeed"]["outlets"].size(), s.sources.size()) << item.dump(2);
        }
      }
      EXPECT_EQ(hits, 1u) << s.marker << "\n" << doc.dump(2);
    }
    return found;
  }
};

TEST_F(DedupE2E, RenderAllHasEachStoryOnceWithAllOutlets) {
  poll();
  const nlohmann::json doc = render_json(true);
  const auto found = check_all(doc);
  std::set<std::string> ids;
  for (const auto& item : doc["items"]) {
    ids.insert(item["id"].get<std::string>());
  }
  EXPECT_EQ(ids.size(), doc["items"].size()) << "story ids must be distinct";
  // The replica-deal story's link is the canonical URL, without tracking or AMP parts.
  ASSERT_TRUE(found.count("sag-aftra-ai-replica-deal"));
  const std::string url = found.at("sag-aftra-ai-replica-deal").value("url", std::string{});
  EXPECT_EQ(url.find("utm_"), std::string::npos) << url;
  EXPECT_EQ(url.find("fbclid"), std::string::npos) << url;
  EXPECT_EQ(url.find("/amp"), std::string::npos) << url;
}

TEST_F(DedupE2E, DefaultTopicFeedHasEachRelevantStoryOnce) {
  poll();
  const nlohmann::json doc = render_json(false);
  for (const ExpectedStory& s : expected_stories()) {
    std::size_t hits = 0;
    for (const auto& item : doc["items"]) {
      if (item_matches(item, s.marker)) {
        ++hits;
        EXPECT_EQ(outlet_sources(item), s.sources) << s.marker << "\n" << item.dump(2);
      }
    }
    EXPECT_EQ(hits, s.relevant ? 1u : 0u) << s.marker << "\n" << doc.dump(2);
  }
}

TEST_F(DedupE2E, RetitledStoryKeepsItsIdAndLinkAndAddsNothing) {
  poll();
  const auto before = check_all(render_json(true));

  // Variety re-titles the replica story, Deadline its wire copy: same guid, same link.
  std::string variety = read_file(m_feeds_dir / "variety.xml");
  const std::string old_title = "<title>SAG-AFTRA Reaches Deal With Studios on AI Digital Replicas";
  ASSERT_NE(variety.find(old_title), std::string::npos);
  variety.replace(variety.find(old_title), old_title.size(),
                  "<title>UPDATED: SAG-AFTRA Reaches Deal With Studios on AI Digital Replicas, "
                  "Vote Set");
  m_dir.write("feeds/variety.xml", variety);
  std::string deadline = read_file(m_feeds_dir / "deadline.atom");
  const std::string old_wire = "<title>EXCLUSIVE: Lionsgate";
  ASSERT_NE(deadline.find(old_wire), std::string::npos);
  deadline.replace(deadline.find(old_wire), old_wire.size(), "<title>UPDATED: Lionsgate");
  m_dir.write("feeds/deadline.atom", deadline);

  poll();
  const nlohmann::json doc = render_json(true);
  const auto after = check_all(doc);
  for (const ExpectedStory& s : expected_stories()) {
    if (!before.count(s.marker) || !after.count(s.marker)) {
      continue; // reported by check_all
    }
    EXPECT_EQ(after.at(s.marker)["id"], before.at(s.marker)["id"]) << s.marker;
    EXPECT_EQ(after.at(s.marker).value("url", std::string{}),
              before.at(s.marker).value("url", std::string{}))
        << s.marker;
  }
  // The edit itself was taken in (the poll saw the new bytes, not a 304).
  EXPECT_NE(doc.dump().find("Vote Set"), std::string::npos) << doc.dump(2);
}

// A story is judged on all its outlets and headed by its earliest report, and its id is
// fixed when a publish first outputs it, so the published documents do not depend on the
// order in which a poll's feeds were stored: the shipped demo's samples (copies and
// independent coverage of several events), listed and so stored in two orders, render byte
// for byte the same.
TEST(DedupOrder, TheSameFeedsStoredInAnotherOrderPublishTheSameBytes) {
  const fs::path samples = fs::path(REELFEED_SOURCE_DIR) / "config" / "samples";
  std::vector<std::pair<std::string, std::string>> sources;
  for (const auto& [name, file] :
       std::vector<std::pair<std::string, std::string>>{{"Variety", "variety.xml"},
                                                        {"Deadline", "deadline.xml"},
                                                        {"Cartoon Brew", "cartoonbrew.atom"},
                                                        {"The Verge", "theverge.atom"},
                                                        {"TechCrunch", "techcrunch.xml"}})
    sources.emplace_back(name, "file://" + (samples / file).string());
  const auto run = [](const std::vector<std::pair<std::string, std::string>>& order) {
    test::TempDir dir;
    const fs::path config = dir.write("reelfeed.toml", dedup_config(order));
    const CmdResult poll = run_reelfeed({"poll", "-c", config.string()});
    EXPECT_EQ(poll.exit_code, 0) << poll.err;
    std::vector<std::string> documents;
    for (const char* format : {"atom", "rss", "json"}) {
      const CmdResult r = run_reelfeed({"render", "-c", config.string(), "--format", format});
      EXPECT_EQ(r.exit_code, 0) << r.err;
      documents.push_back(r.out);
    }
    return documents;
  };
  const auto a = run(sources);
  std::reverse(sources.begin(), sources.end());
  const auto b = run(sources);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(a[i], b[i]) << "document " << i;
  // Not vacuous: independent coverage folded (the voice actor's lawsuit, reported by
  // Deadline and The Verge under different headlines, is one item listing both).
  EXPECT_NE(a[2].find("\"title\": \"An actor's cloned voice was used in ads"), std::string::npos)
      << a[2];
}

} // namespace
} // namespace reelfeed::e2e

// Valid configs: every key lands in Config, defaults hold, relative paths and includes resolve.

#include <gtest/gtest.h>

#include "config/load.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::config {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

std::string joined(const LoadResult& r) {
  std::string out;
  for (const auto& e : r.errors) {
    out += e.str() + "\n";
  }
  return out;
}

Config load_ok(std::string_view text, const std::filesystem::path& base = "/etc/reelfeed") {
  auto r = load_string(text, "test.toml", base);
  EXPECT_TRUE(r.errors.empty()) << joined(r);
  return r.config.value_or(Config{});
}

TEST(Load, ReviewListenerAndWebSubHub) {
  const auto off = load_ok("");
  EXPECT_FALSE(off.server.review_host); // the editor's view is off unless asked for
  EXPECT_TRUE(off.output.websub_hub.empty());
  const auto on = load_ok(R"([server]
review_listen = "localhost:8081"
[output]
websub_hub = "https://hub.example/"
)");
  ASSERT_TRUE(on.server.review_host);
  EXPECT_EQ(*on.server.review_host, "127.0.0.1");
  EXPECT_EQ(on.server.review_port, 8081);
  EXPECT_EQ(on.output.websub_hub, "https://hub.example/"); // as written, slash kept
  for (const char* loopback : {"127.0.0.2:0", "[::1]:8081", "[::ffff:127.0.0.1]:1"}) {
    const auto c = load_ok(std::string("[server]\nreview_listen = \"") + loopback + "\"\n");
    EXPECT_TRUE(c.server.review_host) << loopback;
  }
}

TEST(Load, EveryKeyIsParsed) {
  const auto c = load_ok(R"(
[storage]
path = "data/feeds.db"
retain = "60d"
max_entries_per_source = 500
cache_size = "32MB"

[server]
listen = "[::1]:9090"
base_url = "https://feeds.example.org/ai/"

[poll]
interval = "45m"
min_interval = "2m"
max_interval = "2d"
timeout = "20s"
connect_timeout = "5s"
max_body_size = "8MB"
max_concurrent = 16
max_per_host = 2
max_redirects = 3
retry_after_scope = "host"
user_agent = "reelfeed-test/1"
allow_private_redirects = true
max_items_per_fetch = 200

[output]
title = "Robots on the Lot"
max_items = 50
max_age = "2w"

[dedup]
window = "36h"
similarity = 0.75

[[source]]
name = "Variety"
url = "https://variety.com/feed/"
interval = "15m"
enabled = false
tags = ["entertainment", "film"]
utc_offset = "-08:00"
encoding = "windows-1252"

[[source]]
name = "Local"
url = "file:samples/local.xml"
)");
  EXPECT_EQ(c.file, "/etc/reelfeed/test.toml");
  EXPECT_EQ(c.storage.path, "/etc/reelfeed/data/feeds.db");
  EXPECT_EQ(c.storage.retain, days{60});
  EXPECT_EQ(c.storage.max_entries_per_source, 500);
  EXPECT_EQ(c.storage.cache_bytes, 32ull << 20);
  EXPECT_EQ(c.server.host, "::1");
  EXPECT_EQ(c.server.port, 9090);
  EXPECT_EQ(c.server.base_url, "https://feeds.example.org/ai");
  EXPECT_EQ(c.poll.interval, minutes{45});
  EXPECT_EQ(c.poll.min_interval, minutes{2});
  EXPECT_EQ(c.poll.max_interval, days{2});
  EXPECT_EQ(c.poll.timeout, Seconds{20});
  EXPECT_EQ(c.poll.connect_timeout, Seconds{5});
  EXPECT_EQ(c.poll.max_body_bytes, 8u << 20);
  EXPECT_EQ(c.poll.max_concurrent, 16);
  EXPECT_EQ(c.poll.max_per_host, 2);
  EXPECT_EQ(c.poll.max_redirects, 3);
  EXPECT_EQ(c.poll.retry_after_scope, PollConfig::RetryAfterScope::host);
  EXPECT_EQ(c.poll.user_agent, "reelfeed-test/1");
  EXPECT_TRUE(c.poll.allow_private_redirects);
  EXPECT_EQ(c.poll.max_items_per_fetch, 200);
  EXPECT_EQ(c.output.title, "Robots on the Lot");
  EXPECT_EQ(c.output.max_items, 50);
  EXPECT_EQ(c.output.max_age, days{14});
  EXPECT_EQ(c.dedup.window, hours{36});
  EXPECT_DOUBLE_EQ(c.dedup.similarity, 0.75);
  ASSERT_EQ(c.sources.size(), 2u);
  EXPECT_EQ(c.sources[0].name, "Variety");
  EXPECT_EQ(c.sources[0].url, "https://variety.com/feed/");
  EXPECT_EQ(c.sources[0].interval, minutes{15});
  EXPECT_FALSE(c.sources[0].enabled);
  EXPECT_EQ(c.sources[0].tags, (std::vector<std::string>{"entertainment", "film"}));
  EXPECT_EQ(c.sources[0].utc_offset_minutes, -480);
  EXPECT_EQ(c.sources[1].utc_offset_minutes, 0);
  EXPECT_EQ(c.sources[0].encoding, "windows-1252");
  EXPECT_TRUE(c.sources[1].encoding.empty());
  EXPECT_EQ(c.sources[1].url, "file:///etc/reelfeed/samples/local.xml");
  EXPECT_FALSE(c.sources[1].interval.has_value());
  EXPECT_TRUE(c.sources[1].enabled);
  EXPECT_TRUE(c.sources[1].tags.empty());
}

TEST(Load, EmptyConfigGetsDefaults) {
  const auto c = load_ok("", "/srv/rf");
  const Config d;
  EXPECT_EQ(c.storage.path, "/srv/rf/reelfeed.db");
  EXPECT_EQ(c.storage.retain, days{90});
  EXPECT_EQ(c.storage.max_entries_per_source, d.storage.max_entries_per_source);
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_EQ(c.server.base_url, "http://127.0.0.1:8080");
  EXPECT_EQ(c.poll.interval, minutes{30});
  EXPECT_EQ(c.poll.min_interval, d.poll.min_interval);
  EXPECT_EQ(c.poll.max_interval, d.poll.max_interval);
  EXPECT_EQ(c.poll.timeout, d.poll.timeout);
  EXPECT_EQ(c.poll.max_body_bytes, 16u << 20);
  EXPECT_EQ(c.poll.retry_after_scope, PollConfig::RetryAfterScope::source);
  EXPECT_EQ(load_ok("[poll]\nretry_after_scope = \"domain\"\n").poll.retry_after_scope,
            PollConfig::RetryAfterScope::domain);
  EXPECT_TRUE(c.poll.user_agent.empty());
  EXPECT_FALSE(c.poll.allow_private_redirects);
  EXPECT_EQ(c.poll.max_items_per_fetch, 500);
  EXPECT_EQ(c.output.title, "AI in Hollywood");
  EXPECT_EQ(c.output.max_items, 100);
  EXPECT_EQ(c.output.max_age, days{30});
  EXPECT_EQ(c.dedup.window, d.dedup.window);
  EXPECT_TRUE(c.sources.empty());
  EXPECT_TRUE(c.topics.empty());
}

TEST(Load, ListenDerivesBaseUrl) {
  auto c = load_ok("[server]\nlisten = \"10.0.0.5:8181\"\n");
  EXPECT_EQ(c.server.base_url, "http://10.0.0.5:8181");
  c = load_ok("[server]\nlisten = \"[::1]:8181\"\n");
  EXPECT_EQ(c.server.base_url, "http://[::1]:8181");
  c = load_ok("[server]\nlisten = \"0.0.0.0:80\"\n");
  EXPECT_EQ(c.server.base_url, "http://localhost:80");
  // Port 0: the real port exists only after bind, so the server derives base_url then.
  c = load_ok("[server]\nlisten = \"127.0.0.1:0\"\n");
  EXPECT_EQ(c.server.port, 0);
  EXPECT_TRUE(c.server.base_url.empty());
}

TEST(Load, AbsoluteStoragePathAndMemoryStay) {
  EXPECT_EQ(load_ok("[storage]\npath = \"/var/lib/reelfeed/reelfeed.db\"\n").storage.path,
            "/var/lib/reelfeed/reelfeed.db");
  EXPECT_EQ(load_ok("[storage]\npath = \":memory:\"\n").storage.path, ":memory:");
  EXPECT_EQ(load_ok("[storage]\npath = \"../x/./y.db\"\n", "/a/b").storage.path, "/a/x/y.db");
}

TEST(Load, SimilarityAcceptsIntegerOne) {
  EXPECT_DOUBLE_EQ(load_ok("[dedup]\nsimilarity = 1\n").dedup.similarity, 1.0);
}

TEST(Load, EventSimilarityHasAMeasuredDefaultAndCanBeSet) {
  EXPECT_DOUBLE_EQ(load_ok("").dedup.event_similarity, 0.11);
  EXPECT_DOUBLE_EQ(load_ok("[dedup]\nevent_similarity = 0.2\n").dedup.event_similarity, 0.2);
}

TEST(LoadFile, ResolvesPathsAgainstTheConfigFolder) {
  const test::TempDir dir;
  const auto file = dir.write("reelfeed.toml", R"(
include = ["rules/extra.toml"]
[storage]
path = "state/reelfeed.db"
[[source]]
name = "A"
url = "file:samples/a.xml"
)");
  std::filesystem::create_directories(dir.path() / "rules");
  dir.write("rules/extra.toml", R"(
[[source]]
name = "B"
url = "file:b.xml"
)");
  const auto r = load_file(file);
  ASSERT_TRUE(r.errors.empty()) << joined(r);
  const auto& c = *r.config;
  EXPECT_EQ(c.file, file);
  EXPECT_EQ(c.storage.path, dir.path() / "state/reelfeed.db");
  ASSERT_EQ(c.sources.size(), 2u);
  EXPECT_EQ(c.sources[0].url, "file://" + (dir.path() / "samples/a.xml").string());
  // A relative URL in an included file is relative to that file.
  EXPECT_EQ(c.sources[1].url, "file://" + (dir.path() / "rules/b.xml").string());
}

TEST(LoadFile, RelativeConfigPathStillYieldsAbsolutePaths) {
  const test::TempDir dir;
  dir.write("c.toml", "[[source]]\nname = \"A\"\nurl = \"file:a.xml\"\n");
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  const auto r = load_file("c.toml");
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(r.errors.empty()) << joined(r);
  EXPECT_TRUE(r.config->file.is_absolute());
  EXPECT_EQ(r.config->sources[0].url, "file://" + (dir.path() / "a.xml").string());
  EXPECT_EQ(r.config->storage.path, dir.path() / "reelfeed.db");
}

TEST(LoadFile, NestedIncludesAndSingleStringInclude) {
  const test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "a/b");
  const auto file = dir.write("main.toml", "include = \"a/one.toml\"\n");
  dir.write("a/one.toml", "include = [\"b/two.toml\"]\n[[source]]\nname = \"One\"\n"
                          "url = \"https://one.example/feed\"\n");
  dir.write("a/b/two.toml", "[[source]]\nname = \"Two\"\nurl = \"https://two.example/feed\"\n");
  const auto r = load_file(file);
  ASSERT_TRUE(r.errors.empty()) << joined(r);
  ASSERT_EQ(r.config->sources.size(), 2u);
  EXPECT_EQ(r.config->sources[0].name, "One");
  EXPECT_EQ(r.config->sources[1].name, "Two");
}

constexpr const char* k_topic_a = R"(
[[topic]]
name = "main-topic"
[[topic.concept]]
name = "ai"
terms = ["artificial intelligence"]
)";

TEST(LoadFile, TopicsFromMainFileComeFirstThenIncludesInOrder) {
  const test::TempDir dir;
  const auto file =
      dir.write("main.toml", std::string("include = [\"b.toml\", \"c.toml\"]\n") + k_topic_a);
  dir.write("b.toml",
            "[[topic]]\nname = \"b\"\n[[topic.concept]]\nname = \"x\"\nterms = [\"x\"]\n");
  dir.write("c.toml",
            "[[topic]]\nname = \"c\"\n[[topic.concept]]\nname = \"y\"\nterms = [\"y\"]\n");
  const auto r = load_file(file);
  ASSERT_TRUE(r.errors.empty()) << joined(r);
  ASSERT_EQ(r.config->topics.size(), 3u);
  EXPECT_EQ(r.config->topics[0].name, "main-topic");
  EXPECT_EQ(r.config->topics[1].name, "b");
  EXPECT_EQ(r.config->topics[2].name, "c");
  ASSERT_EQ(r.config->topics[0].concepts.size(), 1u);
  EXPECT_EQ(r.config->topics[0].concepts[0].name, "ai");
}

} // namespace
} // namespace reelfeed::config

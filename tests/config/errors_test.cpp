// Invalid configs: every problem is reported, each at its exact FILE:LINE:COL.

#include <gtest/gtest.h>

#include "config/load.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::config {
namespace {

std::vector<std::string> errors_of(std::string_view text) {
  const auto r = load_string(text, "t.toml", "/etc/reelfeed");
  EXPECT_EQ(r.config.has_value(), r.errors.empty());
  std::vector<std::string> out;
  for (const auto& e : r.errors) {
    out.push_back(e.str());
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(LoadErrors, SyntaxErrorHasLineAndColumn) {
  const auto e = errors_of("[poll]\ninterval = \"30m\nx = 1\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].rfind("t.toml:2:", 0), 0u) << e[0];
}

TEST(LoadErrors, UnknownKeysEverywhereWithSuggestions) {
  EXPECT_EQ(errors_of(R"([storage]
pth = "x.db"
[poll]
intervall = "5m"
colour = "red"
[[source]]
name = "A"
url = "https://a.example/feed"
tag = ["x"]
[sources]
)"),
            (Lines{
                "t.toml:2:1: unknown key 'storage.pth' (did you mean 'path'?)",
                "t.toml:4:1: unknown key 'poll.intervall' (did you mean 'interval'?)",
                "t.toml:5:1: unknown key 'poll.colour'",
                "t.toml:9:1: unknown key 'source[0].tag' (did you mean 'tags'?)",
                "t.toml:10:2: unknown key 'sources' (did you mean 'source'?)",
            }));
}

TEST(LoadErrors, WrongTypes) {
  EXPECT_EQ(errors_of(R"([poll]
interval = 30
max_concurrent = "8"
max_body_size = true
[output]
title = 5
[[source]]
name = "A"
url = "https://a.example/feed"
enabled = "yes"
tags = "film"
)"),
            (Lines{
                "t.toml:2:12: poll.interval: expected a duration string such as \"30m\", got an "
                "integer",
                "t.toml:3:18: poll.max_concurrent: expected an integer, got a string",
                "t.toml:4:17: poll.max_body_size: expected a size such as \"16MB\", got a boolean",
                "t.toml:6:9: output.title: expected a string, got an integer",
                "t.toml:10:11: source[0].enabled: expected true or false, got a string",
                "t.toml:11:8: source[0].tags: expected an array of strings, got a string",
            }));
}

TEST(LoadErrors, SectionThatIsNotATable) {
  EXPECT_EQ(errors_of("poll = \"30m\"\nsource = \"x\"\n"),
            (Lines{"t.toml:1:8: poll: expected a table [poll], got a string",
                   "t.toml:2:10: source: expected [[source]] tables (an array of tables), got a "
                   "string"}));
}

TEST(LoadErrors, BadDurationsAndSizes) {
  EXPECT_EQ(errors_of(R"([storage]
retain = "90 days"
[poll]
timeout = "0s"
max_body_size = "16TB"
[output]
max_age = "-1d"
)"),
            (Lines{
                "t.toml:2:10: storage.retain: invalid duration \"90 days\" (use a number and a "
                "unit: \"90s\", \"30m\", \"12h\", \"30d\", \"2w\")",
                "t.toml:4:11: poll.timeout: must be longer than zero",
                "t.toml:5:17: poll.max_body_size: invalid size \"16TB\" (use e.g. \"512KB\", "
                "\"16MB\", \"1GB\")",
                "t.toml:7:11: output.max_age: invalid duration \"-1d\" (use a number and a unit: "
                "\"90s\", \"30m\", \"12h\", \"30d\", \"2w\")",
            }));
}

TEST(LoadErrors, NonsenseNumbers) {
  EXPECT_EQ(
      errors_of(R"([storage]
max_entries_per_source = 0
[poll]
max_concurrent = -1
max_redirects = 99
min_interval = "2h"
max_interval = "1h"
[output]
max_items = 0
[dedup]
similarity = 0
)"),
      (Lines{
          "t.toml:2:26: storage.max_entries_per_source: must be between 1 and 10000000, got 0",
          "t.toml:4:18: poll.max_concurrent: must be between 1 and 1024, got -1",
          "t.toml:5:17: poll.max_redirects: must be between 0 and 50, got 99",
          "t.toml:7:16: poll.max_interval: max_interval must not be shorter than "
          "min_interval",
          "t.toml:9:13: output.max_items: must be between 1 and 100000, got 0",
          "t.toml:11:14: dedup.similarity: must be greater than 0 (1 = identical only)",
      }));
  EXPECT_EQ(
      errors_of("[poll]\nmax_items_per_fetch = 0\nallow_private_redirects = 1\n"),
      (Lines{"t.toml:2:23: poll.max_items_per_fetch: must be between 1 and 1000000, got 0",
             "t.toml:3:27: poll.allow_private_redirects: expected true or false, got an integer"}));
  EXPECT_EQ(errors_of("[dedup]\nsimilarity = 1.5\n"),
            (Lines{"t.toml:2:14: dedup.similarity: must be between 0 and 1"}));
  EXPECT_EQ(errors_of("[dedup]\nevent_similarity = 0\n"),
            (Lines{"t.toml:2:20: dedup.event_similarity: must be greater than 0 (1 = identical "
                   "only)"}));
  EXPECT_EQ(errors_of("[dedup]\nevent_similarity = \"high\"\n"),
            (Lines{"t.toml:2:20: dedup.event_similarity: expected a number, got a string"}));
}

TEST(LoadErrors, ListenBaseUrlAndScope) {
  EXPECT_EQ(errors_of(R"([server]
listen = "localhost"
base_url = "feeds.example.org"
[poll]
retry_after_scope = "global"
user_agent = ""
)"),
            (Lines{
                "t.toml:2:10: server.listen: must be \"host:port\" (IPv6 as "
                "\"[::1]:8080\"), got \"localhost\"",
                "t.toml:3:12: server.base_url: must be an http:// or https:// URL",
                "t.toml:5:21: poll.retry_after_scope: must be \"source\", \"host\" or \"domain\", "
                "got \"global\"",
                "t.toml:6:14: poll.user_agent: must not be empty",
            }));
  EXPECT_EQ(errors_of("[server]\nlisten = \"127.0.0.1:99999\"\n"),
            (Lines{"t.toml:2:10: server.listen: port \"99999\" must be a number from 0 to "
                   "65535"}));
}

TEST(LoadErrors, ReviewListenIsLoopbackOnlyAndTheHubAUrl) {
  EXPECT_EQ(errors_of(R"([server]
review_listen = "0.0.0.0:8081"
[output]
websub_hub = "hub.example"
)"),
            (Lines{
                "t.toml:2:17: server.review_listen: the editor's view shows what the rules "
                "dropped, so it is served on a loopback address only (127.0.0.1, [::1] or "
                "localhost), got \"0.0.0.0:8081\"",
                "t.toml:4:14: output.websub_hub: must be an http:// or https:// URL",
            }));
  EXPECT_EQ(errors_of("[server]\nreview_listen = \"[::]:8081\"\n").size(), 1u);
  EXPECT_EQ(errors_of("[server]\nreview_listen = \"192.168.1.5:8081\"\n").size(), 1u);
  EXPECT_EQ(errors_of("[server]\nreview_listen = \"8081\"\n").size(), 1u);
}

TEST(LoadErrors, SourceProblems) {
  EXPECT_EQ(errors_of(R"([[source]]
name = "Variety"
url = "https://variety.com/feed/"

[[source]]
name = "Variety"
url = "https://variety.com/feed/"

[[source]]
name = ""
url = "ftp://example.com/feed"

[[source]]
url = "https://b.example/feed"

[[source]]
name = "NoUrl"

[[source]]
name = "Bad interval"
url = "https://c.example/feed"
interval = "often"
tags = ["ok", "", 3]
)"),
            (Lines{
                "t.toml:6:8: source[1].name: duplicate source name \"Variety\" (first used at "
                "t.toml:2:8)",
                "t.toml:7:7: source[1].url: duplicate URL \"https://variety.com/feed/\" (first "
                "used at t.toml:3:7)",
                "t.toml:10:8: source[2].name: must not be empty",
                "t.toml:11:7: source[2].url: URL scheme must be http, https or file: "
                "\"ftp://example.com/feed\"",
                "t.toml:13:1: source[3].name: missing (every source needs a unique name)",
                "t.toml:16:1: source[4].url: missing",
                "t.toml:22:12: source[5].interval: invalid duration \"often\" (use a number and a "
                "unit: \"90s\", \"30m\", \"12h\", \"30d\", \"2w\")",
                "t.toml:23:15: source[5].tags: must not contain empty strings",
                "t.toml:23:19: source[5].tags: expected a string, got an integer",
            }));
}

TEST(LoadErrors, UtcOffsetThatIsNotAnOffset) {
  EXPECT_EQ(errors_of(R"([[source]]
name = "Tokyo"
url = "https://tokyo.example/feed"
utc_offset = "Asia/Tokyo"

[[source]]
name = "Far"
url = "https://far.example/feed"
utc_offset = "+15:00"
)"),
            (Lines{
                "t.toml:4:14: source[0].utc_offset: \"Asia/Tokyo\" is not an offset from UTC: "
                "write it like \"+09:00\", \"-05:30\" or \"UTC\" (zone names such as "
                "\"Asia/Tokyo\" are not read: an offset has no daylight saving)",
                "t.toml:9:14: source[1].utc_offset: \"+15:00\" is not an offset from UTC: "
                "write it like \"+09:00\", \"-05:30\" or \"UTC\" (zone names such as "
                "\"Asia/Tokyo\" are not read: an offset has no daylight saving)",
            }));
}

TEST(LoadErrors, EncodingIconvDoesNotKnow) {
  EXPECT_EQ(errors_of(R"([[source]]
name = "Old"
url = "https://old.example/feed"
encoding = "latin-9x"
)"),
            (Lines{
                "t.toml:4:12: source[0].encoding: unknown encoding \"latin-9x\" (a character set "
                "name such as \"windows-1252\", \"ISO-8859-1\", \"Shift_JIS\")",
            }));
}

TEST(LoadErrors, DuplicateUrlAfterResolvingRelativeFileUrl) {
  const auto e = errors_of(R"([[source]]
name = "A"
url = "file:samples/a.xml"
[[source]]
name = "B"
url = "file:///etc/reelfeed/samples/a.xml"
)");
  EXPECT_EQ(e, (Lines{"t.toml:6:7: source[1].url: duplicate URL "
                      "\"file:///etc/reelfeed/samples/a.xml\" (first used at t.toml:3:7)"}));
}

TEST(LoadErrors, DuplicateUrlIgnoresHostCaseAndTrailingSlash) {
  EXPECT_EQ(errors_of("[[source]]\nname = \"A\"\nurl = \"https://variety.com/feed/\"\n"
                      "[[source]]\nname = \"B\"\nurl = \"https://Variety.COM/feed\"\n"
                      "[[source]]\nname = \"C\"\nurl = \"https://variety.com/Feed\"\n"),
            (Lines{"t.toml:6:7: source[1].url: duplicate URL \"https://Variety.COM/feed\" (first "
                   "used at t.toml:3:7)"}));
}

TEST(LoadErrors, SourceNameWithControlCharacters) {
  EXPECT_EQ(errors_of("[[source]]\nname = \"Var\\niety\"\nurl = \"https://variety.com/feed/\"\n"),
            (Lines{"t.toml:2:8: source[0].name: must not contain control characters (tabs, line "
                   "breaks)"}));
}

TEST(LoadErrors, CrlfLineEndingsKeepPositions) {
  EXPECT_EQ(errors_of("[poll]\r\n\r\ninterval = \"x\"\r\n"),
            (Lines{"t.toml:3:12: poll.interval: invalid duration \"x\" (use a number and a unit: "
                   "\"90s\", \"30m\", \"12h\", \"30d\", \"2w\")"}));
}

TEST(LoadErrors, NoConfigWhenAnyError) {
  const auto r = load_string("[poll]\ninterval = \"x\"\n", "t.toml", "/");
  EXPECT_FALSE(r.config.has_value());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, "t.toml");
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_EQ(r.errors[0].column, 12);
}

TEST(LoadFileErrors, MissingFileIsLineZero) {
  const test::TempDir dir;
  const auto path = dir.path() / "nope.toml";
  const auto r = load_file(path);
  EXPECT_FALSE(r.config.has_value());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, path.string());
  EXPECT_EQ(r.errors[0].line, 0);
  EXPECT_NE(r.errors[0].message.find("cannot read config file"), std::string::npos);
  EXPECT_FALSE(load_file(dir.path()).errors.empty()); // a directory
}

TEST(LoadFileErrors, ErrorsInsideAnIncludeNameThatFile) {
  const test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "topics");
  const auto main = dir.write("main.toml", R"(include = ["topics/x.toml", "missing.toml", 7]
[poll]
interval = "1y"
)");
  dir.write("topics/x.toml", R"(
[[source]]
name = "X"
url = "gopher://x"
[poll]
interval = "1m"
)");
  const auto r = load_file(main);
  std::vector<std::string> e;
  for (const auto& err : r.errors) {
    e.push_back(err.str());
  }
  const auto m = main.string();
  const auto x = (dir.path() / "topics/x.toml").string();
  EXPECT_EQ(e, (Lines{
                   m + ":1:29: include: cannot read \"" + (dir.path() / "missing.toml").string() +
                       "\": No such file or directory",
                   m + ":1:45: include: expected a file name, got an integer",
                   m + ":3:12: poll.interval: invalid duration \"1y\" (use a number and a unit: "
                       "\"90s\", \"30m\", \"12h\", \"30d\", \"2w\")",
                   x + ":4:7: source[0].url: URL scheme must be http, https or file: "
                       "\"gopher://x\"",
                   x + ":5:2: 'poll' is not allowed in an included file (only include, source, "
                       "topic)",
               }));
}

TEST(LoadFileErrors, SyntaxErrorInIncludeNamesTheInclude) {
  const test::TempDir dir;
  const auto main = dir.write("main.toml", "include = [\"inc.toml\"]\n");
  dir.write("inc.toml", "[[source]]\nname = \"A\nurl = 3\n");
  const auto r = load_file(main);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, (dir.path() / "inc.toml").string());
  EXPECT_EQ(r.errors[0].line, 2);
}

TEST(LoadFileErrors, IncludeCycleIsReported) {
  const test::TempDir dir;
  const auto main = dir.write("a.toml", "include = [\"b.toml\"]\n");
  dir.write("b.toml", "include = [\"a.toml\"]\n");
  const auto r = load_file(main);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, (dir.path() / "b.toml").string());
  EXPECT_EQ(r.errors[0].line, 1);
  EXPECT_EQ(r.errors[0].column, 12);
  EXPECT_NE(r.errors[0].message.find("included twice"), std::string::npos);
}

TEST(LoadFileErrors, DuplicateSourceAcrossFiles) {
  const test::TempDir dir;
  const auto main = dir.write("a.toml", "include = [\"b.toml\"]\n[[source]]\nname = \"S\"\n"
                                        "url = \"https://s.example/\"\n");
  dir.write("b.toml", "[[source]]\nname = \"S\"\nurl = \"https://t.example/\"\n");
  const auto r = load_file(main);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].str(), (dir.path() / "b.toml").string() +
                                   ":2:8: source[0].name: duplicate source name \"S\" (first used "
                                   "at " +
                                   main.string() + ":3:8)");
}

TEST(LoadFileErrors, TopicErrorsInAnIncludeNameThatFile) {
  const test::TempDir dir;
  const auto main = dir.write("main.toml", "include = [\"rules.toml\"]\n");
  dir.write("rules.toml", "# rules\n[[topic]]\nname = \"t\"\n[[topic.concept]]\nname = \"c\"\n"
                          "terms = [\"x\"]\nregex = [\"(unclosed\"]\n");
  const auto r = load_file(main);
  ASSERT_FALSE(r.errors.empty());
  for (const auto& e : r.errors) {
    EXPECT_EQ(e.file, (dir.path() / "rules.toml").string()) << e.str();
  }
  EXPECT_EQ(r.errors[0].line, 7) << r.errors[0].str();
}

TEST(LoadFileErrors, DuplicateTopicAcrossFiles) {
  const test::TempDir dir;
  const std::string topic = "[[topic]]\nname = \"same\"\n[[topic.concept]]\nname = \"c\"\n"
                            "terms = [\"x\"]\n";
  const auto main = dir.write("main.toml", "include = [\"b.toml\"]\n" + topic);
  dir.write("b.toml", "\n" + topic);
  const auto r = load_file(main);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, (dir.path() / "b.toml").string());
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_EQ(r.errors[0].column, 1);
  EXPECT_EQ(r.errors[0].message,
            "duplicate topic 'same' (first defined at " + main.string() + ":2:1)");
}

} // namespace
} // namespace reelfeed::config

// The configs shipped in config/ load without errors and keep their promises.

#include <gtest/gtest.h>

#include <set>

#include "config/load.hpp"

namespace reelfeed::config {
namespace {

namespace fs = std::filesystem;

std::string joined(const LoadResult& r) {
  std::string out;
  for (const auto& e : r.errors) {
    out += e.str() + "\n";
  }
  return out;
}

const fs::path k_config_dir = fs::path(REELFEED_SOURCE_DIR) / "config";

TEST(ShippedConfig, ReelfeedTomlLoadsWithTwentyRealSources) {
  const auto r = load_file(k_config_dir / "reelfeed.toml");
  ASSERT_TRUE(r.errors.empty()) << joined(r);
  const auto& c = *r.config;
  EXPECT_GE(c.sources.size(), 20u);
  std::set<std::string> names;
  for (const auto& s : c.sources) {
    names.insert(s.name);
    EXPECT_EQ(s.url.rfind("https://", 0), 0u) << s.name << ": " << s.url;
    EXPECT_FALSE(s.tags.empty()) << s.name;
  }
  for (const char* required :
       {"Variety", "Deadline", "The Hollywood Reporter", "IndieWire", "TheWrap", "Vulture",
        "The Verge", "TechCrunch", "Wired", "Ars Technica", "Engadget"}) {
    EXPECT_TRUE(names.count(required)) << required;
  }
  EXPECT_EQ(c.storage.path, "/var/lib/reelfeed/reelfeed.db");
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  ASSERT_FALSE(c.topics.empty()) << "the include of topics/ai-hollywood.toml brings the rules";
  EXPECT_EQ(c.topics[0].name, "ai-hollywood");
}

TEST(ShippedConfig, DemoTomlReadsLocalSamplesFromAnyCheckout) {
  const auto r = load_file(k_config_dir / "demo.toml");
  ASSERT_TRUE(r.errors.empty()) << joined(r);
  const auto& c = *r.config;
  ASSERT_GE(c.sources.size(), 4u);
  for (const auto& s : c.sources) {
    ASSERT_EQ(s.url.rfind("file:///", 0), 0u) << s.url;
    const fs::path file = s.url.substr(7);
    EXPECT_TRUE(fs::is_regular_file(file)) << s.url;
    EXPECT_EQ(fs::weakly_canonical(file).parent_path(),
              fs::weakly_canonical(k_config_dir / "samples"))
        << s.url;
    EXPECT_TRUE(s.enabled);
  }
  EXPECT_EQ(fs::weakly_canonical(c.storage.path), fs::weakly_canonical(k_config_dir / "demo.db"));
  EXPECT_GE(c.output.max_age, std::chrono::days{3650});
  ASSERT_FALSE(c.topics.empty());
  EXPECT_EQ(c.topics[0].name, "ai-hollywood");
}

TEST(ShippedConfig, BothConfigsShareTheSameRules) {
  const auto prod = load_file(k_config_dir / "reelfeed.toml");
  const auto demo = load_file(k_config_dir / "demo.toml");
  ASSERT_TRUE(prod.config && demo.config);
  ASSERT_EQ(prod.config->topics.size(), demo.config->topics.size());
  for (std::size_t i = 0; i < prod.config->topics.size(); ++i) {
    EXPECT_EQ(prod.config->topics[i].name, demo.config->topics[i].name);
    EXPECT_EQ(prod.config->topics[i].concepts.size(), demo.config->topics[i].concepts.size());
  }
}

} // namespace
} // namespace reelfeed::config

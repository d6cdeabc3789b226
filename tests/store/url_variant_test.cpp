// AMP, mobile and tracking variants of one article, seen in two outlets' feeds, fold into
// one story by canonical URL even when the headlines share no words.

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "store_helpers.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::store {
namespace {

using test::at;
using test::item;

class UrlVariant : public test::StoreTest {
protected:
  void SetUp() override {
    m_store.sync_sources({{"NBC", "https://nbcnews.com/feed/", {"news"}, true},
                          {"Aggregator", "https://aggregator.example/rss", {"tech"}, true}});
  }
};

TEST_F(UrlVariant, EveryAmpAndMobileSpellingJoinsTheArticlesStory) {
  put("NBC",
      {item("n1", "Startup's video model edits existing footage from a text prompt",
            "https://www.nbcnews.com/tech/ai-video-editing-model-rcna100", at(4))},
      at(4));
  const char* variants[] = {
      "https://www.nbcnews.com/platform/amp/tech/ai-video-editing-model-rcna100",
      "https://www.nbcnews.com/tech/ai-video-editing-model-rcna100/amp?ocid=agg",
      "https://m.nbcnews.com/tech/ai-video-editing-model-rcna100?fbclid=IwAR",
      "https://www.nbcnews.com/amp/tech/ai-video-editing-model-rcna100?outputType=amp",
  };
  // Each variant arrives as its own item of the aggregator, with an unrelated headline.
  int hour = 5;
  for (const char* url : variants) {
    const auto r =
        put("Aggregator",
            {item(std::string("a") + std::to_string(hour), "What to know today", url, at(4, hour))},
            at(4, hour));
    EXPECT_EQ(r.new_stories, 0) << url;
    EXPECT_EQ(r.joined_stories, 1) << url;
    ++hour;
  }
}

} // namespace
} // namespace reelfeed::store

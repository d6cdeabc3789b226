// Filter throughput with the default rules (config/topics/ai-hollywood.toml), one thread.
//   BM_FilterLabelled: the filter-eval stories (title, summary, categories), cycled.
//   BM_FilterCorpus:   entries parsed from the benchmark corpus (title, summary, content,
//                      categories; often full HTML bodies), REELFEED_BENCH_CORPUS or
//                      /tmp/rf-corpus/feeds (python3 ../shared/bench/gen_corpus.py --out
//                      /tmp/rf-corpus), first 200 feeds.
// Items/s is entries/s. Run: build/tests/bench/filter_bench --benchmark_min_time=2

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../filter/eval_support.hpp"
#include "filter/filter.hpp"
#include "parse/parse.hpp"

// tests/bench/CMakeLists.txt does not pass the test folders; derive them from this file.
#ifndef REELFEED_SOURCE_DIR
#define REELFEED_SOURCE_DIR                                                                        \
  (std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().string())
#endif
#ifndef REELFEED_SHARED_DIR
#define REELFEED_SHARED_DIR (std::string(REELFEED_SOURCE_DIR) + "/../shared")
#endif

namespace {

using namespace reelfeed;

filter::Rules default_rules() {
  return filter::Rules(filter::eval::load_rules(std::string(REELFEED_SOURCE_DIR) +
                                                "/config/topics/ai-hollywood.toml"));
}

void run(benchmark::State& state, const std::vector<Story>& stories) {
  auto rules = default_rules();
  if (stories.empty()) {
    state.SkipWithError("no stories");
    return;
  }
  std::size_t i = 0;
  std::size_t published = 0;
  for (auto _ : state) {
    auto d = rules.evaluate(0, stories[i]);
    published += d.published ? 1 : 0;
    benchmark::DoNotOptimize(d);
    if (++i == stories.size())
      i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["published_share"] =
      static_cast<double>(published) / static_cast<double>(state.iterations());
}

void BM_FilterLabelled(benchmark::State& state) {
  std::vector<Story> stories;
  auto path = std::string(REELFEED_SHARED_DIR) + "/filter-eval/labeled.jsonl";
  for (auto& l : filter::eval::load_labelled(path, {}))
    stories.push_back(std::move(l.story));
  run(state, stories);
}
BENCHMARK(BM_FilterLabelled);

void BM_FilterCorpus(benchmark::State& state) {
  const char* env = std::getenv("REELFEED_BENCH_CORPUS");
  std::filesystem::path dir = env ? env : "/tmp/rf-corpus/feeds";
  std::vector<Story> stories;
  if (std::filesystem::is_directory(dir)) {
    std::vector<std::filesystem::path> files;
    for (const auto& f : std::filesystem::directory_iterator(dir))
      files.push_back(f.path());
    std::sort(files.begin(), files.end());
    if (files.size() > 200)
      files.resize(200);
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      try {
        for (auto& e : parse::parse_feed(ss.str()).entries) {
          Story s;
          s.title = std::move(e.title);
          s.summary = std::move(e.summary);
          s.content = std::move(e.content);
          s.categories = std::move(e.categories);
          s.source_tags = {"entertainment"};
          stories.push_back(std::move(s));
        }
      } catch (const std::exception&) {
      }
    }
  }
  if (stories.empty()) {
    state.SkipWithError(("no corpus in " + dir.string()).c_str());
    return;
  }
  std::size_t bytes = 0;
  for (const auto& s : stories)
    bytes += s.title.size() + s.summary.size() + s.content.size();
  state.counters["avg_entry_bytes"] =
      static_cast<double>(bytes) / static_cast<double>(stories.size());
  run(state, stories);
}
BENCHMARK(BM_FilterCorpus);

} // namespace

BENCHMARK_MAIN();

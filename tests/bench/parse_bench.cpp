// Parser throughput vs a bare pugixml DOM parse of the same bytes, in the same run.
// Corpus: REELFEED_BENCH_CORPUS (default /tmp/rf-corpus), made by
//   python3 ../shared/bench/gen_corpus.py --out /tmp/rf-corpus --feeds 1000
// Feeds are preloaded, so file I/O is excluded. Run tests/bench/parse_bench.sh for the ratio.
#include <benchmark/benchmark.h>
#include <pugixml.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parse/parse.hpp"

namespace {

struct Corpus {
  std::vector<std::string> feeds;
  std::size_t bytes = 0;
  std::size_t items = 0;
};

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus out;
    const char* env = std::getenv("REELFEED_BENCH_CORPUS");
    std::filesystem::path dir = env ? env : "/tmp/rf-corpus";
    if (std::filesystem::is_directory(dir / "feeds")) {
      dir /= "feeds";
    }
    if (!std::filesystem::is_directory(dir)) {
      return out;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.is_regular_file()) {
        files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& p : files) {
      std::ifstream in(p, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      out.bytes += ss.str().size();
      out.feeds.push_back(ss.str());
    }
    for (const auto& f : out.feeds) {
      try {
        out.items += reelfeed::parse::parse_feed(f).entries.size();
      } catch (const reelfeed::parse::Error&) {
      }
    }
    return out;
  }();
  return c;
}

bool ready(benchmark::State& state) {
  if (corpus().feeds.empty()) {
    state.SkipWithError(
        "no corpus: set REELFEED_BENCH_CORPUS or run gen_corpus.py --out /tmp/rf-corpus");
    return false;
  }
  return true;
}

void report(benchmark::State& state) {
  const Corpus& c = corpus();
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bytes));
  state.counters["items/s"] = benchmark::Counter(static_cast<double>(state.iterations() * c.items),
                                                 benchmark::Counter::kIsRate);
}

/// Baseline: pugixml's own DOM parse (default options) of every feed, nothing extracted.
void BM_PugixmlDom(benchmark::State& state) {
  if (!ready(state)) {
    return;
  }
  for (auto _ : state) {
    for (const auto& f : corpus().feeds) {
      pugi::xml_document doc;
      benchmark::DoNotOptimize(doc.load_buffer(f.data(), f.size()));
      benchmark::DoNotOptimize(doc.first_child());
    }
  }
  report(state);
}

/// The same parse in place (load_buffer_inplace, which skips pugixml's own copy of the bytes).
/// The copies it parses are made with the timer paused, so the gap to BM_PugixmlDom is the
/// most an owning parse_feed(std::string&&) could save by parsing the caller's buffer.
void BM_PugixmlDomInPlace(benchmark::State& state) {
  if (!ready(state)) {
    return;
  }
  std::vector<std::string> copies;
  for (auto _ : state) {
    state.PauseTiming();
    copies.assign(corpus().feeds.begin(), corpus().feeds.end());
    state.ResumeTiming();
    for (auto& f : copies) {
      pugi::xml_document doc;
      benchmark::DoNotOptimize(doc.load_buffer_inplace(f.data(), f.size()));
      benchmark::DoNotOptimize(doc.first_child());
    }
  }
  report(state);
}

/// reelfeed: bytes -> normalised Feed (encoding, repair, parse, every field, dates).
void BM_ParseFeed(benchmark::State& state) {
  if (!ready(state)) {
    return;
  }
  for (auto _ : state) {
    for (const auto& f : corpus().feeds) {
      reelfeed::Feed feed = reelfeed::parse::parse_feed(f);
      benchmark::DoNotOptimize(feed.entries.data());
    }
  }
  report(state);
}

} // namespace

// Interleaved repetitions so that both see the same machine noise.
BENCHMARK(BM_PugixmlDom)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_PugixmlDomInPlace)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_ParseFeed)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The corpus is loaded (and parsed once to count items) before any benchmark starts, so that
// an instruction count of one benchmark (valgrind --tool=callgrind --collect-atstart=no
// --toggle-collect='*BM_ParseFeed*') excludes it.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  (void)corpus();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

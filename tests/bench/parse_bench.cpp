// Parser throughput vs a bare pugixml DOM parse of the same bytes, in the same run.
// Corpus: REELFEED_BENCH_CORPUS (default /tmp/rf-corpus), made by
//   python3 ../shared/bench/gen_corpus.py --out /tmp/rf-corpus --feeds 1000
// Feeds are preloaded, so file I/O is excluded. Run tests/bench/parse_bench.sh for the ratio.
#include <benchmark/benchmark.h>
#include <pugixml.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "parse/detail.hpp"
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

/// The plain extract loop of the floors below: child values copied into the same Feed type as
/// they are, nothing decoded, resolved or normalised, xhtml content not serialised. With
/// `dates`, the date elements are also parsed to UTC (parse_date), as parse_feed does.
reelfeed::Feed plain_extract(const pugi::xml_document& doc, bool dates) {
  auto is = [](const char* a, const char* b) { return std::strcmp(a, b) == 0; };
  reelfeed::Feed feed;
  const pugi::xml_node root = doc.document_element();
  const pugi::xml_node chan = is(root.name(), "rss") ? root.child("channel") : root;
  feed.title = chan.child_value("title");
  const char* const item_name = chan == root ? "entry" : "item";
  for (auto it = chan.child(item_name); it; it = it.next_sibling(item_name)) {
    reelfeed::Entry& e = feed.entries.emplace_back();
    for (auto c = it.first_child(); c; c = c.next_sibling()) {
      const char* const n = c.name();
      if (c.type() != pugi::node_element) {
        continue;
      }
      if (is(n, "title")) {
        e.title = c.child_value();
      } else if (is(n, "link")) {
        e.link = *c.child_value() != '\0' ? c.child_value() : c.attribute("href").value();
      } else if (is(n, "guid") || is(n, "id")) {
        e.id = c.child_value();
      } else if (is(n, "description") || is(n, "summary")) {
        e.summary = c.child_value();
      } else if (is(n, "content:encoded") || is(n, "content")) {
        e.content = c.child_value();
      } else if (is(n, "dc:creator")) {
        e.author = c.child_value();
      } else if (is(n, "author")) {
        e.author = c.child("name").child_value();
      } else if (is(n, "category")) {
        e.categories.emplace_back(*c.child_value() != '\0' ? c.child_value()
                                                           : c.attribute("term").value());
      } else if (dates && (is(n, "pubDate") || is(n, "published"))) {
        e.published = reelfeed::parse::parse_date(c.child_value());
      } else if (dates && is(n, "updated")) {
        e.updated = reelfeed::parse::parse_date(c.child_value());
      }
    }
  }
  return feed;
}

constexpr unsigned k_parse_options = pugi::parse_cdata | pugi::parse_escapes |
                                     pugi::parse_wconv_attribute | pugi::parse_eol |
                                     pugi::parse_ws_pcdata;

/// Both floors: per feed, the copy parse_feed parses in place (with the options it passes),
/// then the plain extract loop. `required` adds what parse_feed does to every document before
/// any field is normalised: the copy validates UTF-8 and checks every '&' outside CDATA
/// (parse_feed's own one-pass scan), and dates are parsed to UTC.
void extract_floor(benchmark::State& state, bool required) {
  if (!ready(state)) {
    return;
  }
  for (auto _ : state) {
    for (const auto& f : corpus().feeds) {
      auto buf = std::make_unique_for_overwrite<char[]>(f.size());
      if (required) {
        benchmark::DoNotOptimize(reelfeed::parse::detail::copy_scan(f, buf.get()));
      } else {
        std::memcpy(buf.get(), f.data(), f.size());
      }
      pugi::xml_document doc;
      doc.load_buffer_inplace(buf.get(), f.size(), k_parse_options, pugi::encoding_utf8);
      const reelfeed::Feed feed = plain_extract(doc, required);
      benchmark::DoNotOptimize(feed.entries.data());
    }
  }
  report(state);
}

/// The floor of any pugixml-based parse_feed, with nothing validated. Informational: the target
/// is ~70% of the bare parse for such a loop that does not copy the bodies;
/// research/perf-anchors.md measured 0.62 with them.
void BM_PugixmlExtractFloor(benchmark::State& state) {
  extract_floor(state, false);
}

/// Informational: no pugixml-based parser that validates UTF-8 and '&' and parses dates can be
/// faster.
void BM_PugixmlRequiredFloor(benchmark::State& state) {
  extract_floor(state, true);
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
BENCHMARK(BM_PugixmlExtractFloor)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_PugixmlRequiredFloor)->Unit(benchmark::kMillisecond)->MinTime(2.0);
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

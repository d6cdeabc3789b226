// Publish cost: a PublishPlan -> every served document (rendered and gzipped), which is
// what the daemon's CPU thread does after each publish.
//   publish_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// BM_MakeSnapshot/topics:1 is the default config (one topic, max_items = 100): 3 documents
// at /topics/NAME.* and the same ones at /feed.*, plus the story pages (25 stories a page) at
// "/" and /topics/NAME/. Its counters give
// the snapshot's bytes (each distinct Resource once); BM_GzipLevel/level:N prices gzip.
#include "serve_bench.hpp"

#include "app/publish.hpp"
#include "serve/serve.hpp"

#include <set>

#include <benchmark/benchmark.h>

namespace {

using namespace reelfeed;

app::PublishPlan plan(int topics, int items) {
  app::PublishPlan p;
  for (int t = 0; t < topics; ++t) {
    app::TopicOutput out;
    out.name = "topic-" + std::to_string(t);
    out.title = "Topic " + std::to_string(t);
    out.items = bench::synthetic_items(items);
    p.topics.push_back(std::move(out));
  }
  p.stories = static_cast<std::size_t>(items);
  return p;
}

/// What a snapshot holds in memory: each distinct Resource once (paths may share one).
void count_bytes(benchmark::State& state, const serve::Snapshot& snapshot) {
  std::set<const serve::Resource*> seen;
  double body = 0;
  double gzip = 0;
  for (const auto& [path, resource] : snapshot) {
    if (seen.insert(resource.get()).second) {
      body += static_cast<double>(resource->body.size());
      gzip += static_cast<double>(resource->gzip_body.size());
    }
  }
  state.counters["resources"] = static_cast<double>(seen.size());
  state.counters["body_bytes"] = body;
  state.counters["gzip_bytes"] = gzip;
}

void BM_MakeSnapshot(benchmark::State& state) {
  const app::PublishPlan p = plan(static_cast<int>(state.range(0)), 100);
  std::size_t documents = 0;
  for (auto _ : state) {
    const serve::Snapshot snapshot = app::make_snapshot(p, "http://127.0.0.1:8080");
    documents = snapshot.size();
    benchmark::DoNotOptimize(snapshot.begin());
  }
  state.counters["documents"] = static_cast<double>(documents);
  count_bytes(state, app::make_snapshot(p, "http://127.0.0.1:8080"));
}
BENCHMARK(BM_MakeSnapshot)->ArgName("topics")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

// A publish after an ingest that changed no published story (the common case: most new
// stories are not about the topic): documents are rendered and compared, not gzipped.
void BM_MakeSnapshotUnchanged(benchmark::State& state) {
  const app::PublishPlan p = plan(static_cast<int>(state.range(0)), 100);
  const serve::Snapshot previous = app::make_snapshot(p, "http://127.0.0.1:8080");
  for (auto _ : state) {
    const serve::Snapshot snapshot = app::make_snapshot(p, "http://127.0.0.1:8080", &previous);
    benchmark::DoNotOptimize(snapshot.begin());
  }
}
BENCHMARK(BM_MakeSnapshotUnchanged)
    ->ArgName("topics")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond);

// The parts of one topic's publish: preparing 100 items (gumbo), then each writer.
void BM_PrepareAll(benchmark::State& state) {
  const auto items = bench::synthetic_items(100);
  for (auto _ : state) {
    benchmark::DoNotOptimize(render::prepare_all(items).data());
  }
}
BENCHMARK(BM_PrepareAll)->Unit(benchmark::kMillisecond);

void BM_WritePrepared(benchmark::State& state) {
  const auto prepared = render::prepare_all(bench::synthetic_items(100));
  const auto format = static_cast<app::Format>(state.range(0));
  state.SetLabel(app::extension(format));
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        app::render_feed(format, bench::info(), std::span<const render::Prepared>(prepared))
            .data());
  }
}
BENCHMARK(BM_WritePrepared)
    ->Arg(static_cast<int>(app::Format::atom))
    ->Arg(static_cast<int>(app::Format::rss))
    ->Arg(static_cast<int>(app::Format::json))
    ->Unit(benchmark::kMillisecond);

// The gzip level's trade: CPU per publish (one topic's three documents) against the bytes
// every reader downloads. Compare gzip_bytes and time across levels.
void BM_GzipLevel(benchmark::State& state) {
  const auto prepared = render::prepare_all(bench::synthetic_items(100));
  std::vector<std::string> documents;
  double body = 0;
  for (const app::Format f : {app::Format::atom, app::Format::rss, app::Format::json}) {
    documents.push_back(
        app::render_feed(f, bench::info(), std::span<const render::Prepared>(prepared)));
    body += static_cast<double>(documents.back().size());
  }
  const int level = static_cast<int>(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    for (const std::string& d : documents) {
      bytes += serve::gzip(d, level).size();
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["body_bytes"] = body;
  state.counters["gzip_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_GzipLevel)->ArgName("level")->DenseRange(1, 9)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();

// Render and serve benchmarks.
//   serve_bench [google-benchmark flags]   render/sanitise/compress micro-benchmarks
//   serve_bench --serve PORT OUT_FILE      render a ~200 KB Atom feed, write it (and
//                                          OUT_FILE.gz, the exact served gzip bytes) for
//                                          nginx, then serve it with the real Server on
//                                          127.0.0.1:PORT until SIGINT/SIGTERM
//   serve_bench --serve-site PORT          a publish of one topic of 100 synthetic stories
//                                          (app::make_snapshot: the feeds and the story
//                                          pages, 25 stories a page), plus
//                                          /bench/page-of-100 (all 100 on one page), served
//                                          with the real Server on 127.0.0.1:PORT
// serve_bench.sh drives the second mode with wrk, side by side with nginx; pages_bench.sh
// the third, the story page against /feed.atom.
#include "serve_bench.hpp"

#include "app/publish.hpp"
#include "render/render.hpp"
#include "render/sanitize.hpp"
#include "render/story_page.hpp"
#include "serve/serve.hpp"

#include <cstring>
#include <fstream>
#include <iostream>

#include <benchmark/benchmark.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

namespace {

using namespace reelfeed;

using bench::info;
using bench::synthetic_items;

void BM_RenderAtom(benchmark::State& state) {
  const auto items = synthetic_items(static_cast<int>(state.range(0)));
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string out = render::atom(info(), items);
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RenderAtom)->Arg(100);

void BM_RenderRss(benchmark::State& state) {
  const auto items = synthetic_items(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(render::rss(info(), items).data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RenderRss)->Arg(100);

void BM_RenderJson(benchmark::State& state) {
  const auto items = synthetic_items(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(render::json_feed(info(), items).data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RenderJson)->Arg(100);

void BM_Sanitize(benchmark::State& state) {
  const std::string html = synthetic_items(1)[0].story.content;
  for (auto _ : state) {
    benchmark::DoNotOptimize(render::sanitize_html(html).data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(html.size()));
}
BENCHMARK(BM_Sanitize);

void BM_MakeResource(benchmark::State& state) {
  const std::string body = render::atom(info(), synthetic_items(100));
  for (auto _ : state) {
    benchmark::DoNotOptimize(serve::make_resource("application/atom+xml", body, {}).etag.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_MakeResource);

/// The real Server on one io thread, serving `snap` on 127.0.0.1:`port` until SIGINT/SIGTERM.
int serve_until_signal(std::uint16_t port, std::shared_ptr<serve::Snapshot> snap) {
  boost::asio::io_context io(1);
  serve::Server server(io, "127.0.0.1", port);
  server.publish(std::move(snap));
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { server.stop(); });
  std::cerr << "serve_bench: listening on 127.0.0.1:" << server.port() << "\n";
  io.run();
  return 0;
}

int serve_main(std::uint16_t port, const std::string& out_file) {
  // The smallest number of stories that makes a document of at least 200 KB, the size the
  // perf anchors' nginx figures were measured with.
  std::string body;
  for (int n = 10; body.size() < 200 * 1024; n += 1) {
    body = render::atom(info(), synthetic_items(n));
  }
  auto snap = std::make_shared<serve::Snapshot>();
  serve::Resource res =
      serve::make_resource("application/atom+xml; charset=utf-8", body, Timestamp{});
  std::ofstream(out_file, std::ios::binary) << res.body;
  std::ofstream(out_file + ".gz", std::ios::binary) << res.gzip_body;
  std::cerr << "serve_bench: " << res.body.size() << " bytes, gzip " << res.gzip_body.size()
            << ", etag " << res.etag << " gzip_etag " << res.gzip_etag << "\n";
  snap->emplace("/feed.atom", std::make_shared<const serve::Resource>(std::move(res)));

  return serve_until_signal(port, std::move(snap));
}

int serve_site(std::uint16_t port) {
  app::PublishPlan plan;
  plan.title = "AI in Hollywood";
  app::TopicOutput topic{"ai-hollywood", "AI in Hollywood", synthetic_items(100)};
  plan.topics.push_back(topic);
  plan.stories = 100;
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  auto snap = std::make_shared<serve::Snapshot>(app::make_snapshot(plan, base));
  // The same stories as one page: what serving costs when a page is as long as the feed.
  render::StoryPageInfo info;
  info.site_title = plan.title;
  info.topics = {
      {"ai-hollywood", "AI in Hollywood", "/", "/feed.atom", "/feed.rss", "/feed.json", 100}};
  info.path = "/bench/page-of-100";
  const std::vector<render::Prepared> prepared = render::prepare_all(topic.items);
  std::vector<std::int64_t> ids;
  for (const render::Item& item : topic.items) {
    ids.push_back(item.story.id);
  }
  snap->emplace(info.path, std::make_shared<const serve::Resource>(serve::make_resource(
                               "text/html; charset=utf-8",
                               render::story_pages(info, prepared, ids, 100).front().html, {})));
  for (const char* path : {"/feed.atom", "/", "/bench/page-of-100"}) {
    const serve::Resource& r = *snap->at(path);
    std::cerr << "serve_bench: " << path << " " << r.body.size() << " bytes, gzip "
              << r.gzip_body.size() << ", etag " << r.etag << "\n";
  }
  return serve_until_signal(port, std::move(snap));
}

} // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--serve") == 0) {
    return serve_main(static_cast<std::uint16_t>(std::stoi(argv[2])), argv[3]);
  }
  if (argc == 3 && std::strcmp(argv[1], "--serve-site") == 0) {
    return serve_site(static_cast<std::uint16_t>(std::stoi(argv[2])));
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

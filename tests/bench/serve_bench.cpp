// Render and serve benchmarks.
//   serve_bench [google-benchmark flags]   render/sanitise/compress micro-benchmarks
//   serve_bench --serve PORT OUT_FILE      render a ~200 KB Atom feed, write it (and
//                                          OUT_FILE.gz, the exact served gzip bytes) for
//                                          nginx, then serve it with the real Server on
//                                          127.0.0.1:PORT until SIGINT/SIGTERM
// serve_bench.sh drives the second mode with wrk, side by side with nginx.
#include "render/render.hpp"
#include "render/sanitize.hpp"
#include "serve/serve.hpp"

#include <cstring>
#include <fstream>
#include <iostream>

#include <benchmark/benchmark.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

namespace {

using namespace reelfeed;

/// Deterministic pseudo-random prose, so the gzip ratio is near real news text (~25-30%)
/// rather than that of a repeated template.
class Prose {
public:
  std::string words(int n) {
    static constexpr const char* k_words[] = {
        "studio",    "actors",     "union",    "generative", "AI",          "contract", "writers",
        "streaming", "box",        "office",   "premiere",   "director",    "digital",  "replica",
        "consent",   "Netflix",    "Disney",   "Warner",     "Paramount",   "Sora",     "OpenAI",
        "deal",      "strike",     "guild",    "producers",  "negotiation", "film",     "series",
        "visual",    "effects",    "voice",    "likeness",   "training",    "data",     "lawsuit",
        "copyright", "festival",   "Cannes",   "Sundance",   "animation",   "script",   "budget",
        "release",   "theatrical", "audience", "platform",   "executive",   "talent",   "agency",
        "the",       "a",          "of",       "and",        "to",          "in",       "with",
        "for",       "on",         "as",       "by",         "new",         "said",     "will"};
    std::string out;
    for (int i = 0; i < n; ++i) {
      m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
      if (i > 0) {
        out += ' ';
      }
      out += k_words[(m_state >> 33) % std::size(k_words)];
      if ((m_state >> 20) % 13 == 0) {
        out += std::to_string((m_state >> 40) % 1000);
      }
    }
    return out;
  }

private:
  std::uint64_t m_state = 20240501;
};

/// Stories shaped like the corpus: HTML summaries and bodies, categories, 1-2 outlets.
std::vector<render::Item> synthetic_items(int n) {
  Prose prose;
  std::vector<render::Item> items;
  const Timestamp base{std::chrono::seconds{1714564800}};
  for (int i = 0; i < n; ++i) {
    render::Item it;
    Story& s = it.story;
    s.id = i + 1;
    s.uid = "urn:reelfeed:story:" + std::to_string(s.id);
    s.title = prose.words(9);
    s.link = "https://variety.com/2024/film/news/ai-deal-" + std::to_string(i) + "/";
    s.author = "Reporter " + std::to_string(i % 7);
    s.summary = "<p>" + prose.words(25) + " <b>" + prose.words(3) + "</b> &amp; consent.</p>";
    s.content.clear();
    for (int p = 0; p < 6; ++p) {
      s.content += "<p>" + prose.words(20) + " <a href=\"https://example.com/" + std::to_string(i) +
                   "/" + std::to_string(p) + "\">" + prose.words(3) + "</a> <em>" + prose.words(2) +
                   "</em>. " + prose.words(15) + "</p>";
    }
    s.content += "<script>track()</script><img src=\"https://img.example/" + std::to_string(i) +
                 ".jpg\" onerror=\"x()\" alt=\"still\">";
    s.categories = {"Film", "Business"};
    s.published = base + std::chrono::minutes(i);
    s.updated = s.published;
    s.outlets.push_back({i, "Variety", s.title, s.link, s.published});
    if (i % 3 == 0) {
      s.outlets.push_back({i + 1000, "Deadline", s.title,
                           "https://deadline.com/x" + std::to_string(i), s.published});
    }
    it.decision.topic = "ai-hollywood";
    it.decision.score = 4;
    it.decision.concepts_matched = {"ai", "entertainment"};
    items.push_back(std::move(it));
  }
  return items;
}

render::FeedInfo info() {
  return {"AI in Hollywood",
          "urn:reelfeed:topic:ai-hollywood",
          "http://127.0.0.1/feed.atom",
          "http://127.0.0.1/",
          {}};
}

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
  snap->emplace("/feed.atom", std::move(res));

  boost::asio::io_context io(1);
  serve::Server server(io, "127.0.0.1", port);
  server.publish(std::move(snap));
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { server.stop(); });
  std::cerr << "serve_bench: listening on 127.0.0.1:" << server.port() << "\n";
  io.run();
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--serve") == 0) {
    return serve_main(static_cast<std::uint16_t>(std::stoi(argv[2])), argv[3]);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

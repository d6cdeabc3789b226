// reelfeed's Fetcher alone over a URL list, to compare with fetch_curl_floor_bench.
//   fetch_fetcher_bench URLS [PARALLEL] [--send-etags IN]

#include "fetch_bench_util.hpp"

#include <cstring>
#include <map>

#include <boost/asio/io_context.hpp>

#include "fetch/fetch.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s URLS [PARALLEL] [--send-etags IN]\n", argv[0]);
    return 2;
  }
  const auto urls = reelfeed::bench::read_lines(argv[1]);
  const int parallel = argc > 2 ? std::atoi(argv[2]) : 64;
  std::map<std::string, std::string> etags;
  if (argc > 4 && std::strcmp(argv[3], "--send-etags") == 0) {
    for (const auto& line : reelfeed::bench::read_lines(argv[4])) {
      const auto tab = line.find('\t');
      etags[line.substr(0, tab)] = line.substr(tab + 1);
    }
  }
  const reelfeed::bench::Meter meter;
  boost::asio::io_context io;
  reelfeed::fetch::Limits limits;
  limits.max_concurrent = parallel;
  limits.max_per_host = parallel; // the corpus is one host; real sources are spread out
  reelfeed::fetch::Fetcher fetcher(io, limits);
  std::size_t ok = 0, not_modified = 0, failed = 0;
  std::uint64_t bytes = 0;
  for (const auto& url : urls) {
    reelfeed::fetch::Request req{url, {}};
    if (const auto it = etags.find(url); it != etags.end()) {
      req.validators.etag = it->second;
    }
    fetcher.fetch(std::move(req), [&](reelfeed::FetchResult r) {
      ok += r.outcome == reelfeed::FetchOutcome::ok ? 1 : 0;
      not_modified += r.outcome == reelfeed::FetchOutcome::not_modified ? 1 : 0;
      failed += r.outcome != reelfeed::FetchOutcome::ok &&
                        r.outcome != reelfeed::FetchOutcome::not_modified
                    ? 1
                    : 0;
      bytes += r.body.size();
    });
  }
  io.run();
  meter.report(etags.empty() ? "fetcher" : "fetcher_304",
               "feeds=" + std::to_string(urls.size()) + " ok=" + std::to_string(ok) +
                   " not_modified=" + std::to_string(not_modified) +
                   " failed=" + std::to_string(failed) +
                   " body_mb=" + std::to_string(static_cast<double>(bytes) / 1e6));
  return failed == 0 ? 0 : 1;
}

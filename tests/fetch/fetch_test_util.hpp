#pragma once
// Helpers for Fetcher tests: run one io_context until the callbacks arrived, gzip.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <zlib.h>

#include "fetch/fetch.hpp"

namespace reelfeed::fetch::test {

inline Limits quick_limits() {
  Limits l;
  l.connect_timeout = std::chrono::seconds(5);
  l.timeout = std::chrono::seconds(20);
  l.low_speed_bytes = 1;
  l.low_speed_time = std::chrono::seconds(10);
  return l;
}

/// Fetches each URL (all at once) and runs the loop until every callback arrived.
/// The results are in completion order; `order` gets the index of each.
inline std::vector<FetchResult> fetch_all(const std::vector<Request>& requests,
                                          Limits limits,
                                          std::vector<std::size_t>* order = nullptr) {
  boost::asio::io_context io;
  Fetcher fetcher(io, std::move(limits));
  std::vector<FetchResult> results;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    fetcher.fetch(requests[i], [&results, order, i](FetchResult r) {
      results.push_back(std::move(r));
      if (order != nullptr) {
        order->push_back(i);
      }
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (results.size() < requests.size() && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(std::chrono::seconds(1));
  }
  EXPECT_EQ(results.size(), requests.size()) << "some fetches never completed";
  return results;
}

inline FetchResult fetch_one(Request request, Limits limits = quick_limits()) {
  auto all = fetch_all({std::move(request)}, std::move(limits));
  return all.empty() ? FetchResult{} : std::move(all.front());
}

inline FetchResult fetch_one(const std::string& url, Limits limits = quick_limits()) {
  return fetch_one(Request{url, {}}, std::move(limits));
}

inline std::string gzip(const std::string& data, int level = Z_BEST_COMPRESSION) {
  z_stream zs{};
  deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

} // namespace reelfeed::fetch::test

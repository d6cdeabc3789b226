// Floor: a bare libcurl multi fetch of a URL list (curl_multi_poll loop, N in flight).
//   fetch_curl_floor_bench URLS [PARALLEL] [--record-etags OUT | --send-etags IN]
// Bodies are kept in memory per transfer and dropped at completion, as a poller would.

#include "fetch_bench_util.hpp"

#include <cstring>
#include <map>
#include <memory>

#include <curl/curl.h>

namespace {

struct Xfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  std::string etag;
};

std::size_t on_body(char* d, std::size_t s, std::size_t n, void* u) {
  static_cast<Xfer*>(u)->body.append(d, s * n);
  return s * n;
}

std::size_t on_header(char* d, std::size_t s, std::size_t n, void* u) {
  const std::string line(d, s * n);
  if (line.size() > 6 && strncasecmp(line.c_str(), "etag:", 5) == 0) {
    auto v = line.substr(5);
    v.erase(0, v.find_first_not_of(' '));
    v.erase(v.find_last_not_of("\r\n ") + 1);
    static_cast<Xfer*>(u)->etag = v;
  }
  return s * n;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s URLS [PARALLEL] [--record-etags OUT|--send-etags IN]\n",
                 argv[0]);
    return 2;
  }
  const auto urls = reelfeed::bench::read_lines(argv[1]);
  const long parallel = argc > 2 ? std::atol(argv[2]) : 64;
  std::string record, send;
  for (int i = 3; i + 1 < argc; i += 2) {
    (std::strcmp(argv[i], "--record-etags") == 0 ? record : send) = argv[i + 1];
  }
  std::map<std::string, std::string> etags;
  if (!send.empty()) {
    for (const auto& line : reelfeed::bench::read_lines(send)) {
      const auto tab = line.find('\t');
      etags[line.substr(0, tab)] = line.substr(tab + 1);
    }
  }
  const reelfeed::bench::Meter meter;
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, parallel);
  std::vector<std::unique_ptr<Xfer>> xfers;
  std::size_t next = 0, running_count = 0, ok = 0, not_modified = 0;
  std::uint64_t bytes = 0;
  std::FILE* out = record.empty() ? nullptr : std::fopen(record.c_str(), "w");
  auto start = [&](std::size_t i) {
    auto x = std::make_unique<Xfer>();
    x->easy = curl_easy_init();
    curl_easy_setopt(x->easy, CURLOPT_URL, urls[i].c_str());
    curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x.get());
    curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x.get());
    curl_easy_setopt(x->easy, CURLOPT_PRIVATE, reinterpret_cast<char*>(i));
    if (const auto it = etags.find(urls[i]); it != etags.end()) {
      x->headers = curl_slist_append(nullptr, ("If-None-Match: " + it->second).c_str());
      curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
    }
    curl_multi_add_handle(multi, x->easy);
    xfers.push_back(std::move(x));
    ++running_count;
  };
  std::map<CURL*, Xfer*> by_easy;
  while (next < urls.size() || running_count > 0) {
    while (next < urls.size() && running_count < static_cast<std::size_t>(parallel)) {
      start(next++);
      by_easy[xfers.back()->easy] = xfers.back().get();
    }
    int still = 0;
    curl_multi_perform(multi, &still);
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
      if (m->msg != CURLMSG_DONE) {
        continue;
      }
      Xfer* x = by_easy[m->easy_handle];
      long status = 0;
      curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
      char* p = nullptr;
      curl_easy_getinfo(x->easy, CURLINFO_PRIVATE, &p);
      ok += status == 200 ? 1 : 0;
      not_modified += status == 304 ? 1 : 0;
      bytes += x->body.size();
      if (out != nullptr && !x->etag.empty()) {
        std::fprintf(out, "%s\t%s\n", urls[reinterpret_cast<std::size_t>(p)].c_str(),
                     x->etag.c_str());
      }
      curl_multi_remove_handle(multi, x->easy);
      curl_easy_cleanup(x->easy);
      curl_slist_free_all(x->headers);
      x->easy = nullptr;
      std::string().swap(x->body);
      by_easy.erase(m->easy_handle);
      --running_count;
    }
    // Refill before waiting: a new handle makes curl's timeout 0, so the poll returns at once
    // instead of leaving freed slots idle until the next socket event.
    while (next < urls.size() && running_count < static_cast<std::size_t>(parallel)) {
      start(next++);
      by_easy[xfers.back()->easy] = xfers.back().get();
    }
    if (running_count > 0) {
      curl_multi_poll(multi, nullptr, 0, 100, nullptr);
    }
  }
  curl_multi_cleanup(multi);
  if (out != nullptr) {
    std::fclose(out);
  }
  meter.report(send.empty() ? "curl_multi" : "curl_multi_304",
               "feeds=" + std::to_string(urls.size()) + " status200=" + std::to_string(ok) +
                   " status304=" + std::to_string(not_modified) +
                   " body_mb=" + std::to_string(static_cast<double>(bytes) / 1e6));
  return 0;
}

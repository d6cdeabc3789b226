#include "serve/serve.hpp"

#include <cstdio>
#include <stdexcept>

#include <zlib.h>

#include "util/hash.hpp"

namespace reelfeed::serve {

namespace {

std::string quoted_hash(const std::string& body, const char* suffix) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "\"%016llx%s\"",
                static_cast<unsigned long long>(util::xxh3_64(body)), suffix);
  return buf;
}

} // namespace

std::string gzip(const std::string& in, int level) {
  z_stream zs{};
  // 15 window bits + 16 selects the gzip wrapper instead of zlib's.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  const auto produced = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    throw std::runtime_error("deflate failed");
  }
  out.resize(produced);
  return out;
}

Resource make_resource(std::string content_type, std::string body, Timestamp last_modified) {
  Resource r;
  r.content_type = std::move(content_type);
  r.gzip_body = gzip(body);
  r.etag = quoted_hash(body, "");
  r.gzip_etag = quoted_hash(body, "-gz");
  r.body = std::move(body);
  r.last_modified = last_modified;
  return r;
}

} // namespace reelfeed::serve

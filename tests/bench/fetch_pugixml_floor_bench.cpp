// Floor: a bare pugixml DOM parse of the same bytes (files preloaded; parse timed only).
//   fetch_pugixml_floor_bench CORPUS_DIR   (reads CORPUS_DIR/list.txt)

#include "fetch_bench_util.hpp"

#include <pugixml.hpp>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  std::vector<std::string> docs;
  std::uint64_t total = 0;
  for (const auto& rel : reelfeed::bench::read_lines(dir + "/list.txt")) {
    docs.push_back(reelfeed::bench::read_file(dir + "/" + rel));
    total += docs.back().size();
  }
  const reelfeed::bench::Meter meter;
  std::size_t nodes = 0, failed = 0;
  for (const auto& d : docs) {
    pugi::xml_document doc;
    const auto res = doc.load_buffer(d.data(), d.size());
    failed += res ? 0 : 1;
    nodes += doc.first_child() ? 1 : 0;
  }
  meter.report("pugixml_parse", "docs=" + std::to_string(docs.size()) +
                                    " mb=" + std::to_string(static_cast<double>(total) / 1e6) +
                                    " failed=" + std::to_string(failed) +
                                    " roots=" + std::to_string(nodes));
  return failed == 0 ? 0 : 1;
}

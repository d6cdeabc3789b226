#pragma once
// Helpers for the parse tests: fixture loading.
#include <fstream>
#include <sstream>
#include <string>

namespace reelfeed::parse::test {

inline std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(REELFEED_TEST_DATA) + "/parse/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace reelfeed::parse::test

// tests/data/config/typos.toml yields exactly the errors listed in typos.expected.

#include <gtest/gtest.h>

#include <fstream>

#include "config/load.hpp"

namespace reelfeed::config {
namespace {

namespace fs = std::filesystem;

TEST(Fixture, TyposYieldTheExpectedErrorsInFileOrder) {
  const fs::path dir = fs::path(REELFEED_TEST_DATA) / "config";
  const fs::path file = dir / "typos.toml";
  std::ifstream expected_in(dir / "typos.expected");
  ASSERT_TRUE(expected_in);
  std::vector<std::string> expected;
  for (std::string line; std::getline(expected_in, line);) {
    for (std::size_t at = line.find("FILE"); at != std::string::npos;
         at = line.find("FILE", at + file.string().size())) {
      line.replace(at, 4, file.string());
    }
    expected.push_back(line);
  }
  const auto r = load_file(file);
  EXPECT_FALSE(r.config.has_value());
  std::vector<std::string> actual;
  for (const auto& e : r.errors) {
    actual.push_back(e.str());
  }
  EXPECT_EQ(actual, expected);
}

} // namespace
} // namespace reelfeed::config

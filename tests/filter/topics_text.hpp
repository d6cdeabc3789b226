#pragma once
// Topics parsed from TOML text written in a test; every config error is a test failure.

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "config/topics_toml.hpp"

namespace reelfeed::filter::test {

inline std::vector<config::TopicConfig> topics(std::string_view toml_text) {
  auto tbl = toml::parse(toml_text, std::string_view("rules.toml"));
  std::vector<config::TopicConfig> out;
  std::vector<config::Error> errors;
  config::parse_topics(tbl.get("topic"), "rules.toml", out, errors);
  for (const auto& e : errors)
    ADD_FAILURE() << e.line << ":" << e.column << ": " << e.message;
  return out;
}

} // namespace reelfeed::filter::test

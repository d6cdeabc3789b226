#pragma once
// A filter decision with its reasons: which terms fired where, the score, the threshold.

#include <string>
#include <vector>

namespace reelfeed {

struct RuleHit {
  std::string concept_name; ///< concept group name, e.g. "ai" (`concept` is a C++20 keyword)
  std::string term;         ///< the term, phrase or regex that fired
  std::string field;        ///< title, summary, content, categories, source
  double weight = 0;        ///< contribution to the concept's score
};

struct Decision {
  std::string topic;
  bool published = false;
  double score = 0;
  double threshold = 0;
  std::vector<std::string> concepts_matched; ///< concept groups that reached their bar
  std::vector<RuleHit> hits;
  std::string reason; ///< one human line: "ai=3.0 entertainment=2.5 >= 2.0" / "missing concept ai"
};

} // namespace reelfeed

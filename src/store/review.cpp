// The editor's view: decisions near a topic's threshold, and stories a negative term or a
// negated concept kept out.

#include "store/store_impl.hpp"

namespace reelfeed::store {

std::vector<Reviewed>
Store::Impl::review(const std::string& topic, Timestamp since, double margin, int limit) {
  std::vector<std::pair<std::int64_t, Decision>> rows;
  {
    // save_decisions writes hits with nlohmann's compact dump: a negative weight reads
    // "weight":-; "excluded by" is the filter's reason for a negated concept that fired.
    Use q(
        stmt("SELECT d.story_id, d.topic, d.published, d.score, d.threshold, d.reason, d.concepts, "
             "d.hits FROM stories st JOIN decisions d ON d.story_id = st.id AND d.topic = ?1 "
             "WHERE st.last_activity >= ?2 AND (abs(d.score - d.threshold) <= ?3 OR "
             "(d.published = 0 AND (d.hits LIKE '%\"weight\":-%' OR "
             "d.reason LIKE '%excluded by %'))) "
             "ORDER BY st.published DESC, st.id DESC LIMIT ?4"));
    q->bind(1, topic);
    q->bind(2, to_db(since));
    q->bind(3, margin);
    q->bind(4, limit < 0 ? -1 : limit);
    while (q->executeStep())
      rows.emplace_back(q->getColumn(0).getInt64(), read_decision(*q, 1));
  }
  std::vector<Reviewed> out;
  out.reserve(rows.size());
  for (auto& [id, decision] : rows)
    if (auto story = load_story(id))
      out.push_back(Reviewed{std::move(*story), std::move(decision)});
  return out;
}

std::vector<Reviewed>
Store::review(const std::string& topic, Timestamp since, double margin, int limit) {
  return m_impl->review(topic, since, margin, limit);
}

} // namespace reelfeed::store

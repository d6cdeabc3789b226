// Decisions and the queue of changed stories: what makes a publish cost what changed.
// Every place that changes a story calls Impl::story_changed() in the same transaction,
// so a committed change is always either queued or already decided; settle() saves the
// new decisions and takes the stories off the queue together.

#include <nlohmann/json.hpp>

#include "store/store_impl.hpp"

namespace reelfeed::store {
namespace {

using nlohmann::json;

constexpr const char* k_rules_key = "rules_hash";

std::string hits_json(const Decision& d) {
  json hits = json::array();
  for (const auto& h : d.hits) {
    hits.push_back(
        {{"concept", h.concept_name}, {"term", h.term}, {"field", h.field}, {"weight", h.weight}});
  }
  return hits.dump();
}

} // namespace

Decision read_decision(SQLite::Statement& q, int first) {
  Decision d;
  d.topic = q.getColumn(first).getString();
  d.published = q.getColumn(first + 1).getInt() != 0;
  d.score = q.getColumn(first + 2).getDouble();
  d.threshold = q.getColumn(first + 3).getDouble();
  d.reason = q.getColumn(first + 4).getString();
  const json concepts = json::parse(q.getColumn(first + 5).getString(), nullptr, false);
  if (concepts.is_array()) {
    for (const auto& c : concepts) {
      if (c.is_string()) {
        d.concepts_matched.push_back(c.get<std::string>());
      }
    }
  }
  const json hits = json::parse(q.getColumn(first + 6).getString(), nullptr, false);
  if (hits.is_array()) {
    for (const auto& h : hits) {
      d.hits.push_back(RuleHit{h.value("concept", ""), h.value("term", ""), h.value("field", ""),
                               h.value("weight", 0.0)});
    }
  }
  return d;
}

void Store::Impl::story_changed(std::int64_t story_id) {
  Use q(stmt("INSERT OR IGNORE INTO story_changes(story_id) VALUES (?)"));
  q->bind(1, story_id);
  q->exec();
}

void Store::Impl::insert_decision(std::int64_t story_id,
                                  const Decision& d,
                                  std::optional<std::pair<Timestamp, Timestamp>> times,
                                  Timestamp now) {
  // Without `times` they are read from the story row; a story deleted since it was
  // evaluated gets no decision row.
  Use q(stmt(times ? "INSERT OR REPLACE INTO decisions(story_id, topic, published, score, "
                     "threshold, reason, concepts, hits, decided_at, story_published, "
                     "story_activity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                   : "INSERT OR REPLACE INTO decisions(story_id, topic, published, score, "
                     "threshold, reason, concepts, hits, decided_at, story_published, "
                     "story_activity) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, published, "
                     "last_activity FROM stories WHERE id = ?1"));
  q->bind(1, story_id);
  q->bind(2, d.topic);
  q->bind(3, d.published ? 1 : 0);
  q->bind(4, d.score);
  q->bind(5, d.threshold);
  q->bind(6, d.reason);
  q->bind(7, json(d.concepts_matched).dump());
  q->bind(8, hits_json(d));
  q->bind(9, to_db(now));
  if (times) {
    q->bind(10, to_db(times->first));
    q->bind(11, to_db(times->second));
  }
  q->exec();
  // Decided at ingest (with `times`), a story may yet be joined by an earlier report of
  // another feed of the same burst; its uid is fixed when a publish reads it
  // (published_stories), so that it does not depend on which feed was stored first.
  if (d.published && !times) {
    freeze_uid(story_id);
  }
}

void Store::Impl::freeze_uid(std::int64_t story_id) {
  // First published: the uid readers see is fixed from now on, whichever sighting
  // represents the story later.
  Use r(stmt("SELECT e.canonical_url, s.name, e.identity FROM stories st "
             "JOIN entries e ON e.id = st.rep_entry_id "
             "JOIN sources s ON s.id = e.source_id WHERE st.id = ? AND st.uid IS NULL"));
  r->bind(1, story_id);
  if (!r->executeStep()) {
    return;
  }
  const std::string uid = derived_uid(r->getColumn(0).getString(), r->getColumn(1).getString(),
                                      r->getColumn(2).getString());
  Use u(stmt("UPDATE stories SET uid = ? WHERE id = ?"));
  u->bind(1, uid);
  u->bind(2, story_id);
  u->exec();
}

std::uint64_t Store::Impl::recorded_rules() {
  Use q(stmt("SELECT value FROM meta WHERE key = ?"));
  q->bind(1, k_rules_key);
  return q->executeStep() ? static_cast<std::uint64_t>(q->getColumn(0).getInt64()) : 0;
}

void Store::save_decisions(const std::vector<std::pair<std::int64_t, Decision>>& decisions) {
  m_impl->start_write("save decisions");
  SQLite::Transaction tx(m_impl->m_db, SQLite::TransactionBehavior::IMMEDIATE);
  const Timestamp now = m_impl->m_clock.now();
  for (const auto& [story_id, d] : decisions) {
    m_impl->insert_decision(story_id, d, std::nullopt, now);
  }
  tx.commit();
}

bool Store::adopt_rules(std::uint64_t fingerprint,
                        const std::vector<std::string>& topics,
                        Timestamp since) {
  m_impl->start_write("adopt rules");
  SQLite::Transaction tx(m_impl->m_db, SQLite::TransactionBehavior::IMMEDIATE);
  if (m_impl->recorded_rules() == fingerprint) {
    m_impl->m_rules = fingerprint;
    return false;
  }
  {
    Use q(m_impl->stmt("INSERT OR IGNORE INTO story_changes(story_id) "
                       "SELECT id FROM stories WHERE last_activity >= ?"));
    q->bind(1, to_db(since));
    q->exec();
  }
  {
    // A topic that is gone has no output: its decisions would only mislead `explain`.
    std::string sql = "DELETE FROM decisions WHERE topic NOT IN (";
    for (std::size_t i = 0; i < topics.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
    }
    sql += ")";
    SQLite::Statement q(m_impl->m_db, sql);
    for (std::size_t i = 0; i < topics.size(); ++i) {
      q.bind(static_cast<int>(i + 1), topics[i]);
    }
    q.exec();
  }
  {
    Use q(m_impl->stmt("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)"));
    q->bind(1, k_rules_key);
    q->bind(2, static_cast<std::int64_t>(fingerprint));
    q->exec();
  }
  tx.commit();
  m_impl->m_rules = fingerprint;
  return true;
}

std::uint64_t Store::rules_fingerprint() {
  return m_impl->recorded_rules();
}

std::vector<std::int64_t> Store::changed_stories(std::int64_t after, int limit) {
  std::vector<std::int64_t> out;
  Use q(m_impl->stmt("SELECT story_id FROM story_changes WHERE story_id > ? ORDER BY story_id "
                     "LIMIT ?"));
  q->bind(1, after);
  q->bind(2, limit);
  while (q->executeStep()) {
    out.push_back(q->getColumn(0).getInt64());
  }
  return out;
}

std::vector<std::int64_t> Store::story_ids_since(Timestamp since, std::int64_t after, int limit) {
  // Walks the stories in id order (their rowid B-tree): bounded batches, no sort of the
  // window.
  std::vector<std::int64_t> out;
  Use q(m_impl->stmt("SELECT id FROM stories WHERE id > ? AND last_activity >= ? ORDER BY id "
                     "LIMIT ?"));
  q->bind(1, after);
  q->bind(2, to_db(since));
  q->bind(3, limit);
  while (q->executeStep()) {
    out.push_back(q->getColumn(0).getInt64());
  }
  return out;
}

std::vector<Story> Store::stories_by_id(const std::vector<std::int64_t>& ids) {
  std::vector<Story> out;
  out.reserve(ids.size());
  for (const auto id : ids) {
    if (auto s = m_impl->load_story(id)) {
      out.push_back(std::move(*s));
    }
  }
  return out;
}

void Store::settle(const std::vector<std::int64_t>& ids,
                   const std::vector<std::pair<std::int64_t, Decision>>& decisions) {
  m_impl->start_write("save decisions");
  SQLite::Transaction tx(m_impl->m_db, SQLite::TransactionBehavior::IMMEDIATE);
  const Timestamp now = m_impl->m_clock.now();
  for (const auto id : ids) {
    {
      Use q(m_impl->stmt("DELETE FROM story_changes WHERE story_id = ?"));
      q->bind(1, id);
      q->exec();
    }
    // A story gone since it was queued (pruned, folded into another) keeps no decision:
    // it leaves every topic's output.
    Use q(m_impl->stmt("DELETE FROM decisions WHERE story_id = ?1 AND NOT EXISTS "
                       "(SELECT 1 FROM stories WHERE id = ?1)"));
    q->bind(1, id);
    q->exec();
  }
  for (const auto& [story_id, d] : decisions) {
    m_impl->insert_decision(story_id, d, std::nullopt, now);
  }
  tx.commit();
}

std::vector<std::pair<std::int64_t, Decision>>
Store::published_stories(const std::string& topic, Timestamp since, int limit) {
  std::vector<std::pair<std::int64_t, Decision>> out;
  {
    // decisions_output, newest first; a story published before `since` but active after it
    // (a late sighting) still counts, so the activity is checked per row, not bounded.
    Use q(m_impl->stmt("SELECT story_id, topic, published, score, threshold, reason, concepts, "
                       "hits FROM decisions INDEXED BY decisions_output "
                       "WHERE topic = ? AND published = 1 AND story_activity >= ? "
                       "ORDER BY story_published DESC, story_id DESC LIMIT ?"));
    q->bind(1, topic);
    q->bind(2, to_db(since));
    q->bind(3, limit);
    while (q->executeStep()) {
      out.emplace_back(q->getColumn(0).getInt64(), read_decision(*q, 1));
    }
  }
  if (m_impl->m_access == Access::read_write && !out.empty()) {
    // Output is what readers see: from now on these ids are fixed.
    m_impl->start_write("fix story ids");
    SQLite::Transaction tx(m_impl->m_db, SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& [story_id, decision] : out) {
      m_impl->freeze_uid(story_id);
    }
    tx.commit();
  }
  return out;
}

} // namespace reelfeed::store

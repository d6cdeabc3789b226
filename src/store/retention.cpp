// Retention: entries older than a cut-off, and beyond a per-source count, are deleted,
// except those in their source's latest parsed fetch (still in the feed: deleting them
// would make them come back as new, FreshRSS's lastSeen rule). Every deleted sighting
// leaves a tombstone; a story left without sightings is deleted and its URL tombstoned,
// together with the stories folded into it.

#include <cstring>
#include <set>
#include <vector>

#include "store/store_impl.hpp"

namespace reelfeed::store {

std::set<std::int64_t> Store::Impl::prunable(Timestamp older_than, int max_per_source) {
  // The latest fetch of each source: its entries as listed on the source (schema >= 6),
  // and those whose last_fetch_id is the source's (rows written before v6).
  std::set<std::int64_t> latest;
  {
    Use q(stmt("SELECT latest_entries FROM sources WHERE latest_entries IS NOT NULL"));
    while (q->executeStep()) {
      const auto col = q->getColumn(0);
      const auto n = static_cast<std::size_t>(col.getBytes()) / sizeof(std::int64_t);
      std::vector<std::int64_t> ids(n);
      if (n > 0) {
        std::memcpy(ids.data(), col.getBlob(), n * sizeof(std::int64_t));
      }
      latest.insert(ids.begin(), ids.end());
    }
  }
  std::set<std::int64_t> doomed;
  {
    // The lsh rows are in time order (lsh_key): one range scan up to the cut-off's
    // bucket, then each old entry and its source by rowid.
    Use q(stmt("SELECT e.id FROM lsh l CROSS JOIN entries e ON e.id = l.entry_id "
               "CROSS JOIN sources s ON s.id = e.source_id "
               "WHERE l.key < ?1 AND l.t < ?2 AND e.last_fetch_id IS NOT s.last_fetch_id"));
    q->bind(1, lsh_key(bucket_of(to_db(older_than)) + 1, 0));
    q->bind(2, to_db(older_than));
    while (q->executeStep()) {
      if (latest.count(q->getColumn(0).getInt64()) == 0) {
        doomed.insert(q->getColumn(0).getInt64());
      }
    }
  }
  if (max_per_source > 0) {
    // Ranked per source over the lsh rows (sort time and source, one row per entry): one
    // pass and one sort, no index of entries by source kept up on every insert.
    Use q(stmt("SELECT e.id FROM (SELECT entry_id, row_number() OVER (PARTITION BY source_id "
               "ORDER BY t DESC, entry_id DESC) AS rank FROM lsh) r "
               "CROSS JOIN entries e ON e.id = r.entry_id "
               "CROSS JOIN sources s ON s.id = e.source_id "
               "WHERE r.rank > ? AND e.last_fetch_id IS NOT s.last_fetch_id"));
    q->bind(1, max_per_source);
    while (q->executeStep()) {
      if (latest.count(q->getColumn(0).getInt64()) == 0) {
        doomed.insert(q->getColumn(0).getInt64());
      }
    }
  }

  return doomed;
}

std::optional<std::int64_t> Store::Impl::delete_entry(std::int64_t id, Timestamp now) {
  std::int64_t story = 0;
  std::int64_t source_id = 0;
  std::string identity;
  std::string canon;
  Timestamp sort_time{};
  {
    Use q(stmt("SELECT source_id, identity, canonical_url, story_id, sort_time FROM entries "
               "WHERE id = ?"));
    q->bind(1, id);
    if (!q->executeStep()) {
      return std::nullopt;
    }
    source_id = q->getColumn(0).getInt64();
    identity = q->getColumn(1).getString();
    canon = q->getColumn(2).getString();
    story = q->getColumn(3).getInt64();
    sort_time = from_db(q->getColumn(4).getInt64());
  }
  {
    Use q(stmt("INSERT OR REPLACE INTO tombstones(source_id, identity, deleted_at) "
               "VALUES (?, ?, ?)"));
    q->bind(1, source_id);
    q->bind(2, identity);
    q->bind(3, to_db(now));
    q->exec();
  }
  if (!canon.empty()) {
    // A later sighting of this URL joins a surviving story first (place() checks
    // entries before tombstones), so the tombstone only stops resurrections.
    Use q(stmt("INSERT OR REPLACE INTO url_tombstones(canonical_url, story_uid, deleted_at) "
               "SELECT ?, coalesce(uid, 'urn:reelfeed:story:' || id), ? FROM stories WHERE id = "
               "(SELECT story_id FROM entries "
               "WHERE id = ?)"));
    q->bind(1, canon);
    q->bind(2, to_db(now));
    q->bind(3, id);
    q->exec();
  }
  drop_entry_keys({id, sort_time, source_id, &identity, &canon});
  Use q(stmt("DELETE FROM entries WHERE id = ?"));
  q->bind(1, id);
  q->exec();
  return story;
}

void Store::Impl::lost_sighting(std::int64_t story, Timestamp now) {
  story_changed(story); // lost a sighting, perhaps its representative, or is gone
  std::optional<std::int64_t> first;
  {
    // Its sightings: the joined ones (entries_story) and the representative.
    Use q(stmt("SELECT e.id FROM entries e JOIN sources s ON s.id = e.source_id "
               "WHERE (e.story_id = ?1 AND e.join_entry_id IS NOT NULL) "
               "OR e.id = (SELECT rep_entry_id FROM stories WHERE id = ?1) "
               "ORDER BY e.sort_time, s.name, e.link, e.id LIMIT 1"));
    q->bind(1, story);
    if (q->executeStep()) {
      first = q->getColumn(0).getInt64();
    }
  }
  if (!first) {
    // The next story gets max(id, story_seq) + 1: never this id again, nor that of a
    // story folded into it, which goes with it.
    {
      Use q(stmt("UPDATE meta SET value = max(value, ?1, coalesce((SELECT max(id) FROM "
                 "stories WHERE merged_into = ?1), 0)) WHERE key = 'story_seq'"));
      q->bind(1, story);
      q->exec();
    }
    Use q(stmt("DELETE FROM stories WHERE id = ?1 OR merged_into = ?1")); // decisions cascade
    q->bind(1, story);
    q->exec();
    return;
  }
  // The representative went: the earliest remaining sighting takes over (the only
  // case in which a story's link changes).
  Use q(stmt("UPDATE stories SET rep_entry_id = ?1, updated = ?2, "
             "link = (SELECT CASE canonical_url WHEN '' THEN link ELSE canonical_url END "
             "        FROM entries WHERE id = ?1) "
             "WHERE id = ?3 AND rep_entry_id IS NOT ?1 AND NOT EXISTS "
             "(SELECT 1 FROM entries WHERE id = stories.rep_entry_id)"));
  q->bind(1, *first);
  q->bind(2, to_db(now));
  q->bind(3, story);
  q->exec();
}

void Store::Impl::prune(Timestamp older_than, int max_per_source) {
  const Timestamp now = m_clock.now();
  {
    SQLite::Transaction tx(m_db, SQLite::TransactionBehavior::IMMEDIATE);
    std::set<std::int64_t> stories;
    for (const auto id : prunable(older_than, max_per_source)) {
      if (const auto story = delete_entry(id, now)) {
        stories.insert(*story);
      }
    }
    for (const auto story : stories) {
      lost_sighting(story, now);
    }
    {
      Use q(stmt("DELETE FROM fetches WHERE at < ? AND id NOT IN "
                 "(SELECT last_fetch_id FROM sources WHERE last_fetch_id IS NOT NULL)"));
      q->bind(1, to_db(older_than));
      q->exec();
    }
    tx.commit();
  }
  m_db.exec("PRAGMA incremental_vacuum");
}

} // namespace reelfeed::store

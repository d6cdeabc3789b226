// Story clustering of a new sighting: the same canonical URL joins that URL's story
// (any age); otherwise the LSH band table proposes entries whose signatures share a band
// within the time window, and the most similar one at or above ClusterOptions::similarity
// wins. Cost per sighting is a few indexed look-ups, independent of how many stories are
// stored (only bucket sizes matter).

#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <unordered_set>

#include <xxhash.h>

#include "store/store_impl.hpp"

namespace reelfeed::store {

std::int64_t lsh_day(Timestamp t) {
  return to_db(t) / 86400;
}

std::vector<std::uint64_t> band_keys(const dedup::Signature& sig, std::int64_t day) {
  std::vector<std::uint64_t> keys;
  keys.reserve(k_bands);
  for (std::size_t b = 0; b < k_bands; ++b) {
    // A band of an empty signature (no words) would collide with every other one.
    if (sig.minhash[b * k_rows] == UINT32_MAX)
      return {};
    const auto h = XXH3_64bits(&sig.minhash[b * k_rows], k_rows * sizeof(std::uint32_t));
    // Bucket first, so that a burst of new entries writes to one small region of the table
    // (few dirty pages per commit) instead of ten random pages per entry.
    keys.push_back((static_cast<std::uint64_t>(day & 0x3FFFFFF) << 36) |
                   (static_cast<std::uint64_t>(b) << 32) | (h & 0xFFFFFFFFULL));
  }
  return keys;
}

std::string placeholders(const char* group, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i)
    out += (i ? "," : "") + std::string(group);
  return out;
}

void Store::Impl::index_signature(std::int64_t entry_id, const dedup::Signature& sig, Timestamp t) {
  const auto keys = band_keys(sig, lsh_day(t));
  if (keys.size() != k_bands)
    return; // empty signature: nothing to index
  // One statement for all bands: per-statement overhead dominates these tiny rows.
  static const std::string sql =
      "INSERT OR IGNORE INTO lsh(key, entry_id, t) VALUES " + placeholders("(?,?,?)", k_bands);
  Use q(stmt(sql));
  int i = 0;
  for (const auto key : keys) {
    q->bind(++i, static_cast<std::int64_t>(key));
    q->bind(++i, entry_id);
    q->bind(++i, to_db(t));
  }
  q->exec();
}

void Store::Impl::unindex_signature(std::int64_t entry_id,
                                    const dedup::Signature& sig,
                                    Timestamp t) {
  for (const auto key : band_keys(sig, lsh_day(t))) {
    Use q(stmt("DELETE FROM lsh WHERE key = ? AND entry_id = ?"));
    q->bind(1, static_cast<std::int64_t>(key));
    q->bind(2, entry_id);
    q->exec();
  }
}

void Store::Impl::rebuild_lsh() {
  m_db.exec("DELETE FROM lsh");
  std::vector<std::tuple<std::int64_t, dedup::Signature, Timestamp>> rows;
  {
    Use q(stmt("SELECT id, sig, sort_time FROM entries"));
    while (q->executeStep())
      rows.emplace_back(q->getColumn(0).getInt64(),
                        sig_from_blob(q->getColumn(1).getBlob(), q->getColumn(1).getBytes()),
                        from_db(q->getColumn(2).getInt64()));
  }
  for (const auto& [id, sig, t] : rows)
    index_signature(id, sig, t);
}

bool Store::Impl::tombstoned_url(const std::string& canon) {
  Use q(stmt("SELECT 1 FROM url_tombstones WHERE canonical_url = ?"));
  q->bind(1, canon);
  return q->executeStep();
}

std::int64_t
Store::Impl::create_story(const std::string& link, Timestamp published, Timestamp updated) {
  // uid is derived from the AUTOINCREMENT id, which SQLite never hands out twice. Under
  // the write lock the next id is sqlite_sequence's value + 1, so the row is inserted with
  // its id and uid in one statement (one uid-index insert instead of insert + update).
  Use q(stmt("INSERT INTO stories(id, uid, link, published, updated, last_activity) "
             "SELECT n, ?4 || n, ?1, ?2, ?3, ?2 FROM (SELECT max(coalesce((SELECT seq FROM "
             "sqlite_sequence WHERE name = 'stories'), 0), coalesce((SELECT max(id) FROM "
             "stories), 0)) + 1 AS n)"));
  q->bind(1, link);
  q->bind(2, to_db(published));
  q->bind(3, to_db(updated));
  q->bind(4, k_uid_prefix);
  q->exec();
  return m_db.getLastInsertRowid();
}

std::optional<Store::Impl::Placement> Store::Impl::place(const std::string& canon,
                                                         const dedup::Signature& sig,
                                                         Timestamp t,
                                                         const std::optional<UrlHit>& url_hit) {
  Placement p;
  if (!canon.empty()) {
    UrlHit hit;
    if (url_hit) {
      hit = *url_hit;
    } else {
      Use q(stmt("SELECT story_id, id FROM entries WHERE canonical_url = ? ORDER BY id LIMIT 1"));
      q->bind(1, canon);
      if (q->executeStep())
        hit.emplace(q->getColumn(0).getInt64(), q->getColumn(1).getInt64());
    }
    if (hit) {
      p.story_id = hit->first;
      p.joined_entry = hit->second;
      p.joined = true;
      p.reason = "same canonical URL";
      p.score = 1.0;
      return p;
    }
    if (tombstoned_url(canon))
      return std::nullopt; // its story was pruned: not new
  }

  const auto window = to_db(Timestamp{m_options.window});
  const auto lo = to_db(t) - window;
  const auto hi = to_db(t) + window;
  std::unordered_set<std::int64_t> candidates;
  // All bands of all buckets the window touches (at most 3) in one statement; unused
  // slots repeat the first key.
  constexpr std::size_t k_slots = 3 * k_bands;
  static const std::string sql =
      "SELECT entry_id, t FROM lsh WHERE key IN (" + placeholders("?", k_slots) + ")";
  std::vector<std::uint64_t> keys;
  for (auto day = lsh_day(from_db(lo)); day <= lsh_day(from_db(hi)); ++day)
    for (const auto key : band_keys(sig, day))
      keys.push_back(key);
  for (std::size_t start = 0; start < keys.size(); start += k_slots) { // >1 only if window > 4d
    Use q(stmt(sql));
    for (std::size_t i = 0; i < k_slots; ++i) {
      const auto key = start + i < keys.size() ? keys[start + i] : keys[start];
      q->bind(static_cast<int>(i + 1), static_cast<std::int64_t>(key));
    }
    while (q->executeStep()) {
      const auto ct = q->getColumn(1).getInt64();
      if (ct >= lo && ct <= hi)
        candidates.insert(q->getColumn(0).getInt64());
    }
  }
  double best = 0;
  for (const auto id : candidates) {
    Use q(stmt("SELECT sig, story_id FROM entries WHERE id = ?"));
    q->bind(1, id);
    if (!q->executeStep())
      continue;
    const auto other = sig_from_blob(q->getColumn(0).getBlob(), q->getColumn(0).getBytes());
    const double s = dedup::similarity(sig, other);
    if (s > best || (s == best && id < p.joined_entry)) {
      best = s;
      p.story_id = q->getColumn(1).getInt64();
      p.joined_entry = id;
    }
  }
  if (best >= m_options.similarity && p.joined_entry != 0) {
    p.joined = true;
    p.score = best;
    char buf[32];
    std::snprintf(buf, sizeof buf, "similarity %.2f", best);
    p.reason = buf;
    return p;
  }
  return Placement{};
}

} // namespace reelfeed::store

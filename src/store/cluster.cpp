// Story clustering of a new sighting: the same canonical URL joins that URL's story
// (any age); otherwise LSH proposes entries whose signatures share a band within the time
// window, and the most similar one at or above ClusterOptions::similarity wins. The lsh
// table holds one row per entry (4-day time bucket, band hashes, URL key), appended in
// time order; LSH look-ups use the in-memory index of the <= 3 buckets the window touches
// (lsh_index.hpp), URL look-ups an in-memory index of every row's URL key (url_index.hpp),
// both loaded once from those rows. Cost per sighting: a few hash probes plus one read per
// candidate, independent of how many stories are stored (only bucket sizes matter).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <tuple>
#include <unordered_set>

#include <xxhash.h>

#include "store/store_impl.hpp"

namespace reelfeed::store {

namespace {

std::int64_t bucket_of(std::int64_t t) {
  // Floor division: times before 1970 land in negative buckets, not in bucket 0.
  return t >= 0 ? t / k_bucket_seconds : -((-t + k_bucket_seconds - 1) / k_bucket_seconds);
}

} // namespace

std::optional<std::array<std::uint32_t, k_bands>> band_hashes(const dedup::Signature& sig) {
  std::array<std::uint32_t, k_bands> out{};
  for (std::size_t b = 0; b < k_bands; ++b) {
    // A band of an empty signature (no words) would collide with every other one.
    if (sig.minhash[b * k_rows] == UINT32_MAX)
      return std::nullopt;
    out[b] = static_cast<std::uint32_t>(
        XXH3_64bits(&sig.minhash[b * k_rows], k_rows * sizeof(std::uint32_t)));
  }
  return out;
}

void Store::Impl::index_signature(std::int64_t entry_id,
                                  const dedup::Signature& sig,
                                  Timestamp t,
                                  const std::string& canon) {
  const auto bands = band_hashes(sig);
  const std::uint64_t url_key = canon.empty() ? 0 : UrlIndex::key_of(canon.data(), canon.size());
  if (!bands && url_key == 0)
    return; // nothing to find it by
  const auto bucket = bucket_of(to_db(t));
  // Written by flush_lsh() in multi-row inserts before the commit; until then
  // lsh_bucket() and url_index() add it to what they load from the table.
  PendingLsh& r = m_lsh_pending.emplace_back();
  r.bucket = bucket;
  r.entry_id = entry_id;
  r.t = to_db(t);
  r.has_bands = bands.has_value();
  if (bands)
    r.bands = *bands;
  r.url_key = url_key;
  if (bands)
    if (auto* b = m_lsh.loaded(bucket))
      b->add(entry_id, to_db(t), bands->data(), k_bands);
  if (url_key != 0 && m_urls_loaded)
    m_urls.add(url_key, entry_id);
}

void Store::Impl::flush_lsh() {
  // One statement per k_chunk rows instead of one per row: the per-statement work
  // (step, statement journal, reset) was most of an LSH row's cost.
  constexpr std::size_t k_chunk = 16;
  static const std::string k_one =
      "INSERT OR REPLACE INTO lsh(key, entry_id, t, bands, url_key) VALUES (?, ?, ?, ?, ?)";
  static const std::string k_many = [] {
    std::string sql = k_one;
    for (std::size_t i = 1; i < k_chunk; ++i)
      sql += ", (?, ?, ?, ?, ?)";
    return sql;
  }();
  std::size_t i = 0;
  const auto bind_row = [&](SQLite::Statement& q, int at, const PendingLsh& r) {
    q.bind(at + 1, lsh_key(r.bucket, r.entry_id));
    q.bind(at + 2, r.entry_id);
    q.bind(at + 3, r.t);
    // An empty blob for an empty signature: the row is there for its URL key.
    q.bindNoCopy(at + 4, r.bands.data(), r.has_bands ? static_cast<int>(sizeof(r.bands)) : 0);
    if (r.url_key != 0)
      q.bind(at + 5, static_cast<std::int64_t>(r.url_key));
    else
      q.bind(at + 5);
  };
  for (; i + k_chunk <= m_lsh_pending.size(); i += k_chunk) {
    Use q(stmt(k_many));
    for (std::size_t k = 0; k < k_chunk; ++k)
      bind_row(*q, static_cast<int>(5 * k), m_lsh_pending[i + k]);
    q->exec();
  }
  for (; i < m_lsh_pending.size(); ++i) {
    Use q(stmt(k_one));
    bind_row(*q, 0, m_lsh_pending[i]);
    q->exec();
  }
  m_lsh_pending.clear();
}

void Store::Impl::unindex_signature(std::int64_t entry_id,
                                    const dedup::Signature& /*sig*/,
                                    Timestamp t,
                                    const std::string& canon) {
  const auto bucket = bucket_of(to_db(t));
  if (m_urls_loaded && !canon.empty())
    m_urls.remove(UrlIndex::key_of(canon.data(), canon.size()), entry_id);
  std::erase_if(m_lsh_pending,
                [&](const PendingLsh& r) { return r.entry_id == entry_id && r.bucket == bucket; });
  Use q(stmt("DELETE FROM lsh WHERE key = ?"));
  q->bind(1, lsh_key(bucket, entry_id));
  q->exec();
  m_lsh.forget(bucket); // rare (edits, pruning): reloaded from the table when next needed
}

LshBucket& Store::Impl::lsh_bucket(std::int64_t bucket) {
  if (auto* b = m_lsh.loaded(bucket))
    return *b;
  LshBucket& b = m_lsh.create(bucket);
  Use q(stmt("SELECT entry_id, t, bands FROM lsh WHERE key >= ? AND key < ?"));
  q->bind(1, lsh_key(bucket, 0));
  q->bind(2, lsh_key(bucket + 1, 0));
  std::array<std::uint32_t, k_bands> bands{};
  while (q->executeStep()) {
    const auto col = q->getColumn(2);
    if (static_cast<std::size_t>(col.getBytes()) != sizeof(bands))
      continue;
    std::memcpy(bands.data(), col.getBlob(), sizeof(bands));
    b.add(q->getColumn(0).getInt64(), q->getColumn(1).getInt64(), bands.data(), k_bands);
  }
  for (const auto& r : m_lsh_pending) // indexed in this transaction, not written yet
    if (r.bucket == bucket && r.has_bands)
      b.add(r.entry_id, r.t, r.bands.data(), k_bands);
  return b;
}

UrlIndex& Store::Impl::url_index() {
  if (m_urls_loaded)
    return m_urls;
  m_urls.clear();
  {
    Use q(stmt("SELECT url_key, entry_id FROM lsh WHERE url_key IS NOT NULL"));
    while (q->executeStep())
      m_urls.add(static_cast<std::uint64_t>(q->getColumn(0).getInt64()),
                 q->getColumn(1).getInt64());
  }
  for (const auto& r : m_lsh_pending) // indexed in this transaction, not written yet
    if (r.url_key != 0)
      m_urls.add(r.url_key, r.entry_id);
  m_urls_loaded = true;
  return m_urls;
}

std::vector<Store::Impl::UrlSighting> Store::Impl::url_sightings(const std::string& canon) {
  std::vector<UrlSighting> out;
  if (canon.empty())
    return out;
  std::vector<std::int64_t> ids;
  url_index().find(UrlIndex::key_of(canon.data(), canon.size()),
                   [&](std::int64_t id) { ids.push_back(id); });
  std::sort(ids.begin(), ids.end());
  for (const auto id : ids) {
    Use q(stmt("SELECT story_id, source_id, published, identity, canonical_url FROM entries "
               "WHERE id = ?"));
    q->bind(1, id);
    if (!q->executeStep() || q->getColumn(4).getString() != canon)
      continue; // pruned, rolled back, or another URL with the same hash
    UrlSighting x;
    x.id = id;
    x.story_id = q->getColumn(0).getInt64();
    x.source_id = q->getColumn(1).getInt64();
    if (!q->getColumn(2).isNull())
      x.published = q->getColumn(2).getInt64();
    x.identity = q->getColumn(3).getString();
    out.push_back(std::move(x));
  }
  return out;
}

void Store::Impl::check_foreign_writes() {
  const auto v = m_db.execAndGet("PRAGMA data_version").getInt64();
  if (v != m_data_version) {
    m_lsh.clear();
    m_urls.clear();
    m_urls_loaded = false;
  }
  m_data_version = v;
}

void Store::Impl::rebuild_lsh() {
  m_db.exec("DELETE FROM lsh");
  m_lsh.clear();
  m_urls.clear();
  m_urls_loaded = false;
  std::vector<std::tuple<std::int64_t, dedup::Signature, Timestamp, std::string>> rows;
  {
    Use q(stmt("SELECT id, sig, sort_time, canonical_url FROM entries"));
    while (q->executeStep())
      rows.emplace_back(q->getColumn(0).getInt64(),
                        sig_from_blob(q->getColumn(1).getBlob(), q->getColumn(1).getBytes()),
                        from_db(q->getColumn(2).getInt64()), q->getColumn(3).getString());
  }
  for (const auto& [id, sig, t, canon] : rows)
    index_signature(id, sig, t, canon);
  flush_lsh();
}

std::int64_t lsh_key(std::int64_t bucket, std::int64_t entry_id) {
  // Row order = (bucket, entry id), as the table's old composite key; 2^23 buckets of 4
  // days either side of 1970 are far beyond any feed's dates (clamped to be safe).
  constexpr std::int64_t k_max_bucket = std::int64_t{1} << 22;
  return std::clamp(bucket, -k_max_bucket, k_max_bucket) * k_lsh_bucket_span + entry_id;
}

bool Store::Impl::tombstoned_url(const std::string& canon) {
  if (!m_tx.any_url_tombstones)
    return false;
  Use q(stmt("SELECT 1 FROM url_tombstones WHERE canonical_url = ?"));
  q->bind(1, canon);
  return q->executeStep();
}

void Store::Impl::tx_begin() {
  // max(id) of a rowid table and EXISTS of a table are one B-tree descent each.
  Use q(stmt("SELECT (SELECT coalesce(max(id), 0) FROM entries), "
             "max((SELECT value FROM meta WHERE key = 'story_seq'), "
             "coalesce((SELECT max(id) FROM stories), 0)), "
             "EXISTS (SELECT 1 FROM tombstones), EXISTS (SELECT 1 FROM url_tombstones)"));
  q->executeStep();
  m_tx.next_entry_id = q->getColumn(0).getInt64() + 1;
  // Never the id of a pruned story (meta.story_seq): a reader may still hold it.
  m_tx.next_story_id = q->getColumn(1).getInt64() + 1;
  m_tx.any_tombstones = q->getColumn(2).getInt() != 0;
  m_tx.any_url_tombstones = q->getColumn(3).getInt() != 0;
}

std::int64_t Store::Impl::create_story(const std::string& link,
                                       Timestamp published,
                                       Timestamp updated,
                                       std::int64_t rep_entry_id) {
  // Id and representative in one insert (one write of each index, no later update).
  const std::int64_t id = m_tx.next_story_id++;
  Use q(stmt("INSERT INTO stories(id, rep_entry_id, link, published, updated, last_activity) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?4)"));
  q->bind(1, id);
  q->bind(2, rep_entry_id);
  q->bindNoCopy(3, link);
  q->bind(4, to_db(published));
  q->bind(5, to_db(updated));
  q->exec();
  return id;
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
    } else if (const auto seen = url_sightings(canon); !seen.empty()) {
      hit.emplace(seen.front().story_id, seen.front().id);
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
  if (const auto bands = band_hashes(sig)) {
    for (auto bucket = bucket_of(lo); bucket <= bucket_of(hi); ++bucket) {
      const LshBucket& b = lsh_bucket(bucket);
      for (std::size_t band = 0; band < k_bands; ++band)
        b.find(band, (*bands)[band], [&](std::int64_t id, std::int64_t ct) {
          if (ct >= lo && ct <= hi)
            candidates.insert(id);
        });
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

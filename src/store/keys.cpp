// Each entry's lsh row: its LSH band hashes (by time bucket), and the hashes of its
// canonical URL and of its identity. The rows are appended in time order (a rowid table
// keyed by bucket, then entry id), so a commit adds to a page or two; the look-ups go to
// in-memory indexes loaded from them (lsh_index.hpp: one time bucket at a time;
// hash_index.hpp: all URL and identity keys at once). Those indexes may hold more than the
// database (rolled-back rows), never less: every hit is checked against the entry.

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "store/store_impl.hpp"
#include "util/hash.hpp"

namespace reelfeed::store {

std::int64_t lsh_key(std::int64_t bucket, std::int64_t entry_id) {
  // Row order = (bucket, entry id). 2^22 buckets of 4 days either side of 1970 are far
  // beyond any feed's dates (clamped to be safe).
  constexpr std::int64_t k_max_bucket = std::int64_t{1} << 22;
  return std::clamp(bucket, -k_max_bucket, k_max_bucket) * k_lsh_bucket_span + entry_id;
}

namespace {

std::uint64_t url_key_of(const std::string* canon) {
  return canon == nullptr || canon->empty() ? 0 : HashIndex::key_of(canon->data(), canon->size());
}

} // namespace

std::string
derived_uid(const std::string& canon, const std::string& source, const std::string& identity) {
  std::uint64_t key = 0;
  if (!canon.empty()) {
    key = HashIndex::key_of(canon.data(), canon.size());
  } else {
    const std::string text = source + '\n' + identity;
    key = util::xxh3_64(text);
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(key));
  return std::string(k_uid_prefix) + buf;
}

void Store::Impl::add_entry_keys(const RowKeys& row, const dedup::Signature& sig) {
  const auto bands = band_hashes(sig);
  const auto t = to_db(row.t);
  const auto bucket = bucket_of(t);
  // Written by flush_lsh() in multi-row inserts before the commit; until then
  // lsh_bucket() and load_hash_indexes() add it to what they load from the table.
  PendingLsh& r = m_lsh_pending.emplace_back();
  r.bucket = bucket;
  r.entry_id = row.entry_id;
  r.t = t;
  r.has_bands = bands.has_value();
  if (bands) {
    r.bands = *bands;
  }
  r.url_key = url_key_of(row.canon);
  r.id_key = HashIndex::key_of(row.source_id, *row.identity);
  r.source_id = row.source_id;
  if (row.terms != nullptr && !row.terms->terms.empty()) {
    r.terms = terms_to_blob(*row.terms);
    if (m_term_stats_loaded) {
      m_term_stats.add(*row.terms);
    }
    if (auto* b = m_events.loaded(bucket)) {
      b->add({row.entry_id, t, row.story_id, row.source_id, *row.terms}, m_term_stats);
      m_events.trim(); // a cold poll fills buckets by inserts, not by loads
    }
  }
  if (bands) {
    if (auto* b = m_lsh.loaded(bucket)) {
      b->add(row.entry_id, t, bands->data(), k_bands);
      m_lsh.trim();
    }
  }
  if (m_hashes_loaded) {
    if (r.url_key != 0) {
      m_urls.add(r.url_key, row.entry_id);
    }
    m_idents.add(r.id_key, row.entry_id);
  }
}

void Store::Impl::flush_lsh() {
  // One statement per k_chunk rows instead of one per row: the per-statement work
  // (step, statement journal, reset) was most of an LSH row's cost.
  constexpr std::size_t k_chunk = 16;
  // Before the migration that adds lsh.terms (a rebuild of an older schema), rows are
  // written without it; that migration then fills it in.
  const int k_cols = m_lsh_has_terms ? 8 : 7;
  static const std::string k_one = "INSERT OR REPLACE INTO lsh(key, entry_id, t, bands, url_key, "
                                   "id_key, source_id, terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  static const std::string k_many = [] {
    std::string sql = k_one;
    for (std::size_t i = 1; i < k_chunk; ++i) {
      sql += ", (?, ?, ?, ?, ?, ?, ?, ?)";
    }
    return sql;
  }();
  static const std::string k_one_v10 = "INSERT OR REPLACE INTO lsh(key, entry_id, t, bands, "
                                       "url_key, id_key, source_id) VALUES (?, ?, ?, ?, ?, ?, ?)";
  static const std::string k_many_v10 = [] {
    std::string sql = k_one_v10;
    for (std::size_t i = 1; i < k_chunk; ++i) {
      sql += ", (?, ?, ?, ?, ?, ?, ?)";
    }
    return sql;
  }();
  std::size_t i = 0;
  const auto bind_row = [&](SQLite::Statement& q, int at, const PendingLsh& r) {
    q.bind(at + 1, lsh_key(r.bucket, r.entry_id));
    q.bind(at + 2, r.entry_id);
    q.bind(at + 3, r.t);
    // An empty blob for an empty signature: the row is there for its other keys.
    q.bindNoCopy(at + 4, r.bands.data(), r.has_bands ? static_cast<int>(sizeof(r.bands)) : 0);
    if (r.url_key != 0) {
      q.bind(at + 5, static_cast<std::int64_t>(r.url_key));
    } else {
      q.bind(at + 5);
    }
    q.bind(at + 6, static_cast<std::int64_t>(r.id_key));
    q.bind(at + 7, r.source_id);
    if (!m_lsh_has_terms) {
      return;
    }
    if (r.terms.empty()) {
      q.bind(at + 8);
    } else {
      q.bindNoCopy(at + 8, r.terms.data(), static_cast<int>(r.terms.size()));
    }
  };
  for (; i + k_chunk <= m_lsh_pending.size(); i += k_chunk) {
    Use q(stmt(m_lsh_has_terms ? k_many : k_many_v10));
    for (std::size_t k = 0; k < k_chunk; ++k) {
      bind_row(*q, static_cast<int>(k_cols * k), m_lsh_pending[i + k]);
    }
    q->exec();
  }
  for (; i < m_lsh_pending.size(); ++i) {
    Use q(stmt(m_lsh_has_terms ? k_one : k_one_v10));
    bind_row(*q, 0, m_lsh_pending[i]);
    q->exec();
  }
  m_lsh_pending.clear();
}

void Store::Impl::drop_entry_keys(const RowKeys& row) {
  const auto bucket = bucket_of(to_db(row.t));
  if (m_hashes_loaded) {
    if (const auto k = url_key_of(row.canon); k != 0) {
      m_urls.remove(k, row.entry_id);
    }
    m_idents.remove(HashIndex::key_of(row.source_id, *row.identity), row.entry_id);
  }
  bool pending = false;
  std::erase_if(m_lsh_pending, [&](const PendingLsh& r) {
    if (r.entry_id != row.entry_id || r.bucket != bucket) {
      return false;
    }
    if (m_term_stats_loaded && !r.terms.empty()) {
      if (const auto t = terms_from_blob(r.terms.data(), static_cast<int>(r.terms.size()))) {
        m_term_stats.remove(*t);
      }
    }
    pending = true;
    return true;
  });
  if (!pending && m_term_stats_loaded) {
    Use q(stmt("SELECT terms FROM lsh WHERE key = ?"));
    q->bind(1, lsh_key(bucket, row.entry_id));
    if (q->executeStep() && !q->getColumn(0).isNull()) {
      if (const auto t = terms_from_blob(q->getColumn(0).getBlob(), q->getColumn(0).getBytes())) {
        m_term_stats.remove(*t);
      }
    }
  }
  Use q(stmt("DELETE FROM lsh WHERE key = ?"));
  q->bind(1, lsh_key(bucket, row.entry_id));
  q->exec();
  // Rare (edits, pruning): reloaded from the table when next needed.
  m_lsh.forget(bucket);
  m_events.forget(bucket);
}

void Store::Impl::rekey_entry_keys(const RowKeys& row) {
  const auto id_key = HashIndex::key_of(row.source_id, *row.identity);
  const auto bucket = bucket_of(to_db(row.t));
  for (auto& r : m_lsh_pending) {
    if (r.entry_id == row.entry_id && r.bucket == bucket) {
      r.id_key = id_key;
    }
  }
  Use q(stmt("UPDATE lsh SET id_key = ? WHERE key = ?"));
  q->bind(1, static_cast<std::int64_t>(id_key));
  q->bind(2, lsh_key(bucket, row.entry_id));
  q->exec();
  if (m_hashes_loaded) {
    m_idents.add(id_key, row.entry_id); // (the old key stays until a reload: checked on use)
  }
}

LshBucket& Store::Impl::lsh_bucket(std::int64_t bucket) {
  if (auto* b = m_lsh.loaded(bucket)) {
    return *b;
  }
  LshBucket& b = m_lsh.create(bucket);
  Use q(stmt("SELECT entry_id, t, bands FROM lsh WHERE key >= ? AND key < ?"));
  q->bind(1, lsh_key(bucket, 0));
  q->bind(2, lsh_key(bucket + 1, 0));
  std::array<std::uint32_t, k_bands> bands{};
  while (q->executeStep()) {
    const auto col = q->getColumn(2);
    if (static_cast<std::size_t>(col.getBytes()) != sizeof(bands)) {
      continue;
    }
    std::memcpy(bands.data(), col.getBlob(), sizeof(bands));
    b.add(q->getColumn(0).getInt64(), q->getColumn(1).getInt64(), bands.data(), k_bands);
  }
  for (const auto& r : m_lsh_pending) { // indexed in this transaction, not written yet
    if (r.bucket == bucket && r.has_bands) {
      b.add(r.entry_id, r.t, r.bands.data(), k_bands);
    }
  }
  m_lsh.trim(bucket, bucket);
  return b;
}

EventBucket&
Store::Impl::event_bucket(std::int64_t bucket, std::int64_t keep_first, std::int64_t keep_last) {
  if (auto* b = m_events.loaded(bucket)) {
    return *b;
  }
  const TermStats& stats = term_stats();
  EventBucket& b = m_events.create(bucket);
  Use q(stmt("SELECT l.entry_id, l.t, e.story_id, l.source_id, l.terms FROM lsh l "
             "CROSS JOIN entries e ON e.id = l.entry_id "
             "WHERE l.key >= ? AND l.key < ? AND l.terms IS NOT NULL"));
  q->bind(1, lsh_key(bucket, 0));
  q->bind(2, lsh_key(bucket + 1, 0));
  while (q->executeStep()) {
    const auto col = q->getColumn(4);
    auto terms = terms_from_blob(col.getBlob(), col.getBytes());
    if (!terms) {
      continue;
    }
    b.add({q->getColumn(0).getInt64(), q->getColumn(1).getInt64(), q->getColumn(2).getInt64(),
           q->getColumn(3).getInt64(), std::move(*terms)},
          stats);
  }
  // Indexed in this transaction, not written yet: their story ids are in entries already
  // (the row is inserted before its keys are queued).
  for (const auto& r : m_lsh_pending) {
    if (r.bucket != bucket || r.terms.empty()) {
      continue;
    }
    auto terms = terms_from_blob(r.terms.data(), static_cast<int>(r.terms.size()));
    Use e(stmt("SELECT story_id FROM entries WHERE id = ?"));
    e->bind(1, r.entry_id);
    if (terms && e->executeStep()) {
      b.add({r.entry_id, r.t, e->getColumn(0).getInt64(), r.source_id, std::move(*terms)}, stats);
    }
  }
  b.shrink();
  m_events.trim(keep_first, keep_last);
  return b;
}

const TermStats& Store::Impl::term_stats() {
  if (m_term_stats_loaded) {
    return m_term_stats;
  }
  // The newest entries are the corpus the weights are learned from: enough to know what
  // every report says, bounded so that start-up does not grow with the store.
  constexpr int k_stats_rows = 200000;
  m_term_stats.clear();
  m_term_stats.set_beat_terms(termizer().beat_terms());
  {
    Use q(stmt("SELECT terms FROM lsh WHERE terms IS NOT NULL ORDER BY key DESC LIMIT ?"));
    q->bind(1, k_stats_rows);
    while (q->executeStep()) {
      if (const auto t = terms_from_blob(q->getColumn(0).getBlob(), q->getColumn(0).getBytes())) {
        m_term_stats.add(*t);
      }
    }
  }
  for (const auto& r : m_lsh_pending) {
    if (!r.terms.empty()) {
      if (const auto t = terms_from_blob(r.terms.data(), static_cast<int>(r.terms.size()))) {
        m_term_stats.add(*t);
      }
    }
  }
  m_term_stats_loaded = true;
  return m_term_stats;
}

dedup::EventTermizer& Store::Impl::termizer() {
  if (!m_termizer) {
    m_termizer = std::make_unique<dedup::EventTermizer>();
  }
  return *m_termizer;
}

void Store::Impl::fill_event_terms() {
  std::vector<std::pair<std::int64_t, std::string>> batch;
  const auto write = [&] {
    for (const auto& [key, blob] : batch) {
      Use u(stmt("UPDATE lsh SET terms = ? WHERE key = ?"));
      u->bindNoCopy(1, blob.data(), static_cast<int>(blob.size()));
      u->bind(2, key);
      u->exec();
    }
    batch.clear();
  };
  Use q(stmt("SELECT l.key, e.title, e.summary, e.content FROM lsh l "
             "CROSS JOIN entries e ON e.id = l.entry_id WHERE l.terms IS NULL"));
  while (q->executeStep()) {
    Entry e;
    e.title = q->getColumn(1).getString();
    e.summary = q->getColumn(2).getString();
    if (e.summary.empty()) {
      e.content = q->getColumn(3).getString();
    }
    const auto terms = termizer().terms(e);
    if (!terms.terms.empty()) {
      batch.emplace_back(q->getColumn(0).getInt64(), terms_to_blob(terms));
    }
    if (batch.size() >= 4096) {
      write(); // (bounded memory; the updates do not disturb q)
    }
  }
  write();
  m_events.clear();
  m_term_stats_loaded = false;
}

void Store::Impl::load_hash_indexes() {
  if (m_hashes_loaded) {
    return;
  }
  m_urls.clear();
  m_idents.clear();
  {
    Use q(stmt("SELECT url_key, id_key, entry_id FROM lsh"));
    while (q->executeStep()) {
      const auto id = q->getColumn(2).getInt64();
      if (!q->getColumn(0).isNull()) {
        m_urls.add(static_cast<std::uint64_t>(q->getColumn(0).getInt64()), id);
      }
      m_idents.add(static_cast<std::uint64_t>(q->getColumn(1).getInt64()), id);
    }
  }
  for (const auto& r : m_lsh_pending) { // indexed in this transaction, not written yet
    if (r.url_key != 0) {
      m_urls.add(r.url_key, r.entry_id);
    }
    m_idents.add(r.id_key, r.entry_id);
  }
  m_hashes_loaded = true;
}

std::vector<Store::Impl::UrlSighting> Store::Impl::url_sightings(const std::string& canon) {
  std::vector<UrlSighting> out;
  if (canon.empty()) {
    return out;
  }
  load_hash_indexes();
  std::vector<std::int64_t> ids;
  m_urls.find(HashIndex::key_of(canon.data(), canon.size()),
              [&](std::int64_t id) { ids.push_back(id); });
  std::sort(ids.begin(), ids.end());
  for (const auto id : ids) {
    Use q(stmt("SELECT story_id, source_id, published, identity, canonical_url FROM entries "
               "WHERE id = ?"));
    q->bind(1, id);
    if (!q->executeStep() || q->getColumn(4).getString() != canon) {
      continue; // pruned, rolled back, or another URL with the same hash
    }
    UrlSighting x;
    x.id = id;
    x.story_id = q->getColumn(0).getInt64();
    x.source_id = q->getColumn(1).getInt64();
    if (!q->getColumn(2).isNull()) {
      x.published = q->getColumn(2).getInt64();
    }
    x.identity = q->getColumn(3).getString();
    out.push_back(std::move(x));
  }
  return out;
}

void Store::Impl::check_foreign_writes() {
  const auto v = m_db.execAndGet("PRAGMA data_version").getInt64();
  if (v != m_data_version) {
    m_lsh.clear();
    m_events.clear();
    m_term_stats_loaded = false;
    m_urls.clear();
    m_idents.clear();
    m_hashes_loaded = false;
  }
  m_data_version = v;
}

void Store::Impl::rebuild_lsh() {
  m_db.exec("DELETE FROM lsh");
  m_lsh.clear();
  m_events.clear();
  m_term_stats_loaded = false;
  m_urls.clear();
  m_idents.clear();
  m_hashes_loaded = false;
  Use q(stmt("SELECT id, sig, sort_time, canonical_url, source_id, identity FROM entries"));
  while (q->executeStep()) {
    const std::string canon = q->getColumn(3).getString();
    const std::string identity = q->getColumn(5).getString();
    add_entry_keys({q->getColumn(0).getInt64(), from_db(q->getColumn(2).getInt64()),
                    q->getColumn(4).getInt64(), &identity, &canon},
                   sig_from_blob(q->getColumn(1).getBlob(), q->getColumn(1).getBytes()));
    if (m_lsh_pending.size() >= 4096) {
      flush_lsh(); // (bounded memory on a large database; the insert does not disturb q)
    }
  }
  flush_lsh();
}

} // namespace reelfeed::store

// Stored rows by identity key: the in-memory identity index (hash_index.hpp) names the
// candidate entries, and each is read by its rowid and checked (source and identity), so
// a stale or colliding hash never matches.

#include <string>

#include "store/store_impl.hpp"

namespace reelfeed::store {
namespace {

StoredEntry read_row(SQLite::Statement& q, std::int64_t id) {
  StoredEntry x;
  x.id = id;
  x.story_id = q.getColumn(0).getInt64();
  x.content_hash = static_cast<std::uint64_t>(q.getColumn(1).getInt64());
  x.canonical_url = q.getColumn(2).getString();
  x.title = q.getColumn(3).getString();
  if (!q.getColumn(4).isNull())
    x.published = q.getColumn(4).getInt64();
  x.sig = sig_from_blob(q.getColumn(5).getBlob(), q.getColumn(5).getBytes());
  x.sort_time = q.getColumn(6).getInt64();
  x.identity = q.getColumn(7).getString();
  return x;
}

} // namespace

std::optional<StoredEntry> Store::Impl::stored_entry(std::int64_t source_id,
                                                     const std::string& identity) {
  load_hash_indexes();
  std::optional<StoredEntry> out;
  m_idents.find(HashIndex::key_of(source_id, identity), [&](std::int64_t id) {
    if (out && out->id < id)
      return; // (the lowest id, should a stale copy ever coexist)
    Use q(stmt("SELECT story_id, content_hash, canonical_url, title, published, sig, sort_time, "
               "identity, source_id FROM entries WHERE id = ?"));
    q->bind(1, id);
    if (q->executeStep() && q->getColumn(8).getInt64() == source_id &&
        q->getColumn(7).getString() == identity)
      out = read_row(*q, id);
  });
  return out;
}

Store::Impl::StoredRows
Store::Impl::stored_by_identity(std::int64_t source_id,
                                const std::vector<const std::string*>& keys) {
  StoredRows out;
  load_hash_indexes();
  for (const std::string* k : keys)
    m_idents.prefetch(HashIndex::key_of(source_id, *k));
  for (const std::string* k : keys) {
    if (k->empty() || !out.asked.insert(*k).second)
      continue;
    if (auto row = stored_entry(source_id, *k))
      out.rows.insert_or_assign(*k, std::move(*row));
  }
  return out;
}

} // namespace reelfeed::store

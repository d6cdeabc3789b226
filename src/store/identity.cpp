// One look-up of a feed's identity keys: the keys go to SQLite as one JSON array
// (json_each), and the (source_id, identity) index is probed once per key inside a single
// statement, instead of one statement (bind, step, reset) per item and key.

#include <cstdio>
#include <string>

#include "store/store_impl.hpp"

namespace reelfeed::store {
namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c; // UTF-8 passes through (JSON text is UTF-8)
    }
  }
  out += '"';
}

StoredEntry read_row(SQLite::Statement& q) {
  StoredEntry x;
  x.id = q.getColumn(0).getInt64();
  x.story_id = q.getColumn(1).getInt64();
  x.content_hash = static_cast<std::uint64_t>(q.getColumn(2).getInt64());
  x.canonical_url = q.getColumn(3).getString();
  x.title = q.getColumn(4).getString();
  if (!q.getColumn(5).isNull())
    x.published = q.getColumn(5).getInt64();
  x.sig = sig_from_blob(q.getColumn(6).getBlob(), q.getColumn(6).getBytes());
  x.sort_time = q.getColumn(7).getInt64();
  x.identity = q.getColumn(8).getString();
  return x;
}

} // namespace

std::optional<StoredEntry> Store::Impl::stored_entry(std::int64_t source_id,
                                                     const std::string& identity) {
  Use q(stmt("SELECT id, story_id, content_hash, canonical_url, title, published, sig, "
             "sort_time, identity FROM entries WHERE source_id = ? AND identity = ?"));
  q->bind(1, source_id);
  q->bindNoCopy(2, identity);
  if (!q->executeStep())
    return std::nullopt;
  return read_row(*q);
}

Store::Impl::StoredRows
Store::Impl::stored_by_identity(std::int64_t source_id,
                                const std::vector<const std::string*>& keys) {
  StoredRows out;
  std::string list = "[";
  for (const std::string* k : keys) {
    if (k->empty() || !out.asked.insert(*k).second)
      continue;
    if (list.size() > 1)
      list += ',';
    append_json_string(list, *k);
  }
  list += ']';
  if (out.asked.empty())
    return out;
  Use q(stmt("SELECT id, story_id, content_hash, canonical_url, title, published, sig, "
             "sort_time, identity FROM entries WHERE source_id = ?1 AND identity IN "
             "(SELECT value FROM json_each(?2))"));
  q->bind(1, source_id);
  q->bindNoCopy(2, list);
  while (q->executeStep()) {
    StoredEntry x = read_row(*q);
    auto key = x.identity;
    out.rows.insert_or_assign(std::move(key), std::move(x));
  }
  return out;
}

} // namespace reelfeed::store

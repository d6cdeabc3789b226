// Ingest of one parsed feed: item identity per source (adaptive, after FreshRSS) and the
// insert/update of sightings. Clustering of new sightings is in cluster.cpp.
//
// Identity: an item is keyed by its guid while the feed's guids are sound. A feed whose
// guids are missing or repeated for more than 5% of its items (or that reuses a guid for
// a different item: other link, title and date) switches, for good, to "link" mode:
// canonical link + published date, then a content hash when the link is missing or
// repeated too. Keys are per source, so a guid shared by two feeds never moves an item.

#include <algorithm>
#include <cstdio>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "store/store_impl.hpp"

namespace reelfeed::store {

bool Store::Impl::tombstoned(std::int64_t source_id, const std::string& identity) {
  Use q(stmt("SELECT 1 FROM tombstones WHERE source_id = ? AND identity = ?"));
  q->bind(1, source_id);
  q->bind(2, identity);
  return q->executeStep();
}

SourceRow Store::Impl::source_row(const std::string& name, const std::string& url_if_new) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      Use q(stmt("SELECT id, identity_mode, last_fetch_id FROM sources WHERE name = ?"));
      q->bind(1, name);
      if (q->executeStep()) {
        SourceRow r;
        r.id = q->getColumn(0).getInt64();
        r.identity_mode = q->getColumn(1).getString();
        if (!q->getColumn(2).isNull()) {
          r.last_fetch_id = q->getColumn(2).getInt64();
        }
        return r;
      }
    }
    // Not in the config (yet): store it anyway rather than lose the feed.
    Use ins(stmt("INSERT INTO sources(name, url) VALUES (?, ?)"));
    ins->bind(1, name);
    ins->bind(2, url_if_new);
    ins->exec();
  }
  throw std::runtime_error("cannot create source " + name);
}

namespace {

SourceStatus without_validators(SourceStatus status) {
  status.validators = {};
  status.body_digest.clear();
  return status;
}

/// Which items of a feed may be stored as new when at most `max_new` may (0: all): the
/// newest by date (published, else updated; an undated item counts as new as the fetch)
/// among those `probably_new` (not found under their first identity key). Empty when the
/// cap cannot bite.
std::vector<bool> new_allowance(const Feed& feed,
                                const std::vector<bool>& probably_new,
                                std::size_t max_new,
                                Timestamp now) {
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < probably_new.size(); ++i) {
    if (probably_new[i]) {
      candidates.push_back(i);
    }
  }
  if (max_new == 0 || candidates.size() <= max_new) {
    return {};
  }
  const auto when = [&](std::size_t i) {
    const Entry& e = feed.entries[i];
    return e.published ? *e.published : e.updated.value_or(now);
  };
  // Stable: among equal dates the feed's own order (usually newest first) decides.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](std::size_t a, std::size_t b) { return when(a) > when(b); });
  std::vector<bool> allowed(probably_new.size(), false);
  for (std::size_t k = 0; k < max_new; ++k) {
    allowed[candidates[k]] = true;
  }
  return allowed;
}

/// How a feed names its items, judged on the whole document: a source in guid mode keeps it
/// while its guids are sound (unique, present).
struct FeedIdentity {
  std::unordered_map<std::string_view, int> guid_count; ///< items per guid key
  std::unordered_map<std::string_view, int> link_count; ///< items per link key
  /// Bad or recycled guids a guid-mode feed may have: FreshRSS's 5%, rounded up, is noise,
  /// not a pattern.
  std::size_t tolerance = 0;
  bool degrade = false;   ///< the source is in guid mode but this feed's guids are not sound
  bool guid_mode = false; ///< items are looked up by guid first
  std::vector<const std::string*> first_keys; ///< per item: the key it is looked up by first

  /// The item's guid is its key: guid mode and a guid unique in the document.
  [[nodiscard]] bool guid_ok(const PreparedEntry& p) const {
    return guid_mode && !p.guid_key.empty() && guid_count.at(p.guid_key) == 1;
  }
  /// The key without a sound guid: the link when unique in the document, else the content.
  [[nodiscard]] const std::string& fallback_key(const PreparedEntry& p) const {
    return !p.link_key.empty() && link_count.at(p.link_key) == 1 ? p.link_key : p.hash_key;
  }
};

/// Counts the feed's guids and links and picks each item's first key under `identity_mode`.
FeedIdentity assess_identity(const std::string& identity_mode,
                             const std::vector<PreparedEntry>& prepared) {
  FeedIdentity id;
  for (const auto& p : prepared) {
    ++id.guid_count[p.guid_key];
    ++id.link_count[p.link_key];
  }
  std::size_t bad_guids = 0;
  for (const auto& p : prepared) {
    if (p.guid_key.empty() || id.guid_count[p.guid_key] > 1) {
      ++bad_guids;
    }
  }
  id.tolerance = (prepared.size() + 19) / 20;
  id.degrade = identity_mode == "guid" && bad_guids > id.tolerance;
  id.guid_mode = identity_mode == "guid" && !id.degrade;
  id.first_keys.reserve(prepared.size());
  for (const auto& p : prepared) {
    id.first_keys.push_back(id.guid_ok(p) ? &p.guid_key : &id.fallback_key(p));
  }
  return id;
}

/// A stored date column's value as ingest compares it: NULL (no date) as INT64_MIN.
std::int64_t published_key(const Entry& e) {
  return e.published ? to_db(*e.published) : INT64_MIN;
}

/// Binds what an edited and a new sighting both store of their item, by column name.
/// `sig_blob` must outlive the statement's execution (bound without a copy).
void bind_item_columns(SQLite::Statement& q,
                       const Entry& e,
                       const PreparedEntry& p,
                       const std::string& identity,
                       const std::string& sig_blob) {
  q.bindNoCopy(":identity", identity);
  q.bindNoCopy(":title", e.title);
  q.bindNoCopy(":link", e.link);
  q.bindNoCopy(":canonical_url", p.canonical_url);
  q.bindNoCopy(":author", e.author);
  q.bindNoCopy(":summary", e.summary);
  q.bindNoCopy(":content", e.content);
  q.bindNoCopy(":categories", p.categories_json);
  q.bindNoCopy(":enclosures", p.enclosures_json);
  if (e.published) {
    q.bind(":published", to_db(*e.published));
  }
  if (e.updated) {
    q.bind(":updated", to_db(*e.updated));
  }
  q.bind(":content_hash", static_cast<std::int64_t>(p.content_hash));
  q.bindNoCopy(":sig", sig_blob.data(), static_cast<int>(sig_blob.size()));
}

} // namespace

/// One feed's ingest inside the caller's transaction, in the steps of the algorithm:
/// assess the feed's identity, then per item find the stored sighting and keep it
/// (unchanged), rewrite it (edited) or place and insert it (new: clustering).
class Store::Impl::FeedIngest {
public:
  FeedIngest(Impl& store,
             SourceRow src,
             const Feed& feed,
             const std::vector<PreparedEntry>& prepared,
             Timestamp now,
             const Decided& decided,
             std::size_t max_new)
      : m_store(store), m_src(std::move(src)), m_feed(feed), m_prepared(prepared), m_now(now),
        m_decided(decided), m_max_new(max_new) {}

  /// Records the fetch, judges the feed's identity and loads the rows its keys can name.
  void start(const SourceStatus& status);
  /// Stores item `i`: unchanged, edited or new.
  void item(std::size_t i);
  /// Records what the fetch did on the source (identity mode, counts, latest entries).
  void finish(const SourceStatus& status);
  [[nodiscard]] const IngestResult& result() const { return m_result; }

private:
  /// The stored sighting an item matched (if any) and the key the item is stored under.
  struct Match {
    std::string primary;
    std::optional<StoredEntry> row;
    std::optional<UrlHit> url_hit; ///< the URL look-up made on the way, reused by place()
  };
  /// Finds item `i`'s stored sighting: by its own key, else (a recycled guid, a changed key
  /// scheme, a source gone to link identity) by canonical URL, source and date.
  Match find_stored(std::size_t i);
  /// A stored row by identity key: from the rows loaded up front, else from the database.
  std::optional<StoredEntry> find(const std::string& key);
  /// An edited or new item with what its clustering needs.
  struct Item {
    std::size_t index;
    const Entry& entry;
    const PreparedEntry& prepared;
    Timestamp t; ///< sort time: the item's date, a future one clamped to now
    dedup::Signature sig;
    dedup::EventTerms terms;
  };
  /// The item is unchanged: no write unless it is re-keyed.
  void keep_unchanged(const Match& m);
  /// The item was edited: the stored `row` takes the new content under `primary`; its story
  /// keeps id and link.
  void store_edit(const Item& it, const StoredEntry& row, const std::string& primary);
  /// The item is new: placed in a story (joined or founded), then inserted.
  void store_new(const Item& it, const Match& m);
  /// A new item that must not be stored now: tombstoned earlier, or over the fetch's cap.
  [[nodiscard]] bool refused(std::size_t i, const std::string& primary);
  /// The loaded rows follow the row they mirror: a re-keyed row is gone under its old key.
  void rekeyed(const StoredEntry& row, const std::string& key);
  /// The item's sort time: its date, a future one clamped to now.
  [[nodiscard]] Timestamp sort_time(const Entry& e) const {
    return std::min(e.published.value_or(m_now), m_now);
  }

  Impl& m_store;
  const SourceRow m_src;
  const Feed& m_feed;
  const std::vector<PreparedEntry>& m_prepared;
  const Timestamp m_now;
  const Decided& m_decided;
  const std::size_t m_max_new;

  std::int64_t m_fetch_id = 0;
  FeedIdentity m_identity;
  StoredRows m_stored;
  std::vector<bool> m_allowed;  ///< per item, under a cap: may be stored as new (empty: all)
  std::set<std::string> m_seen; ///< keys of this document's items so far
  std::size_t m_reused_guids = 0;
  std::vector<std::int64_t> m_latest; ///< entry ids of this fetch: never pruned while latest
  IngestResult m_result;
};

IngestResult Store::Impl::ingest_in_tx(const std::string& source,
                                       const Feed& feed,
                                       const std::vector<PreparedEntry>& prepared,
                                       const SourceStatus& status,
                                       Timestamp now,
                                       const Decided& decided,
                                       std::size_t max_new) {
  if (prepared.size() != feed.entries.size()) {
    throw std::invalid_argument("store::Prepared: entries are not parallel to feed.entries");
  }
  m_lsh_pending.clear(); // (a failed call may have left some)
  tx_begin();
  FeedIngest ingest(*this, source_row(source, status.url), feed, prepared, now, decided, max_new);
  ingest.start(status);
  for (std::size_t i = 0; i < feed.entries.size(); ++i) {
    ingest.item(i);
  }
  ingest.finish(status);
  flush_lsh();
  return ingest.result();
}

void Store::Impl::FeedIngest::start(const SourceStatus& status) {
  {
    Use q(m_store.stmt("INSERT INTO fetches(source_id, at, http_status, entries) "
                       "VALUES (:source_id, :at, :http_status, :entries)"));
    q->bind(":source_id", m_src.id);
    q->bind(":at", to_db(m_now));
    q->bind(":http_status", static_cast<std::int64_t>(status.last_status));
    q->bind(":entries", static_cast<std::int64_t>(m_feed.entries.size()));
    q->exec();
    m_fetch_id = m_store.m_db.getLastInsertRowid();
  }
  m_identity = assess_identity(m_src.identity_mode, m_prepared);
  // Every stored row this feed's keys can name, in one query (not one per item).
  m_stored = m_store.stored_by_identity(m_src.id, m_identity.first_keys);
  // The cap on what one fetch may add: decided up front, so that the newest items are the
  // ones stored whatever their order in the document.
  const std::size_t n = m_prepared.size();
  if (m_max_new > 0 && n > m_max_new) {
    std::vector<bool> probably_new(n);
    for (std::size_t i = 0; i < n; ++i) {
      probably_new[i] = m_stored.rows.count(*m_identity.first_keys[i]) == 0;
    }
    m_allowed = new_allowance(m_feed, probably_new, m_max_new, m_now);
  }
  for (const auto& p : m_prepared) { // most are looked up (new items), see url_sightings()
    if (!p.canonical_url.empty()) {
      m_store.m_urls.prefetch(HashIndex::key_of(p.canonical_url.data(), p.canonical_url.size()));
    }
  }
  m_latest.reserve(n);
}

void Store::Impl::FeedIngest::item(std::size_t i) {
  const Entry& e = m_feed.entries[i];
  const PreparedEntry& p = m_prepared[i];
  const Match m = find_stored(i);
  if (!m_seen.insert(m.primary).second) {
    ++m_result.skipped_entries; // the same item twice in one document
    return;
  }
  if (m.row && m.row->content_hash == p.content_hash) {
    keep_unchanged(m);
    return;
  }
  // The expensive part (MinHash, event terms) only for edited or new items.
  const Item it{.index = i,
                .entry = e,
                .prepared = p,
                .t = sort_time(e),
                .sig = p.signature ? *p.signature : dedup::signature(e, p.normalised_title),
                .terms = p.event_terms ? *p.event_terms : m_store.termizer().terms(e)};
  if (m.row) {
    store_edit(it, *m.row, m.primary);
  } else if (!refused(i, m.primary)) {
    store_new(it, m);
  }
}

std::optional<StoredEntry> Store::Impl::FeedIngest::find(const std::string& key) {
  if (const auto it = m_stored.rows.find(key); it != m_stored.rows.end()) {
    return it->second;
  }
  if (m_stored.asked.count(key) != 0) {
    return std::nullopt;
  }
  return m_store.stored_entry(m_src.id, key);
}

void Store::Impl::FeedIngest::rekeyed(const StoredEntry& row, const std::string& key) {
  if (row.identity == key) {
    return;
  }
  StoredEntry moved = row;
  moved.identity = key;
  m_stored.rows.erase(row.identity);
  m_stored.rows.insert_or_assign(key, std::move(moved));
}

Store::Impl::FeedIngest::Match Store::Impl::FeedIngest::find_stored(std::size_t i) {
  const Entry& e = m_feed.entries[i];
  const PreparedEntry& p = m_prepared[i];
  const std::string& canon = p.canonical_url;
  Match m;
  if (m_identity.guid_ok(p)) {
    m.row = find(p.guid_key);
    // Same guid, but another link, title and date: the feed recycles guids.
    if (m.row && m.row->canonical_url != canon &&
        dedup::normalise_title(m.row->title) != p.normalised_title &&
        m.row->published.value_or(INT64_MIN) != published_key(e)) {
      ++m_reused_guids;
      m.row.reset();
    } else {
      m.primary = p.guid_key;
    }
  }
  if (m.primary.empty()) {
    m.primary = m_identity.fallback_key(p);
    m.row = find(m.primary);
  }
  if (m.row || canon.empty()) {
    return m;
  }
  // Stored under another key: the feed changed its guid scheme, recycled a guid, or this
  // source degraded to link identity. Same link and date = same item; it is re-keyed.
  // All sightings of the URL (one per outlet at most, usually none), in id order.
  const auto seen = m_store.url_sightings(canon);
  m.url_hit.emplace();
  if (!seen.empty()) {
    m.url_hit->emplace(seen.front().story_id, seen.front().id);
  }
  std::string other;
  for (const auto& x : seen) {
    // Both sides map NULL to INT64_MIN: `published IS ?` semantics.
    if (x.source_id == m_src.id && x.published == published_key(e)) {
      other = x.identity;
      break;
    }
  }
  if (!other.empty() && m_seen.count(other) == 0) {
    m.row = find(other);
    if (!m.row) {
      m.row = m_store.stored_entry(m_src.id, other);
    }
  }
  return m;
}

void Store::Impl::FeedIngest::keep_unchanged(const Match& m) {
  // The common case of a re-downloaded feed: no signature, no canonicalisation of text, and
  // no write unless the item is re-keyed (sources.latest_entries records that it is still
  // in the feed).
  const StoredEntry& row = *m.row;
  if (row.identity != m.primary) {
    Use q(m_store.stmt("UPDATE entries SET last_seen = :now, last_fetch_id = :fetch_id, "
                       "identity = :identity WHERE id = :id"));
    q->bind(":now", to_db(m_now));
    q->bind(":fetch_id", m_fetch_id);
    q->bindNoCopy(":identity", m.primary);
    q->bind(":id", row.id);
    q->exec();
    m_store.rekey_entry_keys({row.id, from_db(row.sort_time), m_src.id, &m.primary, nullptr});
    rekeyed(row, m.primary);
  }
  m_latest.push_back(row.id);
  ++m_result.unchanged_entries;
}

void Store::Impl::FeedIngest::store_edit(const Item& it,
                                         const StoredEntry& row,
                                         const std::string& primary) {
  const Entry& e = it.entry;
  const PreparedEntry& p = it.prepared;
  m_store.drop_entry_keys(
      {row.id, from_db(row.sort_time), m_src.id, &row.identity, &row.canonical_url});
  {
    Use q(m_store.stmt(
        "UPDATE entries SET title = :title, link = :link, canonical_url = :canonical_url, "
        "author = :author, summary = :summary, content = :content, categories = :categories, "
        "enclosures = :enclosures, published = :published, updated = :updated, "
        "last_seen = :last_seen, sort_time = :sort_time, last_fetch_id = :last_fetch_id, "
        "content_hash = :content_hash, sig = :sig, identity = :identity WHERE id = :id"));
    const auto blob = sig_to_blob(it.sig);
    bind_item_columns(*q, e, p, primary, blob);
    q->bind(":last_seen", to_db(m_now));
    q->bind(":sort_time", to_db(it.t));
    q->bind(":last_fetch_id", m_fetch_id);
    q->bind(":id", row.id);
    q->exec();
    rekeyed(row, primary);
  }
  m_store.add_entry_keys(
      {row.id, it.t, m_src.id, &primary, &p.canonical_url, row.story_id, &it.terms}, it.sig);
  {
    // Material change = the representative's text changed; a supporting outlet's edit does
    // not touch the story's `updated`.
    Use q(m_store.stmt("UPDATE stories SET updated = max(updated, :updated) "
                       "WHERE id = :story_id AND rep_entry_id = :entry_id"));
    q->bind(":updated", to_db(std::max(e.updated.value_or(m_now), m_now)));
    q->bind(":story_id", row.story_id);
    q->bind(":entry_id", row.id);
    q->exec();
  }
  m_store.story_changed(row.story_id); // any sighting's text counts for the rules
  m_latest.push_back(row.id);
  ++m_result.updated_entries;
}

bool Store::Impl::FeedIngest::refused(std::size_t i, const std::string& primary) {
  const PreparedEntry& p = m_prepared[i];
  if (m_store.m_tx.any_tombstones &&
      (m_store.tombstoned(m_src.id, primary) ||
       (!p.guid_key.empty() && m_store.tombstoned(m_src.id, p.guid_key)))) {
    ++m_result.skipped_entries; // pruned earlier: never new again
    return true;
  }
  if (m_max_new > 0 && ((!m_allowed.empty() && !m_allowed[i]) ||
                        static_cast<std::size_t>(m_result.new_entries) >= m_max_new)) {
    ++m_result.capped_entries; // not stored this time; fetched again next poll
    return true;
  }
  return false;
}

void Store::Impl::FeedIngest::store_new(const Item& it, const Match& m) {
  const Entry& e = it.entry;
  const PreparedEntry& p = it.prepared;
  const std::string& canon = p.canonical_url;
  const Timestamp t = it.t;
  auto placement =
      m_store.place({&canon, &it.sig, &it.terms, &p.normalised_title, &e, m_src.id, t}, m.url_hit);
  if (!placement) {
    ++m_result.skipped_entries;
    return;
  }
  const std::int64_t entry_id = m_store.m_tx.next_entry_id;
  if (!placement->joined) {
    placement->story_id =
        m_store.create_story(canon.empty() ? e.link : canon, t,
                             std::max(t, std::min(e.updated.value_or(t), m_now)), entry_id);
  }
  {
    Use q(m_store.stmt(
        "INSERT INTO entries(id, source_id, story_id, identity, guid, link, canonical_url, "
        "title, author, summary, content, categories, enclosures, published, updated, "
        "first_seen, last_seen, sort_time, last_fetch_id, content_hash, sig, join_reason, "
        "join_score, join_entry_id) VALUES (:id, :source_id, :story_id, :identity, :guid, "
        ":link, :canonical_url, :title, :author, :summary, :content, :categories, "
        ":enclosures, :published, :updated, :first_seen, :last_seen, :sort_time, "
        ":last_fetch_id, :content_hash, :sig, :join_reason, :join_score, :join_entry_id)"));
    const auto blob = sig_to_blob(it.sig);
    bind_item_columns(*q, e, p, m.primary, blob);
    q->bind(":id", entry_id);
    q->bind(":source_id", m_src.id);
    q->bind(":story_id", placement->story_id);
    q->bindNoCopy(":guid", e.id);
    q->bind(":first_seen", to_db(m_now));
    q->bind(":last_seen", to_db(m_now));
    q->bind(":sort_time", to_db(t));
    q->bind(":last_fetch_id", m_fetch_id);
    q->bindNoCopy(":join_reason", placement->reason);
    q->bind(":join_score", placement->score);
    if (placement->joined_entry != 0) {
      q->bind(":join_entry_id", placement->joined_entry);
    }
    q->exec();
    ++m_store.m_tx.next_entry_id;
  }
  m_store.add_entry_keys(
      {entry_id, t, m_src.id, &m.primary, &canon, placement->story_id, &it.terms}, it.sig);
  if (placement->joined) {
    {
      Use q(m_store.stmt("UPDATE stories SET last_activity = max(last_activity, :t), "
                         "published = min(published, :t) WHERE id = :story_id"));
      q->bind(":t", to_db(t));
      q->bind(":story_id", placement->story_id);
      q->exec();
    }
    m_store.maybe_take_over(placement->story_id, entry_id);
    if (placement->fold != 0) {
      m_store.fold_stories(placement->story_id, placement->fold);
    }
    m_store.story_changed(placement->story_id);
    ++m_result.joined_stories;
  } else {
    const auto& decisions = m_decided.per_entry;
    if (it.index < decisions.size() && m_decided.rules != 0 && m_decided.rules == m_store.m_rules) {
      // Decided before the ingest on this very story (single_story) under the rules the
      // store follows: saved now, not queued.
      for (const Decision& d : decisions[it.index]) {
        m_store.insert_decision(placement->story_id, d, std::make_pair(t, t), m_now);
      }
    } else {
      m_store.story_changed(placement->story_id);
    }
    ++m_result.new_stories;
  }
  m_latest.push_back(entry_id);
  ++m_result.new_entries;
}

void Store::Impl::FeedIngest::finish(const SourceStatus& status) {
  if (m_src.identity_mode == "guid" &&
      (m_identity.degrade || m_reused_guids > m_identity.tolerance)) {
    Use q(m_store.stmt("UPDATE sources SET identity_mode = 'link' WHERE id = ?"));
    q->bind(1, m_src.id);
    q->exec();
  }
  {
    Use q(m_store.stmt("UPDATE fetches SET new_entries = :new, updated_entries = :updated "
                       "WHERE id = :fetch_id"));
    q->bind(":new", m_result.new_entries);
    q->bind(":updated", m_result.updated_entries);
    q->bind(":fetch_id", m_fetch_id);
    q->exec();
  }
  {
    Use q(m_store.stmt("UPDATE sources SET last_fetch_id = :fetch_id, status = :status, "
                       "latest_entries = :latest WHERE id = :id"));
    q->bind(":fetch_id", m_fetch_id);
    // A capped fetch keeps neither validators nor body digest: the next poll downloads and
    // reads the whole feed again, and stores the next newest of what was left out.
    q->bind(":status",
            status_json(m_result.capped_entries > 0 ? without_validators(status) : status));
    q->bind(":latest", m_latest.data(), static_cast<int>(m_latest.size() * sizeof(std::int64_t)));
    q->bind(":id", m_src.id);
    q->exec();
  }
}

} // namespace reelfeed::store

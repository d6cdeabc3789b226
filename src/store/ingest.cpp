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
namespace {} // namespace

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
        if (!q->getColumn(2).isNull())
          r.last_fetch_id = q->getColumn(2).getInt64();
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
  for (std::size_t i = 0; i < probably_new.size(); ++i)
    if (probably_new[i])
      candidates.push_back(i);
  if (max_new == 0 || candidates.size() <= max_new)
    return {};
  const auto when = [&](std::size_t i) {
    const Entry& e = feed.entries[i];
    return e.published ? *e.published : e.updated.value_or(now);
  };
  // Stable: among equal dates the feed's own order (usually newest first) decides.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](std::size_t a, std::size_t b) { return when(a) > when(b); });
  std::vector<bool> allowed(probably_new.size(), false);
  for (std::size_t k = 0; k < max_new; ++k)
    allowed[candidates[k]] = true;
  return allowed;
}

} // namespace

IngestResult Store::Impl::ingest_in_tx(const std::string& source,
                                       const Feed& feed,
                                       const std::vector<PreparedEntry>& prepared,
                                       const SourceStatus& status,
                                       Timestamp now,
                                       const Decided& decided,
                                       std::size_t max_new) {
  const auto& decisions = decided.per_entry;
  const auto rules = decided.rules;
  if (prepared.size() != feed.entries.size())
    throw std::invalid_argument("store::Prepared: entries are not parallel to feed.entries");
  IngestResult result;
  m_lsh_pending.clear(); // (a failed call may have left some)
  tx_begin();
  SourceRow src = source_row(source, status.url);

  std::int64_t fetch_id = 0;
  {
    Use q(stmt("INSERT INTO fetches(source_id, at, http_status, entries) VALUES (?,?,?,?)"));
    q->bind(1, src.id);
    q->bind(2, to_db(now));
    q->bind(3, static_cast<std::int64_t>(status.last_status));
    q->bind(4, static_cast<std::int64_t>(feed.entries.size()));
    q->exec();
    fetch_id = m_db.getLastInsertRowid();
  }

  // Feed-level soundness of guids and links.
  const auto n = feed.entries.size();
  std::unordered_map<std::string_view, int> guid_count;
  std::unordered_map<std::string_view, int> link_count;
  for (const auto& p : prepared) {
    ++guid_count[p.guid_key];
    ++link_count[p.link_key];
  }
  std::size_t bad_guids = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (prepared[i].guid_key.empty() || guid_count[prepared[i].guid_key] > 1)
      ++bad_guids;
  // FreshRSS: up to 5% (rounded up) bad guids is noise, not a pattern.
  const auto tolerance = (n + 19) / 20;
  bool degrade = src.identity_mode == "guid" && bad_guids > tolerance;
  std::size_t reused_guids = 0;

  // Every stored row this feed's keys can name, in one query (not one per item).
  // The first key each item is looked up by (a recycled guid falls back to the database).
  const bool guid_mode = src.identity_mode == "guid" && !degrade;
  std::vector<const std::string*> first_keys;
  first_keys.reserve(n);
  for (const auto& p : prepared) {
    if (guid_mode && !p.guid_key.empty() && guid_count[p.guid_key] == 1)
      first_keys.push_back(&p.guid_key);
    else if (!p.link_key.empty() && link_count[p.link_key] == 1)
      first_keys.push_back(&p.link_key);
    else
      first_keys.push_back(&p.hash_key);
  }
  auto stored = stored_by_identity(src.id, first_keys);
  // The cap on what one fetch may add: decided up front, so that the newest items are the
  // ones stored whatever their order in the document.
  std::vector<bool> allowed;
  if (max_new > 0 && n > max_new) {
    std::vector<bool> probably_new(n);
    for (std::size_t i = 0; i < n; ++i)
      probably_new[i] = stored.rows.count(*first_keys[i]) == 0;
    allowed = new_allowance(feed, probably_new, max_new, now);
  }
  for (const auto& p : prepared) // most are looked up (new items), see url_sightings()
    if (!p.canonical_url.empty())
      m_urls.prefetch(HashIndex::key_of(p.canonical_url.data(), p.canonical_url.size()));
  std::set<std::string> seen_keys;
  std::vector<std::int64_t> latest; ///< entry ids of this fetch: never pruned while latest
  latest.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Entry& e = feed.entries[i];
    const PreparedEntry& p = prepared[i];
    const std::string& canon = p.canonical_url;
    const bool guid_ok = guid_mode && !p.guid_key.empty() && guid_count[p.guid_key] == 1;
    const auto content_hash = p.content_hash;
    // The map must follow the rows it mirrors: a re-keyed row is gone under its old key.
    const auto rekeyed = [&](const StoredEntry& r, const std::string& key) {
      if (r.identity == key)
        return;
      StoredEntry moved = r;
      moved.identity = key;
      stored.rows.erase(r.identity);
      stored.rows.insert_or_assign(key, std::move(moved));
    };
    const auto find = [&](const std::string& key) -> std::optional<StoredEntry> {
      if (const auto it = stored.rows.find(key); it != stored.rows.end())
        return it->second;
      if (stored.asked.count(key) != 0)
        return std::nullopt;
      return stored_entry(src.id, key);
    };

    std::string primary;
    std::optional<StoredEntry> row;
    if (guid_ok) {
      row = find(p.guid_key);
      const std::int64_t pub = e.published ? to_db(*e.published) : INT64_MIN;
      // Same guid, but another link, title and date: the feed recycles guids.
      if (row && row->canonical_url != canon &&
          dedup::normalise_title(row->title) != p.normalised_title &&
          row->published.value_or(INT64_MIN) != pub) {
        ++reused_guids;
        row.reset();
      } else {
        primary = p.guid_key;
      }
    }
    if (primary.empty()) {
      primary = !p.link_key.empty() && link_count[p.link_key] == 1 ? p.link_key : p.hash_key;
      row = find(primary);
    }
    std::optional<Impl::UrlHit> url_hit; // reused by place(): one look-up, not two
    if (!row && !canon.empty()) {
      // Stored under another key: the feed changed its guid scheme, recycled a guid, or
      // this source degraded to link identity. Same link and date = same item; it is
      // re-keyed below.
      std::string other;
      // All sightings of the URL (one per outlet at most, usually none), in id order.
      const auto seen = url_sightings(canon);
      url_hit.emplace();
      if (!seen.empty())
        url_hit->emplace(seen.front().story_id, seen.front().id);
      // Both sides map NULL to INT64_MIN: `published IS ?` semantics.
      const std::int64_t pub = e.published ? to_db(*e.published) : INT64_MIN;
      for (const auto& x : seen)
        if (x.source_id == src.id && x.published == pub) {
          other = x.identity;
          break;
        }
      if (!other.empty() && seen_keys.count(other) == 0) {
        row = find(other);
        if (!row)
          row = stored_entry(src.id, other);
      }
    }
    if (!seen_keys.insert(primary).second) {
      ++result.skipped_entries; // the same item twice in one document
      continue;
    }

    const Timestamp t = std::min(e.published.value_or(now), now); // future dates clamp to now
    if (row && row->content_hash == content_hash) {
      // The common case of a re-downloaded feed: no signature, no canonicalisation of
      // text, and no write unless the item is re-keyed (sources.latest_entries records
      // that it is still in the feed).
      if (row->identity != primary) {
        Use q(stmt("UPDATE entries SET last_seen = ?, last_fetch_id = ?, identity = ? "
                   "WHERE id = ?"));
        q->bind(1, to_db(now));
        q->bind(2, fetch_id);
        q->bindNoCopy(3, primary);
        q->bind(4, row->id);
        q->exec();
        rekey_entry_keys({row->id, from_db(row->sort_time), src.id, &primary, nullptr});
        rekeyed(*row, primary);
      }
      latest.push_back(row->id);
      ++result.unchanged_entries;
      continue;
    }
    // The expensive part (MinHash, event terms) only for new or edited items.
    const auto sig = p.signature ? *p.signature : dedup::signature(e, p.normalised_title);
    const auto terms = p.event_terms ? *p.event_terms : termizer().terms(e);
    if (row) {
      // An edit: same row, new content. The story keeps its id and link.
      drop_entry_keys(
          {row->id, from_db(row->sort_time), src.id, &row->identity, &row->canonical_url});
      {
        Use q(stmt("UPDATE entries SET title=?, link=?, canonical_url=?, author=?, summary=?, "
                   "content=?, categories=?, enclosures=?, published=?, updated=?, last_seen=?, "
                   "sort_time=?, last_fetch_id=?, content_hash=?, sig=?, identity=? WHERE id=?"));
        q->bindNoCopy(1, e.title);
        q->bindNoCopy(2, e.link);
        q->bindNoCopy(3, canon);
        q->bindNoCopy(4, e.author);
        q->bindNoCopy(5, e.summary);
        q->bindNoCopy(6, e.content);
        q->bindNoCopy(7, p.categories_json);
        q->bindNoCopy(8, p.enclosures_json);
        if (e.published)
          q->bind(9, to_db(*e.published));
        if (e.updated)
          q->bind(10, to_db(*e.updated));
        q->bind(11, to_db(now));
        q->bind(12, to_db(t));
        q->bind(13, fetch_id);
        q->bind(14, static_cast<std::int64_t>(content_hash));
        const auto blob = sig_to_blob(sig);
        q->bindNoCopy(15, blob.data(), static_cast<int>(blob.size()));
        q->bindNoCopy(16, primary);
        q->bind(17, row->id);
        q->exec();
        rekeyed(*row, primary);
      }
      add_entry_keys({row->id, t, src.id, &primary, &canon, row->story_id, &terms}, sig);
      {
        // Material change = the representative's text changed; a supporting outlet's
        // edit does not touch the story's `updated`.
        Use q(stmt("UPDATE stories SET updated = max(updated, ?) WHERE id = ? AND "
                   "rep_entry_id = ?"));
        q->bind(1, to_db(std::max(e.updated.value_or(now), now)));
        q->bind(2, row->story_id);
        q->bind(3, row->id);
        q->exec();
      }
      story_changed(row->story_id); // any sighting's text counts for the rules
      latest.push_back(row->id);
      ++result.updated_entries;
      continue;
    }

    if (m_tx.any_tombstones &&
        (tombstoned(src.id, primary) || (!p.guid_key.empty() && tombstoned(src.id, p.guid_key)))) {
      ++result.skipped_entries; // pruned earlier: never new again
      continue;
    }
    if (max_new > 0 && ((!allowed.empty() && !allowed[i]) ||
                        static_cast<std::size_t>(result.new_entries) >= max_new)) {
      ++result.capped_entries; // not stored this time; fetched again next poll
      continue;
    }
    auto placement = place({&canon, &sig, &terms, &p.normalised_title, &e, src.id, t}, url_hit);
    if (!placement) {
      ++result.skipped_entries;
      continue;
    }
    const std::int64_t entry_id = m_tx.next_entry_id;
    if (!placement->joined)
      placement->story_id =
          create_story(canon.empty() ? e.link : canon, t,
                       std::max(t, std::min(e.updated.value_or(t), now)), entry_id);
    {
      Use q(stmt("INSERT INTO entries(source_id, story_id, identity, guid, link, canonical_url, "
                 "title, author, summary, content, categories, enclosures, published, updated, "
                 "first_seen, last_seen, sort_time, last_fetch_id, content_hash, sig, "
                 "join_reason, join_score, join_entry_id, id) VALUES "
                 "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
      q->bind(1, src.id);
      q->bind(2, placement->story_id);
      q->bindNoCopy(3, primary);
      q->bindNoCopy(4, e.id);
      q->bindNoCopy(5, e.link);
      q->bindNoCopy(6, canon);
      q->bindNoCopy(7, e.title);
      q->bindNoCopy(8, e.author);
      q->bindNoCopy(9, e.summary);
      q->bindNoCopy(10, e.content);
      q->bindNoCopy(11, p.categories_json);
      q->bindNoCopy(12, p.enclosures_json);
      if (e.published)
        q->bind(13, to_db(*e.published));
      if (e.updated)
        q->bind(14, to_db(*e.updated));
      q->bind(15, to_db(now));
      q->bind(16, to_db(now));
      q->bind(17, to_db(t));
      q->bind(18, fetch_id);
      q->bind(19, static_cast<std::int64_t>(content_hash));
      const auto blob = sig_to_blob(sig);
      q->bindNoCopy(20, blob.data(), static_cast<int>(blob.size()));
      q->bindNoCopy(21, placement->reason);
      q->bind(22, placement->score);
      if (placement->joined_entry != 0)
        q->bind(23, placement->joined_entry);
      q->bind(24, entry_id);
      q->exec();
      ++m_tx.next_entry_id;
    }
    add_entry_keys({entry_id, t, src.id, &primary, &canon, placement->story_id, &terms}, sig);
    if (placement->joined) {
      {
        Use q(stmt("UPDATE stories SET last_activity = max(last_activity, ?1), "
                   "published = min(published, ?1) WHERE id = ?2"));
        q->bind(1, to_db(t));
        q->bind(2, placement->story_id);
        q->exec();
      }
      maybe_take_over(placement->story_id, entry_id);
      if (placement->fold != 0)
        fold_stories(placement->story_id, placement->fold);
      story_changed(placement->story_id);
      ++result.joined_stories;
    } else {
      if (i < decisions.size() && rules != 0 && rules == m_rules) {
        // Decided before the ingest on this very story (single_story) under the rules the
        // store follows: saved now, not queued.
        for (const Decision& d : decisions[i])
          insert_decision(placement->story_id, d, std::make_pair(t, t), now);
      } else {
        story_changed(placement->story_id);
      }
      ++result.new_stories;
    }
    latest.push_back(entry_id);
    ++result.new_entries;
  }

  if (src.identity_mode == "guid" && (degrade || reused_guids > tolerance)) {
    Use q(stmt("UPDATE sources SET identity_mode = 'link' WHERE id = ?"));
    q->bind(1, src.id);
    q->exec();
  }
  {
    Use q(stmt("UPDATE fetches SET new_entries = ?, updated_entries = ? WHERE id = ?"));
    q->bind(1, result.new_entries);
    q->bind(2, result.updated_entries);
    q->bind(3, fetch_id);
    q->exec();
  }
  {
    Use q(stmt("UPDATE sources SET last_fetch_id = ?, status = ?, latest_entries = ? "
               "WHERE id = ?"));
    q->bind(1, fetch_id);
    // A capped fetch keeps neither validators nor body digest: the next poll downloads and
    // reads the whole feed again, and stores the next newest of what was left out.
    q->bind(2, status_json(result.capped_entries > 0 ? without_validators(status) : status));
    q->bind(3, latest.data(), static_cast<int>(latest.size() * sizeof(std::int64_t)));
    q->bind(4, src.id);
    q->exec();
  }
  flush_lsh();
  return result;
}

} // namespace reelfeed::store

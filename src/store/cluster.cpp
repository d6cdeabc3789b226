// Story clustering of a new sighting: the same canonical URL joins that URL's story
// (any age); otherwise LSH proposes entries whose signatures share a band within the time
// window, and the most similar one at or above ClusterOptions::similarity wins. Both look
// up in-memory indexes loaded from each entry's lsh row (keys.cpp): every URL key, and the
// <= 3 time buckets of band hashes the window touches. Cost per sighting: a few hash
// probes plus one read per candidate, independent of how many stories are stored (only
// bucket sizes matter).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xxhash.h>

#include "store/store_impl.hpp"

namespace reelfeed::store {

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

namespace {

/// Entries read and compared per sighting, at most.
constexpr std::size_t k_max_candidates = 64;

} // namespace

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
  std::unordered_map<std::int64_t, int> shared; // candidate -> bands it shares
  if (const auto bands = band_hashes(sig)) {
    for (auto bucket = bucket_of(lo); bucket <= bucket_of(hi); ++bucket) {
      const LshBucket& b = lsh_bucket(bucket);
      for (std::size_t band = 0; band < k_bands; ++band)
        b.prefetch(band, (*bands)[band]);
      for (std::size_t band = 0; band < k_bands; ++band)
        b.find(band, (*bands)[band], [&](std::int64_t id, std::int64_t ct) {
          if (ct >= lo && ct <= hi)
            ++shared[id];
        });
    }
  }
  // Each candidate costs a read: at most k_max_candidates, those sharing the most bands
  // (the likeliest to be similar), so that a crowd of near-identical titles stays cheap.
  std::vector<std::pair<int, std::int64_t>> candidates;
  candidates.reserve(shared.size());
  for (const auto& [id, n] : shared)
    candidates.emplace_back(n, id);
  if (candidates.size() > k_max_candidates) {
    std::nth_element(candidates.begin(), candidates.begin() + k_max_candidates, candidates.end(),
                     std::greater<>{});
    candidates.resize(k_max_candidates);
  }
  double best = 0;
  for (const auto& [n, id] : candidates) {
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

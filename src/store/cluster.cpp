// Story clustering of a new sighting, in three steps, the first that finds a story wins:
// 1. the same canonical URL joins that URL's story (any age);
// 2. a copy: LSH proposes entries whose MinHash signatures share a band within the time
//    window, and the most similar one at or above ClusterOptions::similarity whose title
//    has the same numbers wins (wire copies, re-posts);
// 3. the same event: entries of other sources within the window that posted one of the
//    new sighting's most distinctive terms are scored (event_index.hpp), and the best
//    story wins if it scores ClusterOptions::event_similarity or more and clearly more
//    than the next one; a sighting sure of two stories folds them into one.
// Every step looks up in-memory indexes loaded from each entry's lsh row (keys.cpp): every
// URL key, and the <= 3 time buckets of band hashes and of event terms the window touches.
// Cost per sighting: a few hash probes, a bounded number of candidates (a band or term
// that too many entries share is skipped), one read per copy candidate; independent of how
// many stories are stored (only bucket sizes matter).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iterator>
#include <string>
#include <tuple>
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
    if (sig.minhash[b * k_rows] == UINT32_MAX) {
      return std::nullopt;
    }
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
  if (!m_tx.any_url_tombstones) {
    return false;
  }
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

namespace {

std::string_view lede_of(const Entry& e) {
  return e.summary.empty() ? std::string_view(e.content) : std::string_view(e.summary);
}

/// Event candidates scored in full per new sighting, and terms probed for them.
constexpr std::size_t k_event_candidates = 24;
constexpr std::size_t k_event_probes = 10;
/// Stories returned by a look-up, best first: the join rule needs two, explain shows three.
constexpr std::size_t k_event_stories = 3;

/// The probes of a look-up: the sighting's most distinctive terms, (weight, hash).
std::vector<std::pair<float, std::uint32_t>> probes_of(const EventVector& v) {
  std::vector<std::pair<float, std::uint32_t>> probes;
  for (const auto& [h, w] : v.w) {
    probes.emplace_back(w, h);
  }
  std::sort(probes.begin(), probes.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (probes.size() > k_event_probes) {
    probes.resize(k_event_probes);
  }
  return probes;
}

struct Candidate {
  double acc = 0; ///< the probe weight it shares
  std::int64_t entry_id = 0;
  std::uint32_t bucket = 0; ///< in the look-up's buckets
  std::uint32_t index = 0;  ///< in its bucket
};

/// Which stored sightings a look-up may score: not its own outlet's, not of the story it
/// explains, within the window.
struct CandidateFilter {
  std::int64_t source_id = 0;
  std::int64_t exclude_story = 0;
  std::int64_t lo = 0;
  std::int64_t hi = 0;
};

/// The k_event_candidates sightings that share the most probe weight, found through the
/// buckets' postings.
std::vector<Candidate> rank_by_probes(const std::vector<const EventBucket*>& buckets,
                                      const std::vector<std::pair<float, std::uint32_t>>& probes,
                                      const CandidateFilter& f) {
  std::vector<Candidate> ranked;
  // (doc index, probe weight) of every posting hit, summed per doc after a sort: cheaper
  // than a hash map for the few thousand hits a busy bucket gives at most.
  std::vector<std::pair<std::uint32_t, float>> hits;
  for (std::uint32_t k = 0; k < buckets.size(); ++k) {
    const EventBucket& b = *buckets[k];
    hits.clear();
    for (const auto& probe : probes) {
      const float w = probe.first;
      b.find(probe.second, [&](std::uint32_t i) {
        const auto& d = b.doc(i);
        if (d.source_id == f.source_id || d.story_id == f.exclude_story || d.t < f.lo ||
            d.t > f.hi) {
          return;
        }
        hits.emplace_back(i, w);
      });
    }
    std::sort(hits.begin(), hits.end());
    for (std::size_t x = 0; x < hits.size();) {
      const std::uint32_t i = hits[x].first;
      double acc = 0;
      for (; x < hits.size() && hits[x].first == i; ++x) {
        acc += hits[x].second;
      }
      ranked.push_back({acc, b.doc(i).entry_id, k, i});
    }
  }
  if (ranked.size() > k_event_candidates) {
    std::partial_sort(ranked.begin(),
                      ranked.begin() + static_cast<std::ptrdiff_t>(k_event_candidates),
                      ranked.end(), [](const Candidate& a, const Candidate& b) {
                        return a.acc != b.acc ? a.acc > b.acc : a.entry_id < b.entry_id;
                      });
    ranked.resize(k_event_candidates);
  }
  return ranked;
}

/// The share of the window's reports a candidate `dt` away competes with: reports of one
/// event come within hours of each other, a coincidence with any of the window's, so only
/// those at least as near in time count (never fewer than within a twelfth of the window).
double near_share(std::int64_t dt, std::int64_t window) {
  const auto near =
      std::max<double>(static_cast<double>(std::llabs(dt)), static_cast<double>(window) / 12);
  return std::min(1.0, 2 * near / static_cast<double>(std::max<std::int64_t>(window, 1)));
}

} // namespace

std::optional<Store::Impl::Placement> Store::Impl::place(const NewSighting& n,
                                                         const std::optional<UrlHit>& url_hit) {
  Placement p;
  const std::string& canon = *n.canon;
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
    if (tombstoned_url(canon)) {
      return std::nullopt; // its story was pruned: not new
    }
  }
  p = place_copy(n);
  if (p.joined) {
    return p;
  }
  if (n.terms != nullptr && m_options.event_similarity < 1.0) {
    p = place_event(n);
  }
  return p;
}

Store::Impl::Placement Store::Impl::place_copy(const NewSighting& n) {
  Placement p;
  const auto window = to_db(Timestamp{m_options.window});
  const auto lo = to_db(n.t) - window;
  const auto hi = to_db(n.t) + window;
  std::unordered_map<std::int64_t, int> shared; // candidate -> bands it shares
  const auto from = m_lsh.admitted_from(bucket_of(lo), bucket_of(hi));
  if (const auto bands = band_hashes(*n.sig); bands && from) {
    for (auto bucket = *from; bucket <= bucket_of(hi); ++bucket) {
      const LshBucket& b = lsh_bucket(bucket);
      for (std::size_t band = 0; band < k_bands; ++band) {
        b.prefetch(band, (*bands)[band]);
      }
      for (std::size_t band = 0; band < k_bands; ++band) {
        b.find(band, (*bands)[band], [&](std::int64_t id, std::int64_t ct) {
          if (ct >= lo && ct <= hi) {
            ++shared[id];
          }
        });
      }
    }
  }
  // Each candidate costs a read: at most k_max_candidates, those sharing the most bands
  // (the likeliest to be similar), so that a crowd of near-identical titles stays cheap.
  std::vector<std::pair<int, std::int64_t>> candidates;
  candidates.reserve(shared.size());
  for (const auto& [id, count] : shared) {
    candidates.emplace_back(count, id);
  }
  if (candidates.size() > k_max_candidates) {
    std::nth_element(candidates.begin(), candidates.begin() + k_max_candidates, candidates.end(),
                     std::greater<>{});
    candidates.resize(k_max_candidates);
  }
  std::optional<std::vector<std::string>> numbers; // computed for the first close candidate
  double best = 0;
  for (const auto& [count, id] : candidates) {
    Use q(stmt("SELECT sig, story_id, title, "
               "CASE summary WHEN '' THEN substr(content, 1, 2000) ELSE summary END "
               "FROM entries WHERE id = ?"));
    q->bind(1, id);
    if (!q->executeStep()) {
      continue;
    }
    const auto other = sig_from_blob(q->getColumn(0).getBlob(), q->getColumn(0).getBytes());
    const double s = dedup::similarity(*n.sig, other);
    if (s < m_options.similarity || s < best || (s == best && id > p.joined_entry)) {
      continue;
    }
    if (!numbers) {
      numbers = dedup::figures(n.entry->title, lede_of(*n.entry));
    }
    if (dedup::figures(q->getColumn(2).getString(), q->getColumn(3).getString()) != *numbers) {
      continue; // "part 1" and "part 2" of a series are not copies of each other
    }
    best = s;
    p.story_id = q->getColumn(1).getInt64();
    p.joined_entry = id;
  }
  if (p.joined_entry != 0) {
    p.joined = true;
    p.score = best;
    char buf[32];
    std::snprintf(buf, sizeof buf, "similarity %.2f", best);
    p.reason = buf;
  }
  return p;
}

std::vector<Store::Impl::StoryScore> Store::Impl::event_candidates(const EventVector& v,
                                                                   std::int64_t source_id,
                                                                   std::int64_t t,
                                                                   std::int64_t exclude_story,
                                                                   double at_least,
                                                                   bool within_budget) {
  std::vector<StoryScore> out;
  if (v.w.empty()) {
    return out;
  }
  EventRule rule;
  rule.window = to_db(Timestamp{m_options.window});
  // Every bucket the window touches is loaded first: a load evicts none of them
  // (NewestBuckets::trim), so candidates are scored where their buckets hold them, without a
  // copy.
  auto lo = t - rule.window;
  const auto hi = t + rule.window;
  if (within_budget) {
    const auto from = m_events.admitted_from(bucket_of(lo), bucket_of(hi));
    if (!from) {
      return out;
    }
    lo = std::max(lo, *from * k_bucket_seconds);
  }
  std::vector<const EventBucket*> buckets;
  // The reports a coincidence has had the chance to happen with: those within half the
  // window (where a story it may join begins), each bucket's share of them taken as
  // proportional to the share of its time that covers.
  double in_window = 0;
  for (auto bucket = bucket_of(lo); bucket <= bucket_of(hi); ++bucket) {
    buckets.push_back(&event_bucket(bucket, bucket_of(lo), bucket_of(hi)));
    const auto from = std::max(t - rule.window / 2, bucket * k_bucket_seconds);
    const auto to = std::min(t + rule.window / 2, (bucket + 1) * k_bucket_seconds);
    if (to > from) {
      in_window += static_cast<double>(buckets.back()->size()) * static_cast<double>(to - from) /
                   static_cast<double>(k_bucket_seconds);
    }
  }
  const auto ranked =
      rank_by_probes(buckets, probes_of(v),
                     {.source_id = source_id, .exclude_story = exclude_story, .lo = lo, .hi = hi});
  std::optional<Coincidence> chance;
  std::unordered_map<std::int64_t, StoryScore> stories;
  for (const auto& c : ranked) {
    const EventBucket& b = *buckets[c.bucket];
    const auto& d = b.doc(c.index);
    const auto s = event_score(v, b.view(c.index), d.t - t, rule);
    auto& best = stories[d.story_id];
    if (s.score > best.score || (s.score == best.score && d.entry_id < best.entry_id) ||
        best.entry_id == 0) {
      if (!chance) {
        chance.emplace(v);
      }
      best = {.story_id = d.story_id,
              .score = s.score,
              .entry_id = d.entry_id,
              .top_term = s.top_term,
              .coincidences = std::max(1.0, in_window * near_share(d.t - t, rule.window)) *
                              chance->tail(s.surprise),
              .sources = {}};
    }
  }
  std::vector<StoryScore> ranked_stories;
  for (const auto& [id, s] : stories) {
    if (s.score > 0 && s.score >= at_least) {
      ranked_stories.push_back(s);
    }
  }
  const auto by_score = [](const StoryScore& a, const StoryScore& b) {
    return a.score != b.score ? a.score > b.score : a.story_id < b.story_id;
  };
  std::sort(ranked_stories.begin(), ranked_stories.end(), by_score);
  // The join rule reads the best two, explain the nearest three: only those are checked
  // against the stories table, best first.
  for (const StoryScore& s : ranked_stories) {
    if (out.size() >= k_event_stories) {
      break;
    }
    // Folded-away stories are gone; a story begun long before is another event's.
    Use q(stmt("SELECT published, merged_into FROM stories WHERE id = ?"));
    q->bind(1, s.story_id);
    if (!q->executeStep() || !q->getColumn(1).isNull()) {
      continue;
    }
    if (std::llabs(q->getColumn(0).getInt64() - t) > rule.window / 2) {
      continue;
    }
    // An outlet reports an event once; a second report of its own is a follow-up or another
    // event that happens to read alike, and joining it is how unrelated reports chain up.
    auto sources = story_sources(s.story_id);
    if (std::binary_search(sources.begin(), sources.end(), source_id)) {
      continue;
    }
    out.push_back(s);
    out.back().sources = std::move(sources);
  }
  return out;
}

std::vector<std::int64_t> Store::Impl::story_sources(std::int64_t story_id) {
  Use q(stmt("SELECT source_id FROM entries WHERE story_id = ?1 AND join_entry_id IS NOT NULL "
             "UNION SELECT e.source_id FROM stories s JOIN entries e ON e.id = s.rep_entry_id "
             "WHERE s.id = ?1"));
  q->bind(1, story_id);
  std::vector<std::int64_t> out;
  while (q->executeStep()) {
    out.push_back(q->getColumn(0).getInt64());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Store::Impl::Placement Store::Impl::place_event(const NewSighting& n) {
  // Two stories that hold reports of one outlet are not folded: see event_candidates.
  const auto share_a_source = [](const StoryScore& a, const StoryScore& b) {
    std::vector<std::int64_t> both;
    std::set_intersection(a.sources.begin(), a.sources.end(), b.sources.begin(), b.sources.end(),
                          std::back_inserter(both));
    return !both.empty();
  };
  Placement p;
  const EventVector v = vectorize(*n.terms, term_stats());
  EventRule rule;
  rule.threshold = m_options.event_similarity;
  // A story below threshold - margin can neither be joined nor stop a join: such stories
  // are not checked against the stories table.
  const auto scored =
      event_candidates(v, n.source_id, to_db(n.t), 0, rule.threshold - rule.margin, true);
  if (scored.empty()) {
    return p;
  }
  const StoryScore& best = scored[0];
  const double next = scored.size() > 1 ? scored[1].score : 0.0;
  const auto by_chance = [&](const StoryScore& s) { return s.coincidences > rule.coincidences; };
  // When unsure, keep apart: a wrong join hides a story, a missed one only repeats it. What
  // unrelated reports share by coincidence is no evidence for a join, but a close runner-up
  // still makes the best one unsure, whatever it shares.
  if (best.score < rule.threshold || by_chance(best) ||
      (best.score - next < rule.margin && best.score < rule.sure)) {
    return p;
  }
  p.joined = true;
  p.story_id = best.story_id;
  p.joined_entry = best.entry_id;
  p.score = best.score;
  char buf[64];
  std::snprintf(buf, sizeof buf, "same event %.2f, chance %.2g", best.score, best.coincidences);
  p.reason = buf;
  if (scored.size() > 1 && next >= rule.threshold && !by_chance(scored[1]) &&
      !share_a_source(best, scored[1])) {
    // The sighting joins one story and would have joined the other on its own: they are one. The
    // one readers have seen keeps its id (a published story's uid is fixed); of two alike, the
    // older.
    std::int64_t keep = best.story_id;
    std::int64_t gone = scored[1].story_id;
    Use q(stmt("SELECT a.uid IS NOT NULL, a.published, b.uid IS NOT NULL, b.published "
               "FROM stories a, stories b WHERE a.id = ?1 AND b.id = ?2"));
    q->bind(1, keep);
    q->bind(2, gone);
    if (q->executeStep()) {
      const auto rank = [&](int col) {
        return std::make_tuple(-q->getColumn(col).getInt(), q->getColumn(col + 1).getInt64());
      };
      const auto a = rank(0);
      const auto b = rank(2);
      if (b < a || (b == a && gone < keep)) {
        std::swap(keep, gone);
      }
    }
    p.story_id = keep;
    p.fold = gone;
    if (keep != best.story_id) {
      p.joined_entry = scored[1].entry_id;
      std::snprintf(buf, sizeof buf, "same event %.2f, chance %.2g", next, scored[1].coincidences);
      p.reason = buf;
      p.score = next;
    }
  }
  return p;
}

void Store::Impl::maybe_take_over(std::int64_t story_id, std::int64_t entry_id) {
  // (sort time, source name, link): an order that does not depend on which feed came first.
  Use q(stmt("SELECT st.rep_entry_id, "
             "(SELECT e.sort_time < r.sort_time OR (e.sort_time = r.sort_time AND "
             "  (es.name < rs.name OR (es.name = rs.name AND e.link < r.link))) "
             " FROM entries e, entries r, sources es, sources rs "
             " WHERE e.id = ?2 AND r.id = st.rep_entry_id AND es.id = e.source_id "
             " AND rs.id = r.source_id) "
             "FROM stories st WHERE st.id = ?1"));
  q->bind(1, story_id);
  q->bind(2, entry_id);
  if (!q->executeStep() || q->getColumn(1).isNull() || q->getColumn(1).getInt() == 0) {
    return;
  }
  const auto old_rep = q->getColumn(0).getInt64();
  {
    // The old representative stays a member: entries_story holds joined sightings only.
    Use u(stmt("UPDATE entries SET join_entry_id = id WHERE id = ? AND join_entry_id IS NULL"));
    u->bind(1, old_rep);
    u->exec();
  }
  Use u(stmt("UPDATE stories SET rep_entry_id = e.id, "
             "link = CASE e.canonical_url WHEN '' THEN e.link ELSE e.canonical_url END, "
             "updated = max(e.sort_time, coalesce(min(e.updated, e.last_seen), e.sort_time)) "
             "FROM entries e WHERE e.id = ?2 AND stories.id = ?1"));
  u->bind(1, story_id);
  u->bind(2, entry_id);
  u->exec();
}

void Store::Impl::fold_stories(std::int64_t keep, std::int64_t gone) {
  if (keep == gone) {
    return;
  }
  std::int64_t gone_rep = 0;
  {
    Use q(stmt("SELECT rep_entry_id FROM stories WHERE id = ?"));
    q->bind(1, gone);
    if (q->executeStep() && !q->getColumn(0).isNull()) {
      gone_rep = q->getColumn(0).getInt64();
    }
  }
  {
    Use u(
        stmt("UPDATE entries SET story_id = ?1 WHERE story_id = ?2 AND join_entry_id IS NOT NULL"));
    u->bind(1, keep);
    u->bind(2, gone);
    u->exec();
  }
  if (gone_rep != 0) {
    Use u(stmt("UPDATE entries SET story_id = ?1, join_entry_id = coalesce(join_entry_id, id), "
               "join_reason = CASE join_reason WHEN '' THEN 'first sighting of story ' || ?2 "
               "ELSE join_reason END WHERE id = ?3"));
    u->bind(1, keep);
    u->bind(2, gone);
    u->bind(3, gone_rep);
    u->exec();
  }
  {
    Use u(stmt("UPDATE stories SET published = min(published, (SELECT published FROM stories "
               "WHERE id = ?2)), last_activity = max(last_activity, (SELECT last_activity FROM "
               "stories WHERE id = ?2)) WHERE id = ?1"));
    u->bind(1, keep);
    u->bind(2, gone);
    u->exec();
  }
  {
    // Stories folded into `gone` earlier now point at the survivor too.
    Use u(stmt("UPDATE stories SET merged_into = ?1 WHERE id = ?2 OR merged_into = ?2"));
    u->bind(1, keep);
    u->bind(2, gone);
    u->exec();
  }
  for (const char* sql : {"DELETE FROM decisions WHERE story_id = ?",
                          "DELETE FROM story_changes WHERE story_id = ?"}) {
    Use u(stmt(sql));
    u->bind(1, gone);
    u->exec();
  }
  story_changed(keep);
  if (gone_rep != 0) {
    maybe_take_over(keep, gone_rep);
  }
  m_events.move_story(gone, keep);
}

} // namespace reelfeed::store

#pragma once
// The one owner of the SQLite database (WAL, versioned schema). Synchronous and not
// thread-safe: the daemon calls it from a single thread (its store strand). Every
// ingest is atomic (one transaction, or one savepoint of a group commit), so a crash
// loses nothing that was committed and never leaves half a feed.
//
// Rules (see the .cpp files for the details):
// - Identity is per source: guid while the feed's guids are sound, else canonical link +
//   published date, else a content hash (FreshRSS's adaptive rule). An edited item
//   updates its row. A guid shared by two sources gives two sightings, never a move.
// - A new sighting joins the story of any entry with the same canonical URL; else of the
//   most similar copy (MinHash of normalised title + lede, LSH-indexed, >=
//   ClusterOptions::similarity, titles' numbers equal) within ClusterOptions::window; else
//   of the story another outlet's report of the same event is in (event score >=
//   ClusterOptions::event_similarity, a clear margin over the next story, the story begun
//   within half the window: store/event_index.hpp); else a new story. A report that scores
//   high with two stories folds the younger into the older (Story ids stay resolvable).
// - Representative = the earliest-published sighting (ties: source name, then link): the
//   story's headline and link are the first outlet's to report it, whatever order the
//   feeds arrived in. Story::outlets lists every sighting in that order.
// - Story::uid is fixed the first time the story is published (save_decisions); before
//   that it is derived from the representative, so it too does not depend on fetch order.
// - Story::updated moves when the representative's text changes (an edit) or another
//   sighting becomes the representative, not when another outlet joins.
// - Pruned sightings and URLs leave tombstones: they are skipped if they reappear.
// Cost: an unchanged item of a re-fetched feed is one indexed look-up and a hash compare,
// no write; LSH look-ups use an in-memory index of the touched 4-day buckets (at most 32
// kept, ~100-200 bytes per entry), loaded from the lsh table on first use.
// Errors: SQLite failures throw std::runtime_error (SQLite::Exception, or store::Error
// when opening); the transaction of the failing call is rolled back, nothing already
// stored is lost. failure_of() says what kind of failure an exception is.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "dedup/dedup.hpp"
#include "dedup/event_terms.hpp"
#include "model/decision.hpp"
#include "model/entry.hpp"
#include "model/source_status.hpp"
#include "model/story.hpp"
#include "model/time.hpp"

namespace reelfeed::store {

/// What kind of storage failure an exception from the Store is: how a command words it,
/// and whether the disk refused a write (poll exits 2) or the database cannot be used (1).
enum class Failure {
  other,       ///< not a storage failure (bad input, a bug)
  damaged,     ///< corrupt, or not an SQLite database at all
  read_only,   ///< the file or its file system is read-only
  disk_full,   ///< no room (a full disk, a file-size limit)
  io_error,    ///< the disk failed a read or write
  busy,        ///< another process holds the database locked
  cannot_open, ///< missing folder, permissions (the message says which)
};

/// A failure while opening a database, with its kind.
class Error : public std::runtime_error {
public:
  Error(const std::string& what, Failure kind) : std::runtime_error(what), m_kind(kind) {}
  [[nodiscard]] Failure kind() const { return m_kind; }

private:
  Failure m_kind;
};

/// The kind of `e` when the Store threw it (SQLite's result code); `other` for anything else.
[[nodiscard]] Failure failure_of(const std::exception& e) noexcept;

struct SourceDef {
  std::string name;
  std::string url;
  std::vector<std::string> tags;
  bool enabled = true;
};

struct ClusterOptions {
  Seconds window = std::chrono::days{3};
  double similarity = 0.6; ///< copies: MinHash similarity of title + lede
  /// Independent coverage of one event: the event score (store/event_index.hpp) at which a
  /// report joins a story. 1 turns event clustering off (copies and URLs still fold).
  double event_similarity = 0.11;
};

/// How a process uses the database. `read_only` is for `reelfeed status/explain/render`
/// running beside the daemon: it never writes or migrates (WAL lets it read while the
/// daemon writes) and fails clearly if the file is missing or has another schema version.
enum class Access { read_write, read_only };

struct IngestResult {
  int new_entries = 0;
  int updated_entries = 0; ///< content changed
  int unchanged_entries = 0;
  int new_stories = 0;
  int joined_stories = 0;  ///< new entries that joined an existing story
  int skipped_entries = 0; ///< tombstoned (pruned earlier) or repeated within the feed
  int capped_entries = 0;  ///< new items left out by GroupItem::max_new_entries
  [[nodiscard]] bool changed() const { return new_entries + updated_entries > 0; }
};

/// Everything about one entry that needs no database (prepare()).
struct PreparedEntry {
  std::string canonical_url;    ///< dedup::canonical_url(link); empty without a link
  std::string guid_key;         ///< "g:<guid>", empty without a guid
  std::string link_key;         ///< "l:<canonical>|<published>", empty without a link
  std::string hash_key;         ///< "h:<hash of title, canonical link, texts>"
  std::uint64_t content_hash{}; ///< an edit changes it
  std::string normalised_title; ///< dedup::normalise_title(title)
  /// MinHash of title + lede. prepare() always fills it; Store::ingest(Feed) leaves it
  /// empty and computes it only for new or edited items.
  std::optional<dedup::Signature> signature;
  /// The item's event terms (dedup::EventTermizer), filled like `signature`.
  std::optional<dedup::EventTerms> event_terms;
  std::string categories_json; ///< JSON array, as stored
  std::string enclosures_json; ///< JSON array, as stored
};

/// A parsed feed with its per-entry pure work done: see prepare().
struct Prepared {
  Feed feed;
  std::vector<PreparedEntry> entries; ///< parallel to feed.entries
  /// Optional, parallel to entries when filled: each entry's decision for every topic as a
  /// story of its own (single_story()), made by the caller under the rules whose
  /// fingerprint is `rules_fingerprint`. An entry that founds a new story while the store
  /// follows those rules (Store::adopt_rules) has them saved at once (none for an empty
  /// list: an entry the caller left undecided because it is too old to be output);
  /// otherwise, and for every other change, the story is queued for the publish.
  std::vector<std::vector<Decision>> decisions;
  std::uint64_t rules_fingerprint = 0;
};

/// The story an entry of `source` (with the source's config tags) founds when it joins
/// none: what Store::stories_by_id() returns for a story of that one sighting, so that a
/// decision made on it before the ingest is the one the publish would make after. Pure.
[[nodiscard]] Story single_story(const Entry& entry,
                                 const PreparedEntry& prepared,
                                 const std::string& source,
                                 const std::vector<std::string>& tags,
                                 Timestamp now);

/// The database-free part of an ingest (canonical URLs, identity keys, content hashes,
/// normalised titles, signatures, serialised fields), so that it can run on a CPU pool
/// instead of the store thread. Pure and thread-safe; never throws except bad_alloc.
[[nodiscard]] Prepared prepare(Feed feed);

/// One item of a group commit (Store::ingest_group): a parsed feed with its status, or
/// only a status (a 304, an unchanged body, a failed fetch). Pointers are borrowed for
/// the call.
struct GroupItem {
  const Prepared* prepared = nullptr; ///< null: save the status only
  const SourceStatus* status = nullptr;
  /// At most this many new items of the feed are stored (0: no cap), the newest by date
  /// (published, else updated; undated ones count as new as the fetch). The rest are not
  /// stored at all, counted in IngestResult::capped_entries, and the status is stored
  /// without validators or body digest, so the next poll downloads the whole feed again and
  /// stores the next newest: a source that floods adds at most this many per poll, a busy
  /// one catches up over a few polls, and nothing is lost for good.
  std::size_t max_new_entries = 0;
};

/// What became of one GroupItem.
struct GroupOutcome {
  IngestResult result; ///< the feed's counts when stored (zeros for a status only)
  std::string error;   ///< non-empty: nothing of this item was stored, and this says why
  /// A stop was requested before this item's turn: nothing of it (not even its status)
  /// was stored; `error` says so. Its feed is fetched again on the next start.
  bool interrupted = false;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

/// Why one sighting is in its story, and which stories came next (`reelfeed explain`).
struct MemberExplanation {
  std::string reason;             ///< "same canonical URL", "similarity 0.82", "same event 0.23"
  std::vector<std::string> terms; ///< for an event join: the shared terms that carried it
  /// The stories it is most like among those it is not in: (uid, score), best first.
  std::vector<std::pair<std::string, double>> nearest;
};

/// Why an entry is where it is (`reelfeed explain`).
struct Explanation {
  std::int64_t entry_id = 0;
  std::string source;
  Entry entry;
  Story story;
  std::vector<std::string> join_reasons;  ///< per outlet: "same canonical URL", "similarity 0.82"
  std::vector<MemberExplanation> members; ///< per outlet, parallel to story.outlets
  /// The story asked for was folded into `story` (a later report covered both): its uid.
  std::string folded_from;
  std::vector<Decision> decisions; ///< latest decision per topic
};

/// A story and the latest decision of one topic on it (Store::review).
struct Reviewed {
  Story story;
  Decision decision;
};

class Store {
public:
  /// Opens (creating if needed) and migrates. Throws std::runtime_error with a clear
  /// message if the file is not a reelfeed database or cannot be opened.
  /// `clock` (kept by reference) dates what the store writes on its own: tombstones,
  /// decisions, a representative's take-over.
  explicit Store(const std::filesystem::path& path,
                 ClusterOptions options = {},
                 Access access = Access::read_write,
                 const Clock& clock = wall_clock());
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// Makes the sources table match the config (new rows, changed URLs/tags); never
  /// deletes a source's entries.
  void sync_sources(const std::vector<SourceDef>& sources);
  [[nodiscard]] std::vector<SourceStatus> statuses();
  void save_status(const SourceStatus& status);

  /// Stores one parsed feed of one source, and its status, in one transaction.
  /// Same as ingest(source, prepare(feed), status, now), but signatures are computed
  /// only for new or edited items.
  IngestResult
  ingest(const std::string& source, const Feed& feed, const SourceStatus& status, Timestamp now);
  /// Stores a feed prepared (possibly on another thread) by prepare(): only the SQL work
  /// runs here. Same transaction and rules as above.
  IngestResult ingest(const std::string& source,
                      const Prepared& prepared,
                      const SourceStatus& status,
                      Timestamp now);

  /// The SQLite page cache of this connection, in bytes (at least 1 MiB is used).
  void set_cache_size(std::uint64_t bytes);

  /// What the in-memory indexes and SQLite hold now (logged after a poll, benchmarks).
  struct MemoryUse {
    std::size_t url_index_bytes = 0;      ///< canonical URL -> entries
    std::size_t identity_index_bytes = 0; ///< (source, identity) -> entries
    std::size_t lsh_bytes = 0;            ///< the loaded LSH buckets
    std::size_t lsh_entries = 0;
    std::size_t event_bytes = 0; ///< the loaded event buckets and the term statistics
    std::size_t event_entries = 0;
    std::size_t sqlite_bytes = 0; ///< every SQLite connection of the process (page caches...)
  };
  [[nodiscard]] MemoryUse memory_use() const;

  /// From now on the WAL is checkpointed by a background thread with its own connection
  /// once it holds `frames` pages (4 KiB each), so ingests never wait for a checkpoint's
  /// copy and fsync; at 2 * `frames` the calling thread checkpoints what is left (so the
  /// WAL is reused: it stays under about 2 * `frames` pages). For the daemon
  /// and `poll`; call once, before ingesting. Read-write stores only.
  void checkpoint_in_background(int frames = 8192);
  /// Background checkpoints completed so far (0 without checkpoint_in_background).
  [[nodiscard]] std::uint64_t background_checkpoints() const;

  /// Group commit: the items share one transaction, each inside its own savepoint, so each
  /// is still all-or-nothing and one that fails (bad data, a full disk) is rolled back
  /// alone, while the pages the items touch in common (index leaves, the WAL header) are
  /// written once per group instead of once per feed. Outcomes are parallel to `items` and
  /// final: an item reported ok is committed. If SQLite abandons the whole transaction (a
  /// full disk or I/O error can) or the commit fails, every item not yet committed fails
  /// with that error. Never throws for a storage error; `source` of each feed is its
  /// status's name.
  /// `item_done(i)`, if given, runs as soon as item i is in or out of the transaction
  /// (not yet committed: its outcome may still change), so its caller can free it early.
  /// `stop`: once requested (a SIGTERM), no further item is started; the items already in
  /// are committed and the rest come back `interrupted`. Each item is one savepoint, so a
  /// stop never leaves half a feed.
  [[nodiscard]] std::vector<GroupOutcome>
  ingest_group(const std::vector<GroupItem>& items,
               Timestamp now,
               const std::function<void(std::size_t)>& item_done = {},
               std::stop_token stop = {});

  /// Stories with any sighting published (or first seen) at or after `since`, newest
  /// first (by Story::published), at most `limit` (negative: no limit).
  [[nodiscard]] std::vector<Story> stories(Timestamp since, int limit);

  /// Latest decision per (story id, topic), replacing the previous one; decisions for
  /// stories that no longer exist are ignored. The stories stay queued (see settle()).
  void save_decisions(const std::vector<std::pair<std::int64_t, Decision>>& decisions);

  // Incremental publishing. Every change of a story (a new story, a sighting that joins
  // it, an edited sighting, retention) queues it until its decisions are saved again by
  // settle(); each topic's output is then read from the stored decisions
  // (published_stories()), so a publish costs what changed, not the size of the window.

  /// Records the rules (a fingerprint of their text) that the stored decisions follow.
  /// When it differs from the recorded one, every story active since `since` is queued and
  /// the decisions of topics not in `topics` are deleted, in one transaction. Returns
  /// whether it differed.
  bool
  adopt_rules(std::uint64_t fingerprint, const std::vector<std::string>& topics, Timestamp since);
  /// The recorded fingerprint (0: none yet).
  [[nodiscard]] std::uint64_t rules_fingerprint();
  /// Queued story ids above `after`, lowest first, at most `limit`.
  [[nodiscard]] std::vector<std::int64_t> changed_stories(std::int64_t after, int limit);
  /// Ids of the stories active (any sighting) since `since`, above `after`, lowest first,
  /// at most `limit`: the window in bounded batches.
  [[nodiscard]] std::vector<std::int64_t>
  story_ids_since(Timestamp since, std::int64_t after, int limit);
  /// The stories with these ids, in that order; a deleted one is left out.
  [[nodiscard]] std::vector<Story> stories_by_id(const std::vector<std::int64_t>& ids);
  /// Saves `decisions` (of stories among `ids`, each with its story's current published and
  /// activity times) and takes every story of `ids` off the queue; a story of `ids` that
  /// no longer exists loses its decisions. One transaction.
  void settle(const std::vector<std::int64_t>& ids,
              const std::vector<std::pair<std::int64_t, Decision>>& decisions);
  /// The stored published decisions of `topic` whose story is active since `since`, newest
  /// story first (Story::published, then id), at most `limit`: an index range, whatever
  /// else the window holds.
  [[nodiscard]] std::vector<std::pair<std::int64_t, Decision>>
  published_stories(const std::string& topic, Timestamp since, int limit);

  /// For the editor's view: the latest decisions of `topic` on stories active since
  /// `since`, newest first, at most `limit`, with their stories: those whose score lies
  /// within `margin` of the threshold (either side), and those not published that a
  /// negative term counted against (a hit with a negative weight) or that the rule
  /// excluded (a reason naming "excluded by", the filter's wording).
  [[nodiscard]] std::vector<Reviewed>
  review(const std::string& topic, Timestamp since, double margin, int limit);

  /// Accepts an entry URL (raw or canonical), a story uid or numeric id, or an entry guid.
  /// Explanation::join_reasons is parallel to story.outlets. nullopt when nothing matches.
  [[nodiscard]] std::optional<Explanation> explain(const std::string& url_or_id);

  /// Retention: by age and by count per source (max_per_source <= 0: no count limit),
  /// never an entry of its source's latest parsed fetch; pruned stories leave tombstones
  /// so they never return as new. Ends with PRAGMA incremental_vacuum.
  void prune(Timestamp older_than, int max_per_source);

private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace reelfeed::store

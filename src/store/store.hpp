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
// - A new sighting joins the story of any entry with the same canonical URL, else the most
//   similar entry (MinHash of normalised title + lede, LSH-indexed) within
//   ClusterOptions::window if similarity >= ClusterOptions::similarity; else a new story.
// - Representative = the sighting that founded the story (it keeps the story's link
//   stable); only if it is pruned does the earliest remaining sighting take over.
//   Story::outlets lists every sighting, representative first, then by time.
// - Story::updated moves only when the representative's text changes (an edit), not
//   when another outlet joins or a supporting outlet edits its copy.
// - Pruned sightings and URLs leave tombstones: they are skipped if they reappear.
// Cost: an unchanged item of a re-fetched feed is one indexed look-up and a hash compare,
// no write; LSH look-ups use an in-memory index of the touched 4-day buckets (at most 32
// kept, ~100-200 bytes per entry), loaded from the lsh table on first use.
// Errors: SQLite failures throw std::runtime_error (SQLite::Exception); the transaction
// of the failing call is rolled back, nothing already stored is lost.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dedup/dedup.hpp"
#include "model/decision.hpp"
#include "model/entry.hpp"
#include "model/source_status.hpp"
#include "model/story.hpp"

namespace reelfeed::store {

struct SourceDef {
  std::string name;
  std::string url;
  std::vector<std::string> tags;
  bool enabled = true;
};

struct ClusterOptions {
  Seconds window = std::chrono::days{3};
  double similarity = 0.6;
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
  std::string categories_json; ///< JSON array, as stored
  std::string enclosures_json; ///< JSON array, as stored
};

/// A parsed feed with its per-entry pure work done: see prepare().
struct Prepared {
  Feed feed;
  std::vector<PreparedEntry> entries; ///< parallel to feed.entries
};

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
};

/// What became of one GroupItem.
struct GroupOutcome {
  IngestResult result; ///< the feed's counts when stored (zeros for a status only)
  std::string error;   ///< non-empty: nothing of this item was stored, and this says why
  [[nodiscard]] bool ok() const { return error.empty(); }
};

/// Why an entry is where it is (`reelfeed explain`).
struct Explanation {
  std::int64_t entry_id = 0;
  std::string source;
  Entry entry;
  Story story;
  std::vector<std::string> join_reasons; ///< per outlet: "same canonical URL", "similarity 0.82"
  std::vector<Decision> decisions;       ///< latest decision per topic
};

/// A story and the latest decision of one topic on it (Store::review).
struct Decided {
  Story story;
  Decision decision;
};

class Store {
public:
  /// Opens (creating if needed) and migrates. Throws std::runtime_error with a clear
  /// message if the file is not a reelfeed database or cannot be opened.
  explicit Store(const std::filesystem::path& path,
                 ClusterOptions options = {},
                 Access access = Access::read_write);
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
  [[nodiscard]] std::vector<GroupOutcome>
  ingest_group(const std::vector<GroupItem>& items,
               Timestamp now,
               const std::function<void(std::size_t)>& item_done = {});

  /// Stories with any sighting published (or first seen) at or after `since`, newest
  /// first (by Story::published), at most `limit` (negative: no limit).
  [[nodiscard]] std::vector<Story> stories(Timestamp since, int limit);

  /// Latest decision per (story id, topic), replacing the previous one; decisions for
  /// stories that no longer exist are ignored.
  void save_decisions(const std::vector<std::pair<std::int64_t, Decision>>& decisions);

  /// For the editor's view: the latest decisions of `topic` on stories active since
  /// `since`, newest first, at most `limit`, with their stories: those whose score lies
  /// within `margin` of the threshold (either side), and those not published that a
  /// negative term counted against (a hit with a negative weight) or that the rule
  /// excluded (a reason naming "excluded by", the filter's wording).
  [[nodiscard]] std::vector<Decided>
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

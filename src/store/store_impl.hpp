#pragma once
// Private to src/store: the Impl behind store::Store, split over several .cpp files
// (schema, ingest/identity, clustering, queries, retention).

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "dedup/dedup.hpp"
#include "store/checkpointer.hpp"
#include "store/event_index.hpp"
#include "store/hash_index.hpp"
#include "store/lsh_index.hpp"
#include "store/store.hpp"

namespace reelfeed::store {

inline constexpr int k_schema_version = 12;
inline constexpr std::int64_t k_application_id = 0x7265656C; // "reel"
inline constexpr const char* k_uid_prefix = "urn:reelfeed:story:";
/// LSH banding of the 32-value MinHash: 10 bands of 3 rows. A pair with Jaccard 0.6 is a
/// candidate with p = 0.91, one with 0.3 with p = 0.24, 0.1 with p = 0.01; candidates are
/// then checked with the full signature.
inline constexpr std::size_t k_bands = 10;
inline constexpr std::size_t k_rows = 3;

/// Resets a cached statement when the use ends, so no statement keeps a read snapshot
/// open (a reader would otherwise never see the daemon's new commits).
class Use {
public:
  explicit Use(SQLite::Statement& s) : m_s(s) {}
  ~Use() {
    m_s.tryReset();
    try {
      m_s.clearBindings();
    } catch (const SQLite::Exception&) { // cannot fail after a reset; never throw here
    }
  }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  SQLite::Statement* operator->() { return &m_s; }
  SQLite::Statement& operator*() { return m_s; }

private:
  SQLite::Statement& m_s;
};

struct SourceRow {
  std::int64_t id = 0;
  std::string identity_mode; ///< "guid" or "link" (sticky once a feed's guids proved unsound)
  std::optional<std::int64_t> last_fetch_id;
};

/// A stored sighting as ingest needs it to match an item of a new fetch.
struct StoredEntry {
  std::int64_t id = 0;
  std::int64_t story_id = 0;
  std::uint64_t content_hash = 0;
  std::string canonical_url;
  std::string title;
  std::optional<std::int64_t> published;
  std::int64_t sort_time = 0;
  dedup::Signature sig;
  std::string identity;
};

/// SQL of each migration: index i takes user_version i to i + 1 (tests replay old ones).
const std::vector<const char*>& migrations();
/// Seconds per LSH time bucket: a +-3 day window touches at most 3 buckets.
inline constexpr std::int64_t k_bucket_seconds = 4 * 86400;
/// lsh.key = bucket * k_lsh_bucket_span + entry id (entry ids stay below 2^40).
inline constexpr std::int64_t k_lsh_bucket_span = std::int64_t{1} << 40;
std::int64_t lsh_key(std::int64_t bucket, std::int64_t entry_id);
inline std::int64_t bucket_of(std::int64_t t) {
  // Floor division: times before 1970 land in negative buckets, not in bucket 0.
  return t >= 0 ? t / k_bucket_seconds : -((-t + k_bucket_seconds - 1) / k_bucket_seconds);
}
/// cluster.cpp: one 32-bit hash per band; nullopt for an empty signature (it would match
/// everything).
std::optional<std::array<std::uint32_t, k_bands>> band_hashes(const dedup::Signature& sig);
/// keys.cpp: the uid of a story not yet published, from its representative's canonical URL (or,
/// without one, its source and identity), so that it does not depend on the order in which
/// feeds were stored. The URL form's hex digits are HashIndex::key_of(canon).
std::string
derived_uid(const std::string& canon, const std::string& source, const std::string& identity);
// store.cpp
std::string sig_to_blob(const dedup::Signature& sig);
dedup::Signature sig_from_blob(const void* data, int size);
std::int64_t to_db(Timestamp t);
std::string status_json(const SourceStatus& status);
Timestamp from_db(std::int64_t v);
/// prepare.cpp: one entry's database-free work; the signature only if asked for.
PreparedEntry prepare_entry(const Entry& e, bool with_signature);
/// decisions.cpp: a decision from the columns topic, published, score, threshold, reason,
/// concepts, hits starting at column `first`.
Decision read_decision(SQLite::Statement& q, int first);

class Store::Impl {
public:
  Impl(const std::filesystem::path& path,
       ClusterOptions options,
       Access access,
       const Clock& clock);

  SQLite::Statement& stmt(const std::string& sql);
  /// For string literals (static storage): cached by address, so a use costs neither a
  /// std::string nor a hash of the SQL text.
  SQLite::Statement& stmt(const char* sql_literal);
  void require_writable(const char* what) const;

  // schema.cpp
  void configure_and_migrate();

  /// Decisions made before an ingest (Prepared::decisions and its rules fingerprint).
  struct Decided {
    const std::vector<std::vector<Decision>>& per_entry;
    std::uint64_t rules = 0;
  };
  // group.cpp
  /// One feed in its own transaction (Store::ingest); rethrows after the rollback.
  IngestResult ingest_one(const std::string& source,
                          const Feed& feed,
                          const std::vector<PreparedEntry>& prepared,
                          const SourceStatus& status,
                          Timestamp now,
                          const Decided& decided);

  // ingest.cpp
  /// The body of an ingest, inside a transaction or savepoint the caller opened (after
  /// check_foreign_writes()). `prepared` is parallel to feed.entries. Writes its LSH rows
  /// before returning, so m_lsh_pending is empty between items of a group. At most
  /// `max_new` new items are stored (0: no cap), see GroupItem::max_new_entries.
  IngestResult ingest_in_tx(const std::string& source,
                            const Feed& feed,
                            const std::vector<PreparedEntry>& prepared,
                            const SourceStatus& status,
                            Timestamp now,
                            const Decided& decided,
                            std::size_t max_new = 0);
  /// One feed's ingest in named steps (ingest.cpp).
  class FeedIngest;
  SourceRow source_row(const std::string& name, const std::string& url_if_new);
  bool tombstoned(std::int64_t source_id, const std::string& identity);

  // store.cpp
  /// Store::save_status inside the caller's transaction or savepoint.
  void save_status_in_tx(const SourceStatus& status);
  /// Before a write transaction: refuses a read-only store (`what` names the write), then
  /// takes the writer's share of a background checkpoint, if due.
  void start_write(const char* what) {
    require_writable(what);
    if (m_checkpointer)
      m_checkpointer->writer_turn();
  }
  /// After a failed write: the in-memory LSH state may name rolled-back entries. (The hash
  /// indexes may: every hit is checked against the row.)
  void forget_uncommitted() {
    m_lsh.clear();
    m_lsh_pending.clear();
    m_events.clear();
    m_term_stats_loaded = false;
  }
  // identity.cpp
  /// The source's stored rows under the given identity keys (through the identity index).
  struct StoredRows {
    std::unordered_map<std::string, StoredEntry> rows; ///< by identity
    std::unordered_set<std::string_view> asked;        ///< keys looked up (views into the caller's)
  };
  StoredRows stored_by_identity(std::int64_t source_id,
                                const std::vector<const std::string*>& keys);
  /// One row by a key that is not among the feed's own (an older key scheme).
  std::optional<StoredEntry> stored_entry(std::int64_t source_id, const std::string& identity);

  // cluster.cpp
  struct Placement {
    std::int64_t story_id = 0;
    bool joined = false;
    std::string reason;
    double score = 0;
    std::int64_t joined_entry = 0;
    /// A story the new sighting bridges to `story_id`: fold it (fold_stories) after the
    /// sighting is stored.
    std::int64_t fold = 0;
  };
  /// What place() needs to know of a new sighting.
  struct NewSighting {
    const std::string* canon = nullptr;
    const dedup::Signature* sig = nullptr;
    const dedup::EventTerms* terms = nullptr; ///< null: no event clustering
    const std::string* normalised_title = nullptr;
    const Entry* entry = nullptr;
    std::int64_t source_id = 0;
    Timestamp t{};
  };
  /// The first sighting (lowest id) of a canonical URL: story id and entry id.
  using UrlHit = std::optional<std::pair<std::int64_t, std::int64_t>>;
  /// `url_hit`: the caller already looked `canon` up in entries (nullopt: look it up here).
  std::optional<Placement> place(const NewSighting& n,
                                 const std::optional<UrlHit>& url_hit = std::nullopt);
  /// The copy step of place(): the most similar stored copy within the window.
  Placement place_copy(const NewSighting& n);
  /// The event step of place(): the story of the same event, if one is clearly best.
  Placement place_event(const NewSighting& n);
  /// A story scored for a new sighting (event clustering).
  struct StoryScore {
    std::int64_t story_id = 0;
    double score = 0;
    std::int64_t entry_id = 0; ///< the member that matched best
    std::uint32_t top_term = 0;
    /// Unrelated reports of the window expected to share as much with the sighting by
    /// coincidence (EventRule::coincidences).
    double coincidences = 0;
    std::vector<std::int64_t> sources; ///< of the story's sightings, sorted (story_sources)
  };
  /// The stories whose members are most like `v` by event score, best first; members of
  /// `source_id` and of `exclude_story` are left out, and so are stories that already hold a
  /// report of `source_id` (one outlet's two reports are two stories), stories begun more
  /// than half the window from `t` (coverage of one event starts within a day or so), and
  /// stories scoring less than `at_least`.
  /// With `within_budget`, only the part of the window the event index admits is searched,
  /// and a sighting older than every loaded bucket once one was evicted has none
  /// (NewestBuckets::admitted_from); explain looks anywhere.
  std::vector<StoryScore> event_candidates(const EventVector& v,
                                           std::int64_t source_id,
                                           std::int64_t t,
                                           std::int64_t exclude_story,
                                           double at_least = 0,
                                           bool within_budget = false);
  /// Folds story `gone` into `keep`: its sightings move, it is marked merged (its id and
  /// uid resolve to `keep` in explain), its decisions go.
  void fold_stories(std::int64_t keep, std::int64_t gone);
  /// The sources of a story's sightings (its representative and every joined one), sorted.
  std::vector<std::int64_t> story_sources(std::int64_t story_id);
  /// After a sighting joined: it becomes the representative if it was published earlier.
  void maybe_take_over(std::int64_t story_id, std::int64_t entry_id);
  bool tombstoned_url(const std::string& canon);
  /// Inserts a story with the next id of this transaction (tx_begin) and its
  /// representative entry id (which the caller inserts next, with that id).
  std::int64_t create_story(const std::string& link,
                            Timestamp published,
                            Timestamp updated,
                            std::int64_t rep_entry_id);
  // keys.cpp
  /// What an entry's lsh row is derived from.
  struct RowKeys {
    std::int64_t entry_id = 0;
    Timestamp t{}; ///< sort time: picks the LSH bucket
    std::int64_t source_id = 0;
    const std::string* identity = nullptr;
    const std::string* canon = nullptr;
    std::int64_t story_id = 0;                ///< (add_entry_keys only)
    const dedup::EventTerms* terms = nullptr; ///< (add_entry_keys only) null: none
  };
  /// Queues the entry's lsh row (band hashes, URL and identity keys, event terms) and adds
  /// it to the loaded in-memory indexes.
  void add_entry_keys(const RowKeys& row, const dedup::Signature& sig);
  /// Deletes the entry's lsh row and takes it out of the in-memory indexes.
  void drop_entry_keys(const RowKeys& row);
  /// A row's identity changed (a re-keyed item): its lsh row and the identity index follow.
  void rekey_entry_keys(const RowKeys& row);
  /// Writes the LSH rows add_entry_keys() queued; must run before the commit.
  void flush_lsh();
  /// Re-derives the whole lsh table from the stored entries (after a key-format change).
  void rebuild_lsh();
  /// A stored sighting of a canonical URL (what ingest needs to re-key a moved item).
  struct UrlSighting {
    std::int64_t id = 0;
    std::int64_t story_id = 0;
    std::int64_t source_id = 0;
    std::int64_t published = INT64_MIN; ///< NULL as INT64_MIN
    std::string identity;
  };
  /// Every stored entry whose canonical_url is `canon`, in id order.
  std::vector<UrlSighting> url_sightings(const std::string& canon);
  /// The in-memory index of one time bucket, loaded from the lsh table if needed.
  LshBucket& lsh_bucket(std::int64_t bucket);
  /// Loads the in-memory URL and identity indexes from the lsh table, if not loaded.
  void load_hash_indexes();
  /// The event index of one time bucket, loaded from the lsh table if needed; the loads
  /// over budget then evict old buckets, none of [keep_first, keep_last] (the window's).
  EventBucket& event_bucket(std::int64_t bucket, std::int64_t keep_first, std::int64_t keep_last);
  /// The document frequencies of terms, loaded from the newest lsh rows if needed.
  const TermStats& term_stats();
  /// Computes the event terms of every entry whose lsh row has none (after the migration
  /// that added them).
  void fill_event_terms();
  /// The extractor for texts read back from the database (explain, migration).
  dedup::EventTermizer& termizer();
  /// Drops the in-memory indexes if another connection committed since the last call.
  void check_foreign_writes();

  // decisions.cpp
  /// THE entry point for "this story changed": queues it for the publish, which evaluates
  /// it again and saves its decisions (Store::settle). Every change calls it inside the
  /// ingest's or prune's transaction: a new story (unless decided at once), a sighting that
  /// joins or leaves it, an edited sighting, a new representative. A story folded into
  /// another one (or deleted) must be queued too, and load_story() must no longer find it:
  /// the publish then drops its decisions, so it leaves every topic's output.
  void story_changed(std::int64_t story_id);
  /// Writes the uid derived from the story's representative, if it has none yet.
  void freeze_uid(std::int64_t story_id);
  /// One decision row; `times` (story published, last activity) or, without, read from the
  /// story row (no row if the story is gone).
  void insert_decision(std::int64_t story_id,
                       const Decision& d,
                       std::optional<std::pair<Timestamp, Timestamp>> times,
                       Timestamp now);
  /// meta.rules_hash (0: none).
  std::uint64_t recorded_rules();
  /// The rules the stored decisions follow, as last read or adopted (decisions made before
  /// the ingest are saved only under these).
  std::uint64_t m_rules = 0;

  // query.cpp
  std::optional<Story> load_story(std::int64_t story_id);
  std::vector<Story> stories(Timestamp since, int limit);
  std::optional<Explanation> explain(const std::string& q);
  /// What explain's argument names: a story (uid, id) or an entry (URL, guid) and its story.
  struct ExplainTarget {
    std::int64_t story_id = 0; ///< 0: nothing found
    std::int64_t entry_id = 0; ///< 0: the story's representative
  };
  ExplainTarget explain_target(const std::string& q);
  // review.cpp
  std::vector<Reviewed> review(const std::string& topic, Timestamp since, double margin, int limit);

  // retention.cpp
  void prune(Timestamp older_than, int max_per_source);
  /// The entries retention may delete: older than `older_than` or beyond the newest
  /// `max_per_source` of their source, never one of its source's latest fetch.
  std::set<std::int64_t> prunable(Timestamp older_than, int max_per_source);
  /// Deletes an entry and leaves its tombstones (dated `now`); returns its story, nullopt
  /// when it is already gone.
  std::optional<std::int64_t> delete_entry(std::int64_t id, Timestamp now);
  /// A story lost a sighting: it is queued, and deleted when it has none left, else the
  /// earliest remaining sighting becomes its representative if that went.
  void lost_sighting(std::int64_t story, Timestamp now);

  // cluster.cpp
  /// Per write transaction, read once at its start (under the write lock nobody else can
  /// change them): the next entry and story ids, and whether any tombstones exist at all
  /// (none, usually: then no tombstone look-up per new entry).
  struct TxState {
    std::int64_t next_entry_id = 1;
    std::int64_t next_story_id = 1;
    bool any_tombstones = true;
    bool any_url_tombstones = true;
  };
  void tx_begin();

  SQLite::Database m_db;
  TxState m_tx;
  ClusterOptions m_options;
  Access m_access;
  const Clock& m_clock; ///< dates what the store writes on its own (retention, decisions)
  LshIndex m_lsh;
  struct PendingLsh {
    std::int64_t bucket = 0;
    std::int64_t entry_id = 0;
    std::int64_t t = 0;
    std::array<std::uint32_t, k_bands> bands{};
    bool has_bands = false;    ///< false for an empty signature (nothing to match)
    std::uint64_t url_key = 0; ///< 0: no canonical URL
    std::uint64_t id_key = 0;
    std::int64_t source_id = 0;
    std::string terms; ///< terms_to_blob(); empty: none
  };
  std::vector<PendingLsh> m_lsh_pending; ///< this transaction's rows, not yet written
  EventIndex m_events;
  TermStats m_term_stats;
  bool m_term_stats_loaded = false;
  bool m_lsh_has_terms = true; ///< false while migrating a schema older than lsh.terms
  std::unique_ptr<dedup::EventTermizer> m_termizer;
  HashIndex m_urls;   ///< canonical URL -> entry ids
  HashIndex m_idents; ///< (source, identity) -> entry ids
  bool m_hashes_loaded = false;
  std::int64_t m_data_version = -1;
  /// After m_db: destroyed (hook removed, thread joined) before the writer closes.
  std::unique_ptr<Checkpointer> m_checkpointer;

private:
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> m_stmts;
  std::unordered_map<const char*, SQLite::Statement*> m_literal_stmts;
};

} // namespace reelfeed::store

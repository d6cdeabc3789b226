#pragma once
// Private to src/store: the Impl behind store::Store, split over several .cpp files
// (schema, ingest/identity, clustering, queries, retention).

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "dedup/dedup.hpp"
#include "store/checkpointer.hpp"
#include "store/hash_index.hpp"
#include "store/lsh_index.hpp"
#include "store/store.hpp"

namespace reelfeed::store {

inline constexpr int k_schema_version = 10;
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
/// One 32-bit hash per band; nullopt for an empty signature (it would match everything).
std::optional<std::array<std::uint32_t, k_bands>> band_hashes(const dedup::Signature& sig);
std::string sig_to_blob(const dedup::Signature& sig);
dedup::Signature sig_from_blob(const void* data, int size);
std::int64_t to_db(Timestamp t);
std::string status_json(const SourceStatus& status);
Timestamp from_db(std::int64_t v);
/// query.cpp: a decisions row read from columns published, score, threshold, reason,
/// concepts, hits (in that order) starting at `first`; `topic` as given.
Decision read_decision(SQLite::Statement& q, int first, std::string topic);
/// prepare.cpp: one entry's database-free work; the signature only if asked for.
PreparedEntry prepare_entry(const Entry& e, bool with_signature);

class Store::Impl {
public:
  Impl(const std::filesystem::path& path, ClusterOptions options, Access access);

  SQLite::Statement& stmt(const std::string& sql);
  /// For string literals (static storage): cached by address, so a use costs neither a
  /// std::string nor a hash of the SQL text.
  SQLite::Statement& stmt(const char* sql_literal);
  void require_writable(const char* what) const;

  // schema.cpp
  void configure_and_migrate();

  // group.cpp
  /// One feed in its own transaction (Store::ingest); rethrows after the rollback.
  IngestResult ingest_one(const std::string& source,
                          const Feed& feed,
                          const std::vector<PreparedEntry>& prepared,
                          const SourceStatus& status,
                          Timestamp now);

  // ingest.cpp
  /// The body of an ingest, inside a transaction or savepoint the caller opened (after
  /// check_foreign_writes()). `prepared` is parallel to feed.entries. Writes its LSH rows
  /// before returning, so m_lsh_pending is empty between items of a group.
  IngestResult ingest_in_tx(const std::string& source,
                            const Feed& feed,
                            const std::vector<PreparedEntry>& prepared,
                            const SourceStatus& status,
                            Timestamp now);
  SourceRow source_row(const std::string& name, const std::string& url_if_new);
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
  };
  /// The first sighting (lowest id) of a canonical URL: story id and entry id.
  using UrlHit = std::optional<std::pair<std::int64_t, std::int64_t>>;
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
  /// `url_hit`: the caller already looked `canon` up in entries (nullopt: look it up here).
  std::optional<Placement> place(const std::string& canon,
                                 const dedup::Signature& sig,
                                 Timestamp t,
                                 const std::optional<UrlHit>& url_hit = std::nullopt);
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
  };
  /// Queues the entry's lsh row (band hashes, URL and identity keys) and adds it to the
  /// loaded in-memory indexes.
  void add_entry_keys(const RowKeys& row, const dedup::Signature& sig);
  /// Deletes the entry's lsh row and takes it out of the in-memory indexes.
  void drop_entry_keys(const RowKeys& row);
  /// A row's identity changed (a re-keyed item): its lsh row and the identity index follow.
  void rekey_entry_keys(const RowKeys& row);
  /// Writes the LSH rows add_entry_keys() queued; must run before the commit.
  void flush_lsh();
  /// Re-derives the whole lsh table from the stored entries (after a key-format change).
  void rebuild_lsh();
  bool tombstoned_url(const std::string& canon);
  bool tombstoned(std::int64_t source_id, const std::string& identity);
  // keys.cpp (the lsh rows and the in-memory indexes above; cluster.cpp places entries)
  /// The in-memory index of one time bucket, loaded from the lsh table if needed.
  LshBucket& lsh_bucket(std::int64_t bucket);
  /// Loads the in-memory URL and identity indexes from the lsh table, if not loaded.
  void load_hash_indexes();
  /// Drops the in-memory indexes if another connection committed since the last call.
  void check_foreign_writes();

  // query.cpp
  std::optional<Story> load_story(std::int64_t story_id);
  std::vector<Story> stories(Timestamp since, int limit);
  std::optional<Explanation> explain(const std::string& q);
  // review.cpp
  std::vector<Decided> review(const std::string& topic, Timestamp since, double margin, int limit);

  // retention.cpp
  void prune(Timestamp older_than, int max_per_source);

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
  };
  std::vector<PendingLsh> m_lsh_pending; ///< this transaction's rows, not yet written
  HashIndex m_urls;                      ///< canonical URL -> entry ids
  HashIndex m_idents;                    ///< (source, identity) -> entry ids
  bool m_hashes_loaded = false;
  std::int64_t m_data_version = -1;
  /// After m_db: destroyed (hook removed, thread joined) before the writer closes.
  std::unique_ptr<Checkpointer> m_checkpointer;

private:
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> m_stmts;
  std::unordered_map<const char*, SQLite::Statement*> m_literal_stmts;
};

} // namespace reelfeed::store

// Schema and migrations. Each migration runs in its own transaction together with the
// PRAGMA user_version bump, so a crash mid-migration leaves the previous version intact.

#include <stdexcept>
#include <string>
#include <vector>

#include "store/store_impl.hpp"

namespace reelfeed::store {
namespace {

// Index i migrates version i to version i + 1. Append only; never change what a shipped
// entry means (v1's column order was changed before any release; names are unchanged).
const std::vector<const char*> k_migrations = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '[]',          -- JSON array, from the config
  enabled INTEGER NOT NULL DEFAULT 1,
  identity_mode TEXT NOT NULL DEFAULT 'guid',
  last_fetch_id INTEGER,                    -- latest parsed fetch: its entries are never pruned
  status TEXT NOT NULL DEFAULT '{}'         -- JSON of SourceStatus
);
CREATE TABLE fetches (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  at INTEGER NOT NULL,
  http_status INTEGER NOT NULL DEFAULT 0,
  entries INTEGER NOT NULL DEFAULT 0,
  new_entries INTEGER NOT NULL DEFAULT 0,
  updated_entries INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fetches_source_at ON fetches(source_id, at);
CREATE TABLE stories (
  id INTEGER PRIMARY KEY AUTOINCREMENT,     -- AUTOINCREMENT: ids of pruned stories never reused
  uid TEXT NOT NULL UNIQUE,
  rep_entry_id INTEGER,
  link TEXT NOT NULL DEFAULT '',            -- fixed at creation: stable output link
  published INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  last_activity INTEGER NOT NULL            -- newest sighting time, for stories(since)
);
CREATE INDEX stories_activity ON stories(last_activity);
CREATE TABLE entries (
  -- Small, often-read columns first, the long texts last: SQLite reads a row's columns in
  -- order, so anything after `content` would drag its overflow pages in.
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  story_id INTEGER NOT NULL REFERENCES stories(id),
  identity TEXT NOT NULL,                   -- g:<guid> | l:<canonical link>|<date> | h:<hash>
  published INTEGER,
  updated INTEGER,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  sort_time INTEGER NOT NULL,               -- published, else first seen
  last_fetch_id INTEGER,
  content_hash INTEGER NOT NULL,
  join_reason TEXT NOT NULL DEFAULT '',
  join_score REAL NOT NULL DEFAULT 0,
  join_entry_id INTEGER,
  sig BLOB NOT NULL,
  guid TEXT NOT NULL DEFAULT '',
  canonical_url TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  categories TEXT NOT NULL DEFAULT '[]',
  enclosures TEXT NOT NULL DEFAULT '[]',
  summary TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL DEFAULT '',
  UNIQUE (source_id, identity)
);
CREATE INDEX entries_canonical ON entries(canonical_url);
CREATE INDEX entries_story ON entries(story_id);
CREATE INDEX entries_guid ON entries(guid);
CREATE INDEX entries_source_time ON entries(source_id, sort_time);
-- LSH band table over entry signatures: key = band << 56 | band hash.
CREATE TABLE lsh (
  key INTEGER NOT NULL,
  entry_id INTEGER NOT NULL,
  t INTEGER NOT NULL,
  PRIMARY KEY (key, entry_id)
) WITHOUT ROWID;
CREATE TABLE decisions (
  story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  topic TEXT NOT NULL,
  published INTEGER NOT NULL,
  score REAL NOT NULL,
  threshold REAL NOT NULL,
  reason TEXT NOT NULL,
  concepts TEXT NOT NULL,                   -- JSON array
  hits TEXT NOT NULL,                       -- JSON array of {concept, term, field, weight}
  decided_at INTEGER NOT NULL,
  PRIMARY KEY (story_id, topic)
) WITHOUT ROWID;
-- Pruned sightings and URLs: an item seen again after pruning is not new.
CREATE TABLE tombstones (
  source_id INTEGER NOT NULL,
  identity TEXT NOT NULL,
  deleted_at INTEGER NOT NULL,
  PRIMARY KEY (source_id, identity)
) WITHOUT ROWID;
CREATE TABLE url_tombstones (
  canonical_url TEXT PRIMARY KEY,
  story_uid TEXT NOT NULL,
  deleted_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 1 -> 2: retention scans entries by age across sources.
    R"sql(
CREATE INDEX entries_sort_time ON entries(sort_time);
)sql",
    // 2 -> 3: LSH keys lead with a time bucket (write locality); the table is rebuilt in
    // C++. The guid index goes: only `explain` needs it, and it costs every insert.
    R"sql(
DELETE FROM lsh;
DROP INDEX entries_guid;
)sql",
    // 3 -> 4: no query reads fetches by source; the index cost a page in every commit,
    // including the status-only save of a 304.
    R"sql(
DROP INDEX IF EXISTS fetches_source_at;
)sql",
    // 4 -> 5: one LSH row per entry (its band hashes), keyed by time bucket then entry, so
    // new entries append to the end of the table; look-ups use an in-memory index built
    // from these rows (lsh_index.hpp). Filled in C++.
    R"sql(
DROP TABLE lsh;
CREATE TABLE lsh (
  bucket INTEGER NOT NULL,                  -- t / 4 days
  entry_id INTEGER NOT NULL,
  t INTEGER NOT NULL,
  bands BLOB NOT NULL,                      -- k_bands native-endian uint32 band hashes
  PRIMARY KEY (bucket, entry_id)
) WITHOUT ROWID;
)sql",
    // 5 -> 6: the entries of a source's latest parsed fetch are listed on the source (one
    // row write per fetch), so an unchanged item costs no write of its own (entries'
    // last_seen / last_fetch_id now move only when an item is new, edited or re-keyed).
    R"sql(
ALTER TABLE sources ADD COLUMN latest_entries BLOB;  -- native int64 entry ids
)sql",
    // 6 -> 7: retention by age scans each source's entries on entries_source_time; the
    // global sort_time index cost one more B-tree insert for every new entry.
    R"sql(
DROP INDEX IF EXISTS entries_sort_time;
)sql",
    // 7 -> 8: URL look-ups use an in-memory index of URL hashes kept in the lsh rows (now
    // one per entry with a signature or a URL); the canonical_url index took a random leaf
    // page per new entry, 45% of a feed's commit. The rows are rebuilt in C++.
    R"sql(
DROP INDEX entries_canonical;
ALTER TABLE lsh ADD COLUMN url_key INTEGER;  -- HashIndex::key_of(canonical_url); NULL if none
)sql",
    // 8 -> 9: fewer pages per commit. Stories lose their stored uid (it is derived from the
    // id, and its UNIQUE index cost a random-ish leaf per new story) and AUTOINCREMENT (its
    // sqlite_sequence update ran per insert): prune records the highest id it deleted in
    // meta.story_seq instead, which keeps ids of pruned stories from coming back. lsh becomes
    // a rowid table keyed by bucket * 2^40 + entry id: new rows append to its last page (an
    // index B-tree splits pages in half). Run with foreign keys off (see configure_and_migrate).
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('story_seq',
  max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'stories'), 0),
      coalesce((SELECT max(id) FROM stories), 0)));
CREATE TABLE stories_v9 (
  id INTEGER PRIMARY KEY,                   -- never reused: see meta.story_seq
  rep_entry_id INTEGER,
  link TEXT NOT NULL DEFAULT '',            -- fixed at creation: stable output link
  published INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  last_activity INTEGER NOT NULL            -- newest sighting time, for stories(since)
);
INSERT INTO stories_v9(id, rep_entry_id, link, published, updated, last_activity)
  SELECT id, rep_entry_id, link, published, updated, last_activity FROM stories;
DROP TABLE stories;
ALTER TABLE stories_v9 RENAME TO stories;
CREATE INDEX stories_activity ON stories(last_activity);
DROP TABLE lsh;
CREATE TABLE lsh (
  key INTEGER PRIMARY KEY,                  -- bucket (t / 4 days) * 2^40 + entry_id
  entry_id INTEGER NOT NULL,
  t INTEGER NOT NULL,
  bands BLOB NOT NULL,                      -- k_bands native-endian uint32 band hashes, or empty
  url_key INTEGER                           -- HashIndex::key_of(canonical_url); NULL if none
);
)sql",
    // 9 -> 10: identity look-ups use an in-memory index of (source, identity) hashes kept in
    // the lsh rows (now one per entry); the UNIQUE (source_id, identity) index took leaf
    // pages in every commit. Dropping it takes a copy of the table (run with foreign keys
    // off, as v9). entries_story holds joined sightings only, so story_id is no longer a
    // declared foreign key: SQLite cannot check one through a partial index, and deleting
    // a story would scan every entry (prune deletes a story only when none is left).
    // Retention finds old entries through the lsh rows (time-ordered, now with their
    // source) instead of entries_source_time, which cost the same. The lsh rows are
    // rebuilt in C++.
    R"sql(
CREATE TABLE entries_v10 (
  -- Small, often-read columns first, the long texts last: SQLite reads a row's columns in
  -- order, so anything after `content` would drag its overflow pages in.
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  story_id INTEGER NOT NULL,                -- stories(id), kept by Store (see below)
  identity TEXT NOT NULL,                   -- g:<guid> | l:<canonical link>|<date> | h:<hash>
  published INTEGER,
  updated INTEGER,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  sort_time INTEGER NOT NULL,               -- published, else first seen
  last_fetch_id INTEGER,
  content_hash INTEGER NOT NULL,
  join_reason TEXT NOT NULL DEFAULT '',
  join_score REAL NOT NULL DEFAULT 0,
  join_entry_id INTEGER,
  sig BLOB NOT NULL,
  guid TEXT NOT NULL DEFAULT '',
  canonical_url TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  categories TEXT NOT NULL DEFAULT '[]',
  enclosures TEXT NOT NULL DEFAULT '[]',
  summary TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL DEFAULT ''
);
INSERT INTO entries_v10(id, source_id, story_id, identity, published, updated, first_seen,
  last_seen, sort_time, last_fetch_id, content_hash, join_reason, join_score, join_entry_id, sig,
  guid, canonical_url, link, title, author, categories, enclosures, summary, content)
SELECT id, source_id, story_id, identity, published, updated, first_seen, last_seen, sort_time,
  last_fetch_id, content_hash, join_reason, join_score, join_entry_id, sig, guid, canonical_url,
  link, title, author, categories, enclosures, summary, content FROM entries;
DROP TABLE entries;
ALTER TABLE entries_v10 RENAME TO entries;
-- Only sightings that joined a story: a story's first sighting (most of them) is its
-- rep_entry_id until pruned, and then a joined one takes over, so this plus rep_entry_id
-- finds them all, and a new story's entry costs no write here.
CREATE INDEX entries_story ON entries(story_id) WHERE join_entry_id IS NOT NULL;
ALTER TABLE lsh ADD COLUMN source_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lsh ADD COLUMN id_key INTEGER NOT NULL DEFAULT 0;  -- HashIndex::key_of(source, identity)
)sql",
    // 10 -> 11: event clustering. Each lsh row carries the entry's event terms (filled in
    // C++ for the rows already there). A story's uid is fixed when it is first published
    // (before that it is derived from its representative); existing stories keep theirs.
    // A story folded into another keeps its row, pointing at the survivor, so that its id
    // and uid still resolve. Existing stories are not re-clustered.
    R"sql(
ALTER TABLE lsh ADD COLUMN terms BLOB;                -- terms_to_blob(); NULL: none
ALTER TABLE stories ADD COLUMN uid TEXT;              -- NULL until first published
ALTER TABLE stories ADD COLUMN merged_into INTEGER;   -- stories(id) it was folded into
UPDATE stories SET uid = 'urn:reelfeed:story:' || id;
CREATE INDEX stories_uid ON stories(uid) WHERE uid IS NOT NULL;
CREATE INDEX stories_merged ON stories(merged_into) WHERE merged_into IS NOT NULL;
)sql",
    // 11 -> 12: publishing follows what changed. Every change of a story queues it in
    // story_changes until its decisions are saved again; a decision carries its story's
    // published and last-activity times, so that each topic's output is read through
    // decisions_output (newest published stories first) instead of evaluating the window.
    // meta.rules_hash names the rules the decisions follow: none yet, so the first publish
    // queues every story of its window.
    R"sql(
CREATE TABLE story_changes (story_id INTEGER PRIMARY KEY);
ALTER TABLE decisions ADD COLUMN story_published INTEGER NOT NULL DEFAULT 0;
ALTER TABLE decisions ADD COLUMN story_activity INTEGER NOT NULL DEFAULT 0;
UPDATE decisions SET
  story_published = coalesce((SELECT published FROM stories WHERE id = story_id), 0),
  story_activity = coalesce((SELECT last_activity FROM stories WHERE id = story_id), 0);
CREATE INDEX decisions_output ON decisions(topic, story_published DESC, story_id DESC)
  WHERE published = 1;
)sql",
};

} // namespace

const std::vector<const char*>& migrations() {
  return k_migrations;
}

void Store::Impl::configure_and_migrate() {
  const bool read_only = m_access == Access::read_only;
  const auto app_id = m_db.execAndGet("PRAGMA application_id").getInt64();
  int version = m_db.execAndGet("PRAGMA user_version").getInt();
  const auto tables = m_db.execAndGet("SELECT count(*) FROM sqlite_master").getInt();
  if ((app_id != 0 && app_id != k_application_id) || (app_id == 0 && tables > 0))
    throw std::runtime_error(m_db.getFilename() + ": not a reelfeed database");
  if (version > k_schema_version)
    throw std::runtime_error(m_db.getFilename() + ": schema version " + std::to_string(version) +
                             " is newer than this reelfeed (" + std::to_string(k_schema_version) +
                             ")");
  if (read_only) {
    if (version != k_schema_version)
      throw std::runtime_error(m_db.getFilename() + ": schema version " + std::to_string(version) +
                               ", expected " + std::to_string(k_schema_version) +
                               " (start the daemon once to migrate)");
    return;
  }
  m_db.exec("PRAGMA journal_mode = WAL");
  m_db.exec("PRAGMA synchronous = NORMAL"); // WAL + NORMAL: durable across process crashes
  if (tables == 0) {
    // Must precede the first CREATE TABLE; later prune() gives pages back incrementally.
    m_db.exec("PRAGMA auto_vacuum = INCREMENTAL");
    m_db.exec("VACUUM");
  }
  // v9 and v10 rebuild tables: with foreign keys on, dropping the old stories table would
  // cascade to decisions. (A no-op inside a transaction, so it is set out here.)
  const bool migrating = version < k_schema_version;
  // Debian's SQLite zeroes every freed page (SQLITE_SECURE_DELETE): dropping the copied
  // entries table would pull all of it through the page cache (RSS as large as the table).
  const auto secure_delete = m_db.execAndGet("PRAGMA secure_delete").getInt();
  if (migrating) {
    m_db.exec("PRAGMA foreign_keys = OFF");
    m_db.exec("PRAGMA secure_delete = OFF");
  }
  m_lsh_has_terms = version >= 11;
  while (version < k_schema_version) {
    SQLite::Transaction tx(m_db, SQLite::TransactionBehavior::IMMEDIATE);
    // Re-read inside the write lock: another process may have migrated meanwhile.
    version = m_db.execAndGet("PRAGMA user_version").getInt();
    if (version >= k_schema_version)
      break;
    m_db.exec(k_migrations.at(static_cast<std::size_t>(version)));
    if (m_db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt() != 0)
      throw std::runtime_error(m_db.getFilename() + ": migration to schema version " +
                               std::to_string(version + 1) + " broke a foreign key");
    // The lsh rows are derived data: filled once, in their latest format (v3, v5 and v9
    // changed their keys, v8 and v10 added URL and identity keys), by the last migration
    // that changed them; v11 adds event terms to the rows as they are.
    if (version == 9)
      rebuild_lsh();
    if (version == 10) {
      m_lsh_has_terms = true;
      fill_event_terms();
    }
    m_db.exec("PRAGMA user_version = " + std::to_string(version + 1));
    m_db.exec("PRAGMA application_id = " + std::to_string(k_application_id));
    tx.commit();
    ++version;
  }
  m_db.exec("PRAGMA foreign_keys = ON");
  if (migrating) {
    m_db.exec("PRAGMA secure_delete = " + std::to_string(secure_delete));
    m_db.exec("PRAGMA incremental_vacuum"); // the pages of the tables v9 and v10 copied
  }
}

} // namespace reelfeed::store

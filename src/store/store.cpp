// Store: opening, sources and their polling status, decisions; forwards the rest to Impl.

#include "store/store.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "store/store_impl.hpp"

namespace reelfeed::store {
namespace {

using nlohmann::json;

int open_flags(Access access) {
  // NOMUTEX: a Store is used by one thread at a time (see store.hpp), so SQLite's
  // per-connection mutex (a lock/unlock around every API call) protects nothing.
  return SQLite::OPEN_NOMUTEX |
         (access == Access::read_only ? SQLite::OPEN_READONLY
                                      : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
}

std::string checked_path(const std::filesystem::path& path, Access access) {
  if (access == Access::read_only && !std::filesystem::exists(path)) {
    throw std::runtime_error(path.string() + ": no such database (has the daemon run yet?)");
  }
  return path.string();
}

SourceState state_from(const std::string& s) {
  for (auto st : {SourceState::ok, SourceState::backing_off, SourceState::gone, SourceState::moved,
                  SourceState::disabled}) {
    if (s == to_string(st)) {
      return st;
    }
  }
  return SourceState::ok;
}

json opt_time(const std::optional<Timestamp>& t) {
  return t ? json(to_db(*t)) : json(nullptr);
}

std::optional<Timestamp> opt_time(const json& j) {
  if (!j.is_number_integer()) {
    return std::nullopt;
  }
  return from_db(j.get<std::int64_t>());
}

SourceStatus status_from(const std::string& name, const std::string& url, const std::string& text) {
  SourceStatus s;
  s.name = name;
  s.url = url;
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object()) {
    return s;
  }
  s.effective_url = j.value("effective_url", "");
  s.state = state_from(j.value("state", "ok"));
  if (j.contains("last_attempt")) {
    s.last_attempt = opt_time(j["last_attempt"]);
  }
  if (j.contains("last_success")) {
    s.last_success = opt_time(j["last_success"]);
  }
  s.last_status = j.value("last_status", 0L);
  s.last_bytes = j.value("last_bytes", std::uint64_t{0});
  s.error_count = j.value("error_count", 0);
  s.last_error = j.value("last_error", "");
  s.next_due = from_db(j.value("next_due", std::int64_t{0}));
  s.validators.etag = j.value("etag", "");
  s.validators.last_modified = j.value("last_modified", "");
  s.pending_move_to = j.value("pending_move_to", "");
  s.pending_move_count = j.value("pending_move_count", 0);
  s.parse_warnings = j.value("parse_warnings", 0);
  s.hinted_interval = Seconds{j.value("hinted_interval", std::int64_t{0})};
  s.body_digest = j.value("body_digest", "");
  return s;
}

} // namespace

std::string status_json(const SourceStatus& s) {
  return json{{"effective_url", s.effective_url},
              {"state", to_string(s.state)},
              {"last_attempt", opt_time(s.last_attempt)},
              {"last_success", opt_time(s.last_success)},
              {"last_status", s.last_status},
              {"last_bytes", s.last_bytes},
              {"error_count", s.error_count},
              {"last_error", s.last_error},
              {"next_due", to_db(s.next_due)},
              {"etag", s.validators.etag},
              {"last_modified", s.validators.last_modified},
              {"pending_move_to", s.pending_move_to},
              {"pending_move_count", s.pending_move_count},
              {"parse_warnings", s.parse_warnings},
              {"hinted_interval", static_cast<std::int64_t>(s.hinted_interval.count())},
              {"body_digest", s.body_digest}}
      .dump();
}

std::int64_t to_db(Timestamp t) {
  return t.time_since_epoch().count();
}
Timestamp from_db(std::int64_t v) {
  return Timestamp{Seconds{v}};
}

std::string sig_to_blob(const dedup::Signature& sig) {
  std::string out(sizeof(sig.minhash), '\0');
  std::memcpy(out.data(), sig.minhash.data(), sizeof(sig.minhash));
  return out;
}

dedup::Signature sig_from_blob(const void* data, int size) {
  dedup::Signature sig;
  if (data != nullptr && static_cast<std::size_t>(size) == sizeof(sig.minhash)) {
    std::memcpy(sig.minhash.data(), data, sizeof(sig.minhash));
  }
  return sig;
}

/// How long a call waits for another connection's lock before it fails "database is
/// locked". A writer waits long: another `reelfeed poll` or the daemon may hold the write
/// lock through a group commit of a cold first poll (seconds each, back to back), and a
/// second process must then wait for it, at start-up (schema creation, migration, the
/// sources) as later, rather than fail. A reader (status, render) never waits for writers
/// in WAL mode; only for a checkpoint's brief lock.
constexpr int k_writer_busy_ms = 120'000;
constexpr int k_reader_busy_ms = 5'000;

Store::Impl::Impl(const std::filesystem::path& path,
                  ClusterOptions options,
                  Access access,
                  const Clock& clock)
    : m_db(checked_path(path, access),
           open_flags(access),
           access == Access::read_write ? k_writer_busy_ms : k_reader_busy_ms),
      m_options(options), m_access(access), m_clock(clock) {
  m_db.exec("PRAGMA foreign_keys = ON");
  // URL, identity and LSH look-ups go to in-memory indexes, so the page cache only needs
  // the pages every commit touches (tables' tails) and what a publish reads: 8 MiB by
  // default ([storage] cache_size, set_cache_size()).
  m_db.exec("PRAGMA cache_size = -8192");
  m_db.exec("PRAGMA temp_store = MEMORY");
  configure_and_migrate();
  m_rules = recorded_rules();
  if (access == Access::read_write) {
    // The default checkpoint every 1000 WAL pages (4 MB) rewrites the same hot index pages
    // into the database file (and fsyncs it) every couple of feeds; 32 MB between
    // checkpoints writes each hot page once per many feeds. The WAL file is truncated back
    // to 64 MB after a checkpoint so that it cannot grow without bound.
    m_db.exec("PRAGMA wal_autocheckpoint = 8192");
    m_db.exec("PRAGMA journal_size_limit = 67108864");
  }
}

SQLite::Statement& Store::Impl::stmt(const std::string& sql) {
  auto& slot = m_stmts[sql];
  if (!slot) {
    slot = std::make_unique<SQLite::Statement>(m_db, sql);
  }
  return *slot;
}

SQLite::Statement& Store::Impl::stmt(const char* sql_literal) {
  auto& slot = m_literal_stmts[sql_literal];
  if (slot == nullptr) {
    slot = &stmt(std::string(sql_literal));
  }
  return *slot;
}

void Store::Impl::require_writable(const char* what) const {
  if (m_access == Access::read_only) {
    throw std::logic_error(std::string("store opened read-only: cannot ") + what);
  }
}

namespace {

/// Why SQLite could not open `path` (it says only "unable to open database file"): the
/// folder is missing, or this user may not write the folder or the file.
std::string cannot_open_reason(const std::filesystem::path& path, Access access) {
  namespace fs = std::filesystem;
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    return " (the folder " + folder.string() + " does not exist)";
  }
  // A read-only mount: SQLite cannot create the -shm and -wal files beside the database
  // (reading needs them too), and no permission change would help.
  struct statvfs fs_info {};
  if (::statvfs(folder.c_str(), &fs_info) == 0 && (fs_info.f_flag & ST_RDONLY) != 0) {
    return " (the file system holding " + folder.string() + " is read-only)";
  }
  const std::string user = "this user, uid " + std::to_string(::getuid());
  if (access == Access::read_only) { // checked_path() has ruled out a missing file
    if (::access(path.c_str(), R_OK) != 0) {
      return " (" + user + ", may not read it)";
    }
    if (::access(folder.c_str(), W_OK | X_OK) != 0 && !fs::exists(path.string() + "-shm", ec)) {
      return " (" + user + ", may not create in " + folder.string() +
             " the -shm file that reading a WAL database needs)";
    }
    return {};
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    return " (" + user + ", may not write in the folder " + folder.string() + ")";
  }
  if (fs::exists(path, ec) && ::access(path.c_str(), R_OK | W_OK) != 0) {
    return " (" + user + ", may not write the file)";
  }
  return {};
}

} // namespace

Failure failure_of(const std::exception& e) noexcept {
  if (const auto* error = dynamic_cast<const Error*>(&e)) {
    return error->kind();
  }
  const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&e);
  if (sqlite == nullptr) {
    return Failure::other;
  }
  switch (sqlite->getErrorCode() & 0xff) { // the primary code of an extended one
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return Failure::damaged;
  case SQLITE_READONLY:
    return Failure::read_only;
  case SQLITE_FULL:
    return Failure::disk_full;
  case SQLITE_IOERR:
    return Failure::io_error;
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return Failure::busy;
  case SQLITE_CANTOPEN:
    return Failure::cannot_open;
  default:
    return Failure::other;
  }
}

Store::Store(const std::filesystem::path& path,
             ClusterOptions options,
             Access access,
             const Clock& clock) try
    : m_impl(std::make_unique<Impl>(path, options, access, clock)) {
} catch (const SQLite::Exception& e) {
  std::string message = path.string() + ": " + e.what();
  Failure kind = failure_of(e);
  if (kind == Failure::cannot_open || kind == Failure::read_only) {
    const std::string reason = cannot_open_reason(path, access);
    if (reason.find("is read-only") != std::string::npos) {
      kind = Failure::read_only;
    }
    message += reason;
  }
  throw Error(message, kind);
}

Store::~Store() = default;

void Store::set_cache_size(std::uint64_t bytes) {
  const auto kib = std::max<std::uint64_t>(bytes / 1024, 1024);
  m_impl->m_db.exec("PRAGMA cache_size = -" + std::to_string(kib));
}

Store::MemoryUse Store::memory_use() const {
  MemoryUse m;
  m.url_index_bytes = m_impl->m_urls.bytes();
  m.identity_index_bytes = m_impl->m_idents.bytes();
  m.lsh_bytes = m_impl->m_lsh.bytes();
  m.lsh_entries = m_impl->m_lsh.entries();
  m.event_bytes = m_impl->m_events.bytes() + m_impl->m_term_stats.bytes();
  m.event_entries = m_impl->m_events.entries();
  m.sqlite_bytes = static_cast<std::size_t>(sqlite3_memory_used());
  return m;
}

void Store::checkpoint_in_background(int frames) {
  m_impl->require_writable("checkpoint");
  if (frames <= 0) {
    throw std::invalid_argument("checkpoint_in_background: frames must be positive");
  }
  m_impl->m_checkpointer.reset(); // (a second call replaces the first)
  m_impl->m_checkpointer = std::make_unique<Checkpointer>(m_impl->m_db, frames);
}

std::uint64_t Store::background_checkpoints() const {
  return m_impl->m_checkpointer ? m_impl->m_checkpointer->completed() : 0;
}

void Store::sync_sources(const std::vector<SourceDef>& sources) {
  m_impl->start_write("sync sources");
  SQLite::Transaction tx(m_impl->m_db, SQLite::TransactionBehavior::IMMEDIATE);
  // Sources gone from the config keep their entries; they are only marked disabled.
  m_impl->m_db.exec("UPDATE sources SET enabled = 0");
  for (const auto& def : sources) {
    Use q(m_impl->stmt("INSERT INTO sources(name, url, tags, enabled) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(name) DO UPDATE SET url = excluded.url, tags = excluded.tags, "
                       "enabled = excluded.enabled"));
    q->bind(1, def.name);
    q->bind(2, def.url);
    q->bind(3, json(def.tags).dump());
    q->bind(4, def.enabled ? 1 : 0);
    q->exec();
  }
  tx.commit();
}

std::vector<SourceStatus> Store::statuses() {
  std::vector<SourceStatus> out;
  Use q(m_impl->stmt("SELECT name, url, status, enabled FROM sources ORDER BY name"));
  while (q->executeStep()) {
    auto s = status_from(q->getColumn(0).getString(), q->getColumn(1).getString(),
                         q->getColumn(2).getString());
    if (q->getColumn(3).getInt() == 0) {
      s.state = SourceState::disabled;
    }
    out.push_back(std::move(s));
  }
  return out;
}

void Store::save_status(const SourceStatus& status) {
  m_impl->start_write("save a status");
  SQLite::Transaction tx(m_impl->m_db, SQLite::TransactionBehavior::IMMEDIATE);
  m_impl->save_status_in_tx(status);
  tx.commit();
}

void Store::Impl::save_status_in_tx(const SourceStatus& status) {
  const auto src = source_row(status.name, status.url);
  std::optional<Timestamp> previous_attempt;
  {
    Use q(stmt("SELECT status FROM sources WHERE id = ?"));
    q->bind(1, src.id);
    if (q->executeStep()) {
      previous_attempt = status_from("", "", q->getColumn(0).getString()).last_attempt;
    }
  }
  if (status.last_attempt && status.last_attempt != previous_attempt) {
    // A poll that stored nothing (304, error): still part of the fetch history.
    Use q(stmt("INSERT INTO fetches(source_id, at, http_status, error) VALUES (?,?,?,?)"));
    q->bind(1, src.id);
    q->bind(2, to_db(*status.last_attempt));
    q->bind(3, static_cast<std::int64_t>(status.last_status));
    q->bind(4, status.last_error);
    q->exec();
  }
  Use q(stmt("UPDATE sources SET status = ? WHERE id = ?"));
  q->bind(1, status_json(status));
  q->bind(2, src.id);
  q->exec();
}

IngestResult Store::ingest(const std::string& source,
                           const Feed& feed,
                           const SourceStatus& status,
                           Timestamp now) {
  std::vector<PreparedEntry> prepared;
  prepared.reserve(feed.entries.size());
  for (const Entry& e : feed.entries) {
    prepared.push_back(prepare_entry(e, false));
  }
  static const std::vector<std::vector<Decision>> k_undecided;
  return m_impl->ingest_one(source, feed, prepared, status, now, {k_undecided, 0});
}

IngestResult Store::ingest(const std::string& source,
                           const Prepared& prepared,
                           const SourceStatus& status,
                           Timestamp now) {
  return m_impl->ingest_one(source, prepared.feed, prepared.entries, status, now,
                            {prepared.decisions, prepared.rules_fingerprint});
}

std::vector<Story> Store::stories(Timestamp since, int limit) {
  return m_impl->stories(since, limit);
}

std::optional<Explanation> Store::explain(const std::string& url_or_id) {
  return m_impl->explain(url_or_id);
}

void Store::prune(Timestamp older_than, int max_per_source) {
  m_impl->start_write("prune");
  m_impl->prune(older_than, max_per_source);
}

} // namespace reelfeed::store

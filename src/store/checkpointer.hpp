#pragma once
// Private to src/store: checkpoints the WAL on a thread of its own, so that the store
// thread only appends to the WAL. A checkpoint copies every page the WAL holds back into
// the database file and fsyncs it: done by the writer (SQLite's default), a burst of
// ingests stalls on it every 32 MB of WAL, waiting for the disk with a core idle.
//
// The writer's connection gets a WAL hook in place of SQLite's auto-checkpoint: past
// `frames` WAL pages it wakes this thread, which runs a PASSIVE checkpoint through its own
// connection (never blocks the writer, never takes its lock), again after every commit
// while the WAL stays past `frames`. At 2 * `frames` the writer checkpoints what is left
// (little, usually: the last commits), so that the WAL is reused and stays bounded.
// Errors of a background checkpoint are not fatal: the next commit asks again.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>

struct sqlite3;

namespace reelfeed::store {

class Checkpointer {
public:
  /// Installs the hook on `writer` (which must outlive this) and starts the thread.
  Checkpointer(SQLite::Database& writer, int frames);
  /// Removes the hook, lets a running checkpoint finish, joins.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  /// Store thread, outside any transaction, before a write: if the WAL reached 2 *
  /// `frames`, checkpoints the rest of it through the writer (see on_commit).
  void writer_turn();
  /// Background checkpoints that completed without an error.
  [[nodiscard]] std::uint64_t completed() const { return m_completed.load(); }

private:
  static int on_commit(void* self, sqlite3* writer, const char* db, int frames);
  void run();

  SQLite::Database& m_writer;
  SQLite::Database m_db; ///< its own connection, used by its thread only
  int m_frames;
  bool m_writer_due = false; ///< store thread only (the hook runs there too)
  std::mutex m_running;      ///< held while a checkpoint of either thread runs
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_wanted = false; ///< guarded by m_mutex
  bool m_stop = false;   ///< guarded by m_mutex
  std::atomic<std::uint64_t> m_completed{0};
  std::thread m_thread; ///< last: starts once the members above exist
};

} // namespace reelfeed::store

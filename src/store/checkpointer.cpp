#include "store/checkpointer.hpp"

#include <sqlite3.h>

namespace reelfeed::store {

Checkpointer::Checkpointer(SQLite::Database& writer, int frames)
    : m_writer(writer), m_db(writer.getFilename(), SQLite::OPEN_READWRITE), m_frames(frames) {
  // The checkpoint's fsync of the database file is what makes the copied pages durable
  // before the WAL is reused; NORMAL does that (and is what the writer uses).
  m_db.exec("PRAGMA synchronous = NORMAL");
  m_thread = std::thread([this] { run(); });
  // Replaces SQLite's auto-checkpoint hook (PRAGMA wal_autocheckpoint must not be set
  // after this: it would replace this hook in turn).
  sqlite3_wal_hook(m_writer.getHandle(), &Checkpointer::on_commit, this);
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_hook(m_writer.getHandle(), nullptr, nullptr);
  {
    const std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_one();
  m_thread.join();
}

int Checkpointer::on_commit(void* self, sqlite3* /*writer*/, const char* /*db*/, int frames) {
  auto& c = *static_cast<Checkpointer*>(self);
  if (frames >= 2 * c.m_frames) {
    // Not here: the hook runs inside the COMMIT. writer_turn() does it before the next
    // write.
    c.m_writer_due = true;
  } else if (frames >= c.m_frames) {
    {
      const std::lock_guard lock(c.m_mutex);
      c.m_wanted = true;
    }
    c.m_wake.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::writer_turn() {
  if (!m_writer_due)
    return;
  m_writer_due = false;
  // The WAL starts over only after a checkpoint that caught up with the last commit,
  // which a background one rarely does while a burst keeps committing. By now it has
  // copied (and synced) nearly all of it: the writer copies the few frames left, as
  // SQLite's own hook would copy them all, and its next transaction reuses the WAL.
  // SQLite does not wait for a checkpoint running on another connection (not even in FULL
  // mode), so wait for ours here. A failure (a reader of another process still on old
  // pages) only leaves the WAL longer until the next turn.
  const std::lock_guard running(m_running);
  sqlite3_wal_checkpoint_v2(m_writer.getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                            nullptr);
}

void Checkpointer::run() {
  for (;;) {
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [this] { return m_wanted || m_stop; });
      if (m_stop)
        return;
      m_wanted = false;
    }
    // PASSIVE: copies what no reader still needs, never waits for or blocks the writer.
    const std::lock_guard running(m_running);
    const int rc = sqlite3_wal_checkpoint_v2(m_db.getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             nullptr, nullptr);
    if (rc == SQLITE_OK)
      ++m_completed;
  }
}

} // namespace reelfeed::store

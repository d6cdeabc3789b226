// Single and group commits of ingests. A group shares one transaction: under a burst (the
// first cycle of a thousand sources) most of a commit's cost is pages that every feed
// touches -- the leaves of the URL and identity indexes, the story table's tail, the WAL
// frame headers -- and a group writes each of them once instead of once per feed. Each
// item runs in a savepoint, so an item is still all-or-nothing.

#include <sqlite3.h>

#include "store/store_impl.hpp"

namespace reelfeed::store {

IngestResult Store::Impl::ingest_one(const std::string& source,
                                     const Feed& feed,
                                     const std::vector<PreparedEntry>& prepared,
                                     const SourceStatus& status,
                                     Timestamp now,
                                     const Decided& decided) {
  start_write("ingest");
  try {
    SQLite::Transaction tx(m_db, SQLite::TransactionBehavior::IMMEDIATE);
    check_foreign_writes();
    auto result = ingest_in_tx(source, feed, prepared, status, now, decided);
    tx.commit();
    return result;
  } catch (...) {
    forget_uncommitted();
    throw;
  }
}

std::vector<GroupOutcome> Store::ingest_group(const std::vector<GroupItem>& items,
                                              Timestamp now,
                                              const std::function<void(std::size_t)>& item_done,
                                              std::stop_token stop) {
  Impl& impl = *m_impl;
  impl.start_write("ingest");
  std::vector<GroupOutcome> out(items.size());
  // Items [open, next) are in the open transaction: a lost transaction takes them all.
  std::size_t open = 0;
  std::size_t next = 0;
  // Items of [from, to) that were not already failed: those before `next` were stored
  // and are now rolled back with the transaction, the rest never got in.
  const auto fail = [&](std::size_t from, std::size_t to, const std::string& why) {
    for (std::size_t j = from; j < to; ++j)
      if (out[j].ok()) {
        out[j].result = {};
        out[j].error = j < next ? "rolled back with its group: " + why : why;
      }
    impl.forget_uncommitted();
  };
  try {
    std::optional<SQLite::Transaction> tx;
    tx.emplace(impl.m_db, SQLite::TransactionBehavior::IMMEDIATE);
    impl.check_foreign_writes();
    for (; next < items.size(); ++next) {
      const GroupItem& item = items[next];
      if (stop.stop_requested()) {
        // Between two feeds: what is in commits below, the rest is left for the next run.
        for (std::size_t j = next; j < items.size(); ++j) {
          out[j].error = "not stored: stopping";
          out[j].interrupted = true;
          if (item_done)
            item_done(j);
        }
        break;
      }
      impl.m_db.exec("SAVEPOINT item");
      try {
        if (item.prepared) {
          const Prepared& p = *item.prepared;
          out[next].result =
              impl.ingest_in_tx(item.status->name, p.feed, p.entries, *item.status, now,
                                {p.decisions, p.rules_fingerprint}, item.max_new_entries);
        } else {
          impl.save_status_in_tx(*item.status);
        }
        impl.m_db.exec("RELEASE item");
      } catch (const std::exception& e) {
        out[next].result = {};
        out[next].error = e.what();
        impl.forget_uncommitted();
        if (sqlite3_get_autocommit(impl.m_db.getHandle()) != 0) {
          // SQLite rolled the whole transaction back (it may on SQLITE_FULL or an I/O
          // error): the items before this one are gone too. Start over after it.
          fail(open, next, e.what());
          tx.reset(); // (its ROLLBACK fails quietly: nothing is open)
          open = next + 1;
          tx.emplace(impl.m_db, SQLite::TransactionBehavior::IMMEDIATE);
          impl.check_foreign_writes();
        } else {
          impl.m_db.exec("ROLLBACK TO item");
          impl.m_db.exec("RELEASE item");
        }
      }
      if (item_done)
        item_done(next);
    }
    tx->commit();
  } catch (const std::exception& e) {
    fail(open, items.size(), e.what());
  }
  return out;
}

} // namespace reelfeed::store

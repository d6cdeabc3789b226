#pragma once
// The one owner of the SQLite database (WAL, versioned schema). Synchronous and not
// thread-safe: the daemon calls it from a single thread (its store strand). Every
// ingest is one transaction, so a crash loses nothing that was committed.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

/// Why an entry is where it is (`reelfeed explain`).
struct Explanation {
  std::int64_t entry_id = 0;
  std::string source;
  Entry entry;
  Story story;
  std::vector<std::string> join_reasons; ///< per outlet: "same canonical URL", "similarity 0.82"
  std::vector<Decision> decisions;       ///< latest decision per topic
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
  IngestResult
  ingest(const std::string& source, const Feed& feed, const SourceStatus& status, Timestamp now);

  /// Stories with any sighting published (or first seen) at or after `since`, newest
  /// first, at most `limit`.
  [[nodiscard]] std::vector<Story> stories(Timestamp since, int limit);

  void save_decisions(const std::vector<std::pair<std::int64_t, Decision>>& decisions);

  [[nodiscard]] std::optional<Explanation> explain(const std::string& url_or_id);

  /// Retention: by age and by count per source, never an entry of the latest fetch;
  /// pruned stories leave tombstones so they never return as new.
  void prune(Timestamp older_than, int max_per_source);

private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace reelfeed::store

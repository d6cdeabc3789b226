#pragma once
// The configuration as plain values. Loaded from TOML by load.hpp; every other stage
// receives the parts it needs by value and never sees TOML.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/topics.hpp"
#include "model/time.hpp"

namespace reelfeed::config {

struct SourceConfig {
  std::string name;                ///< unique; the source's key in the store
  std::string url;                 ///< http, https or absolute file:/// (relative resolved)
  std::optional<Seconds> interval; ///< overrides [poll] interval
  bool enabled = true;
  std::vector<std::string> tags; ///< e.g. "entertainment", "tech": filter priors
  /// Minutes east of UTC of the feed's dates that name no zone (feedparser, and the default,
  /// read them as UTC).
  int utc_offset_minutes = 0;
  /// Character set the feed is read in, whatever its server or declaration say (empty:
  /// detect). For servers that mislabel their feed.
  std::string encoding = {};
};

struct StorageConfig {
  std::filesystem::path path = "reelfeed.db"; ///< resolved against the config's folder
  Seconds retain = std::chrono::days{90};
  int max_entries_per_source = 2000;
  /// SQLite page cache of the store's connection (key cache_size). The look-ups that
  /// need speed go to in-memory indexes; the cache holds the pages every commit touches
  /// (the tails of the tables, the decisions index) and the stories a publish reads.
  std::uint64_t cache_bytes = 8ull << 20;
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080; ///< 0 = any free port (tests)
  /// Public URL for self links, no trailing '/'. Default http://host:port (a wildcard host
  /// becomes localhost); empty when port is 0: the server derives it after bind.
  std::string base_url;
  /// The editor's view (/topics/NAME/review, what the rules nearly took or dropped) is
  /// served only on this second listener, a loopback address; unset (the default): not at
  /// all. Never on `listen`, so it cannot leak through the public listener or a proxy of it.
  std::optional<std::string> review_host;
  std::uint16_t review_port = 0; ///< with review_host; 0 = any free port (tests)
};

struct PollConfig {
  Seconds interval = std::chrono::minutes{30};
  Seconds min_interval = std::chrono::minutes{5}; ///< feed hints never go below this
  Seconds max_interval = std::chrono::hours{24};  ///< nor above this
  Seconds timeout = std::chrono::seconds{30};     ///< total per transfer
  Seconds connect_timeout = std::chrono::seconds{10};
  std::uint64_t max_body_bytes = 16ull << 20; ///< key max_body_size; after decompression
  int max_concurrent = 32;
  int max_per_host = 4;
  int max_redirects = 5;
  /// What a 429/503 Retry-After holds back: the source (default), every source on its host, or
  /// every source on its registrable domain (*.tumblr.com share one).
  enum class RetryAfterScope { source, host, domain };
  RetryAfterScope retry_after_scope = RetryAfterScope::source;
  std::string user_agent; ///< default names reelfeed + version + URL
  /// A redirect may lead from a public address to a loopback, private, link-local or
  /// unspecified one (off: refused, against server-side request forgery).
  bool allow_private_redirects = false;
  /// Most new items one fetch of one source may add, the newest by date; the rest wait for
  /// the next poll. 5x the largest real feed in the test corpora (100 items): a big first
  /// fetch fits, a source that floods 100,000 items adds 500 per poll.
  int max_items_per_fetch = 500;
};

struct OutputConfig {
  std::string title = "AI in Hollywood";
  int max_items = 100;
  Seconds max_age = std::chrono::days{30};
  /// WebSub hub (an http(s) URL) named in every feed; after a publish that changed a feed,
  /// the hub is told so (a "publish" ping). Empty: none.
  std::string websub_hub;
};

struct DedupConfig {
  Seconds window = std::chrono::days{3}; ///< near-duplicates only join within this window
  double similarity = 0.6;               ///< copies: Jaccard estimate over title+lede shingles
  /// Independent reports of one event: the event score at which a report joins a story
  /// (store/event_index.hpp); 1 turns event clustering off.
  double event_similarity = 0.11;
};

struct Config {
  std::filesystem::path file; ///< where it was loaded from
  StorageConfig storage;
  ServerConfig server;
  PollConfig poll;
  OutputConfig output;
  DedupConfig dedup;
  std::vector<SourceConfig> sources;
  std::vector<TopicConfig> topics; ///< the first topic is served at /feed.atom
};

} // namespace reelfeed::config

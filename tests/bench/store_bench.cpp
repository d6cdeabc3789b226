// Store throughput and clustering cost, next to a bare SQLite insert loop of the same rows.
//
//   cmake -S . -B build-x -G Ninja -DREELFEED_BUILD_BENCH=ON && cmake --build build-x --target
//   store_bench build-x/tests/bench/store_bench --benchmark_counters_tabular=true
// tests/bench/store_bench.sh BUILD_DIR runs the ingest benchmarks one process each and
// prints the ratios bare insert loop / Store ingest.
//
// Each iteration stores one feed of 50 new entries in one transaction (a lone poll), or
// 20 such feeds in one group commit (the daemon under a burst), into a database that already holds
// `stored` entries. "Wire" feeds carry near-duplicates (same title + lede, other outlet and URL) of
// stored entries, so every entry goes through LSH look-ups and similarity checks and joins a story.

#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "dedup/dedup.hpp"
#include "store/store.hpp"
#include "store/store_impl.hpp"

namespace {

using namespace reelfeed;
constexpr int k_batch = 50;
constexpr int k_sources = 20;

Timestamp base_time() {
  return Timestamp{std::chrono::seconds{1'790'000'000}};
}

/// Deterministic, news-like text. Words follow Zipf's law over a vocabulary large enough
/// to have a long tail (a headline's rare words stay rare as the store grows, as in real
/// news); each story names people or companies drawn, again by Zipf's law, from a far larger
/// pool of capitalised names, and gives a figure. So two reports of one story share its
/// names and figure, and a look-up by distinctive terms finds few entries at any size.
class TextGen {
public:
  explicit TextGen(unsigned seed) : m_rng(seed) {}
  std::string words(int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
      out += (i ? " " : "") + word(zipf(k_vocabulary), false);
    return out;
  }
  /// A capitalised name from the pool.
  std::string name() { return word(k_vocabulary + zipf(k_names), true); }
  /// A figure, as a headline gives it.
  std::string figure() {
    return "$" + std::to_string(1 + m_rng() % 900) + (m_rng() % 2 ? " million" : " billion");
  }

private:
  static constexpr std::uint32_t k_vocabulary = 60'000;
  static constexpr std::uint32_t k_names = 400'000;
  /// A rank in [0, n) with probability about proportional to 1 / (rank + 1).
  std::uint32_t zipf(std::uint32_t n) {
    const double u = std::uniform_real_distribution<double>(0, 1)(m_rng);
    const auto r = static_cast<std::uint32_t>(std::exp(u * std::log(n + 1.0))) - 1;
    return std::min(r, n - 1);
  }
  /// Word `i`: its digits in base 20, one syllable each (distinct words for distinct i).
  static std::string word(std::uint32_t i, bool capital) {
    static constexpr const char* syl[] = {"ka", "lo",  "mi",  "ne",  "ru",  "sa",  "ti",
                                          "vo", "da",  "pe",  "gri", "stu", "dio", "ac",
                                          "or", "fil", "ser", "bu",  "ai",  "ban"};
    std::string w;
    for (std::uint32_t x = i + 400; x != 0; x /= 20)
      w += syl[x % 20];
    if (capital)
      w[0] = static_cast<char>(w[0] - 'a' + 'A');
    return w;
  }
  std::mt19937 m_rng;
};

Entry make_entry(TextGen& gen, long n, Timestamp t) {
  Entry e;
  e.id = "urn:bench:" + std::to_string(n);
  const std::string name = gen.name();
  e.title = gen.words(2) + " " + name + " " + gen.figure() + " " + gen.words(5);
  e.link = "https://outlet" + std::to_string(n % k_sources) + ".example/2026/news/story-" +
           std::to_string(n) + "/?utm_source=rss";
  e.published = t;
  e.author = "Staff";
  e.summary =
      "<p>" + gen.words(3) + " " + name + " and " + gen.name() + " " + gen.words(36) + "</p>";
  e.content = "<p>" + gen.words(100) + "</p>";
  e.categories = {"Film", "TV"};
  return e;
}

/// The stored corpus spans k_span; entry n of a corpus of `stored` is published at
/// time_of(stored, n), and the timed benchmarks' new entries go on at the same rate, so
/// a 4-day LSH bucket holds as many entries during the timed run as in the corpus.
const auto k_span = std::chrono::hours{24 * 100};
Timestamp time_of(long stored, long n) {
  return base_time() + std::chrono::duration_cast<Seconds>(k_span * n / std::max(stored, 1L));
}

/// One feed of k_batch new entries numbered from `next` (advanced).
Feed new_feed(TextGen& gen, long& next, long stored) {
  Feed f;
  for (int k = 0; k < k_batch; ++k, ++next)
    f.entries.push_back(make_entry(gen, next, time_of(stored, next)));
  return f;
}

struct Corpus {
  std::filesystem::path dir;
  std::unique_ptr<store::Store> store;
  long stored = 0;
  long next = 0;
  /// Feed new_feed(gen, c) next, then ingest at c.now(): an hour after its newest entry.
  [[nodiscard]] Timestamp now() const { return time_of(stored, next) + std::chrono::hours{1}; }
};

Feed new_feed(TextGen& gen, Corpus& c) {
  return new_feed(gen, c.next, c.stored);
}

/// Stores are built once per size and process: `stored` entries over 100 days.
Corpus& corpus(long stored) {
  static std::map<long, Corpus> cache;
  auto& c = cache[stored];
  if (c.store)
    return c;
  c.dir =
      std::filesystem::temp_directory_path() / ("reelfeed-store-bench-" + std::to_string(stored));
  std::filesystem::remove_all(c.dir);
  std::filesystem::create_directories(c.dir);
  c.store = std::make_unique<store::Store>(c.dir / "r.db");
  c.stored = stored;
  TextGen gen(42);
  for (long n = 0; n < stored; n += k_batch) {
    Feed f;
    for (long k = n; k < std::min(stored, n + k_batch); ++k)
      f.entries.push_back(make_entry(gen, k, time_of(stored, k)));
    SourceStatus st;
    st.name = "src" + std::to_string((n / k_batch) % k_sources);
    c.store->ingest(st.name, f, st, base_time() + k_span);
  }
  c.next = stored;
  return c;
}

void BM_StoreIngestNew(benchmark::State& state) {
  auto& c = corpus(state.range(0));
  TextGen gen(static_cast<unsigned>(7 + c.next));
  for (auto _ : state) {
    state.PauseTiming();
    Feed f = new_feed(gen, c);
    SourceStatus st;
    st.name = "src" + std::to_string(c.next % k_sources);
    state.ResumeTiming();
    benchmark::DoNotOptimize(c.store->ingest(st.name, f, st, c.now()));
  }
  state.SetItemsProcessed(state.iterations() * k_batch);
}

/// The store thread's share: the same feeds as BM_StoreIngestNew, prepared (untimed, as
/// the daemon's CPU pool does) before the timed Store::ingest(Prepared).
void BM_StoreIngestPrepared(benchmark::State& state) {
  auto& c = corpus(state.range(0));
  TextGen gen(static_cast<unsigned>(13 + c.next));
  for (auto _ : state) {
    state.PauseTiming();
    const auto prepared = store::prepare(new_feed(gen, c));
    SourceStatus st;
    st.name = "src" + std::to_string(c.next % k_sources);
    state.ResumeTiming();
    benchmark::DoNotOptimize(c.store->ingest(st.name, prepared, st, c.now()));
  }
  state.SetItemsProcessed(state.iterations() * k_batch);
}

/// Group commit, as the daemon's store thread does under a burst: k_group feeds of 50 new
/// entries from different sources, prepared untimed, then one timed Store::ingest_group
/// (one transaction, a savepoint per feed). Compare with BM_BareSqliteInsertGroup.
constexpr int k_group = 20;
void BM_StoreIngestGroup(benchmark::State& state) {
  auto& c = corpus(state.range(0));
  TextGen gen(static_cast<unsigned>(19 + c.next));
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<store::Prepared> feeds;
    std::vector<SourceStatus> statuses(k_group);
    for (int g = 0; g < k_group; ++g) {
      feeds.push_back(store::prepare(new_feed(gen, c)));
      statuses[static_cast<std::size_t>(g)].name = "src" + std::to_string(g % k_sources);
    }
    std::vector<store::GroupItem> items;
    for (std::size_t g = 0; g < feeds.size(); ++g)
      items.push_back({&feeds[g], &statuses[g]});
    state.ResumeTiming();
    const auto out = c.store->ingest_group(items, c.now());
    for (const auto& o : out)
      if (!o.ok())
        state.SkipWithError(o.error.c_str());
  }
  state.SetItemsProcessed(state.iterations() * k_batch * k_group);
}

/// A re-fetched feed whose 50 items are all stored already (a poll's usual case when the
/// server ignores conditional requests): identity look-ups and hash compares, no writes
/// but the fetch record and the source's status.
void BM_StoreIngestUnchanged(benchmark::State& state) {
  auto& c = corpus(state.range(0));
  TextGen gen(static_cast<unsigned>(17 + c.next));
  const Feed f = new_feed(gen, c);
  SourceStatus st;
  st.name = "src" + std::to_string(c.next % k_sources);
  const auto prepared = store::prepare(f);
  c.store->ingest(st.name, prepared, st, c.now());
  for (auto _ : state)
    benchmark::DoNotOptimize(c.store->ingest(st.name, prepared, st, c.now()));
  state.SetItemsProcessed(state.iterations() * k_batch);
}

/// The CPU pool's share: store::prepare() of one 50-entry feed (no database).
void BM_Prepare(benchmark::State& state) {
  TextGen gen(5);
  Feed f;
  for (int k = 0; k < k_batch; ++k)
    f.entries.push_back(make_entry(gen, k, base_time()));
  for (auto _ : state)
    benchmark::DoNotOptimize(store::prepare(f));
  state.SetItemsProcessed(state.iterations() * k_batch);
}

/// Untimed: one outlet publishes 50 new stories. Timed: another outlet (`follower`) reports
/// each of them again, as `report` rewrites it; joined_pct says how many joined their story.
template <typename Report>
void bench_followers(benchmark::State& state, unsigned seed, const char* follower, Report report) {
  auto& c = corpus(state.range(0));
  TextGen gen(static_cast<unsigned>(seed + c.next));
  long joined = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const Feed originals = new_feed(gen, c);
    SourceStatus st;
    st.name = "src" + std::to_string(c.next % k_sources);
    c.store->ingest(st.name, originals, st, c.now());
    Feed f;
    for (const auto& o : originals.entries)
      f.entries.push_back(report(o, gen));
    st.name = follower;
    state.ResumeTiming();
    const auto r = c.store->ingest(st.name, f, st, c.now());
    joined += r.joined_stories;
  }
  state.SetItemsProcessed(state.iterations() * k_batch);
  state.counters["joined_pct"] =
      100.0 * static_cast<double>(joined) / static_cast<double>(state.iterations() * k_batch);
}

/// Wire copies (decorated titles, other URLs), each of which must be found through the LSH
/// index.
void BM_StoreIngestWireCopies(benchmark::State& state) {
  bench_followers(state, 11, "wire", [](const Entry& o, TextGen&) {
    Entry e = o;
    e.id = "urn:wire:" + o.id;
    e.title = "EXCLUSIVE: " + o.title + " | Wire";
    e.link = "https://wire.example/" + e.id;
    return e;
  });
}

/// Independent coverage: another outlet's own report of each story, with a headline of its
/// own (half the original's words plus new ones) and a lede of its own that repeats a few
/// of the original's words. No copy is similar enough for the LSH path; each report is
/// found, or not, by the event index alone.
void BM_StoreIngestCoverage(benchmark::State& state) {
  bench_followers(state, 23, "coverage", [](const Entry& o, TextGen& gen) {
    Entry e = o;
    e.id = "urn:coverage:" + o.id;
    e.title = gen.words(4) + " " + o.title.substr(0, o.title.size() / 2);
    e.summary = "<p>" + gen.words(12) + " " + o.summary.substr(3, 60) + "</p>";
    e.content.clear();
    e.link = "https://coverage.example/" + e.id;
    e.published = *o.published + std::chrono::hours{2};
    return e;
  });
}

/// The baseline: the same rows and columns into one plain table, one transaction per
/// batch, same PRAGMAs as Store, no identity look-ups, no clustering, no secondary indexes.
void bare_insert(benchmark::State& state, int rows_per_tx) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("reelfeed-bare-bench-" + std::to_string(state.range(0)));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  SQLite::Database db((dir / "bare.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  // The PRAGMAs Store sets (src/store/store.cpp, schema.cpp), so only the work differs.
  db.exec("PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL; "
          "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384; "
          "PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 8192; "
          "PRAGMA journal_size_limit = 67108864;");
  db.exec("CREATE TABLE entries (id INTEGER PRIMARY KEY, source_id INTEGER, identity TEXT, "
          "guid TEXT, link TEXT, canonical_url TEXT, title TEXT, author TEXT, summary TEXT, "
          "content TEXT, categories TEXT, published INTEGER, first_seen INTEGER, sig BLOB)");
  SQLite::Statement ins(db, "INSERT INTO entries(source_id, identity, guid, link, canonical_url, "
                            "title, author, summary, content, categories, published, first_seen, "
                            "sig) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
  TextGen gen(42);
  const std::string sig(128, 'x');
  long n = 0;
  const auto insert_batch = [&](const std::vector<Entry>& rows) {
    SQLite::Transaction tx(db);
    for (const auto& e : rows) {
      ins.bind(1, static_cast<std::int64_t>(n % k_sources));
      ins.bind(2, "g:" + e.id);
      ins.bind(3, e.id);
      ins.bind(4, e.link);
      ins.bind(5, e.link);
      ins.bind(6, e.title);
      ins.bind(7, e.author);
      ins.bind(8, e.summary);
      ins.bind(9, e.content);
      ins.bind(10, "[\"Film\",\"TV\"]");
      ins.bind(11, static_cast<std::int64_t>(e.published->time_since_epoch().count()));
      ins.bind(12, static_cast<std::int64_t>(e.published->time_since_epoch().count()));
      ins.bind(13, sig.data(), static_cast<int>(sig.size()));
      ins.exec();
      ins.reset();
    }
    tx.commit();
  };
  for (; n < state.range(0);) {
    std::vector<Entry> rows;
    for (int k = 0; k < k_batch; ++k, ++n)
      rows.push_back(make_entry(gen, n, base_time()));
    insert_batch(rows);
  }
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Entry> rows;
    for (int k = 0; k < rows_per_tx; ++k, ++n)
      rows.push_back(make_entry(gen, n, base_time()));
    state.ResumeTiming();
    insert_batch(rows);
  }
  state.SetItemsProcessed(state.iterations() * rows_per_tx);
  std::filesystem::remove_all(dir);
}

/// One feed's rows per transaction, as Store::ingest.
void BM_BareSqliteInsert(benchmark::State& state) {
  bare_insert(state, k_batch);
}

/// k_group feeds' rows per transaction, as Store::ingest_group.
void BM_BareSqliteInsertGroup(benchmark::State& state) {
  bare_insert(state, k_batch * k_group);
}

/// Informational, not the floor the ratios use: the rows one new entry costs in reelfeed's own
/// schema (an entries row with its indexes, a stories row, an lsh row; a fetches row per
/// feed), written by a bare loop: no look-ups, no identity rules, no clustering. The gap
/// between this and BM_BareSqliteInsertGroup is the schema's cost; the gap between this and
/// BM_StoreIngestGroup is the ingest logic's.
void BM_BareSchemaInsertGroup(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("reelfeed-schema-bench-" + std::to_string(state.range(0)));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "schema.db";
  { store::Store create(path); } // the current schema, migrated
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
  db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384; "
          "PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 8192; "
          "PRAGMA journal_size_limit = 67108864;");
  for (int k = 0; k < k_sources; ++k)
    db.exec("INSERT INTO sources(name) VALUES ('src" + std::to_string(k) + "')");
  SQLite::Statement story(db, "INSERT INTO stories(id, rep_entry_id, link, published, updated, "
                              "last_activity) VALUES (?1, ?1, ?2, ?3, ?3, ?3)");
  SQLite::Statement entry(
      db, "INSERT INTO entries(id, source_id, story_id, identity, guid, link, canonical_url, "
          "title, author, summary, content, categories, enclosures, published, first_seen, "
          "last_seen, sort_time, last_fetch_id, content_hash, sig, join_reason) VALUES "
          "(?1, ?2, ?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '[]', ?12, ?12, ?12, ?12, ?13, "
          "?14, ?15, '')");
  SQLite::Statement lsh(db, "INSERT INTO lsh(key, entry_id, t, bands, url_key, id_key, "
                            "source_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement fetch(db, "INSERT INTO fetches(source_id, at, http_status, entries) "
                              "VALUES (?, ?, 200, ?)");
  TextGen gen(23);
  const std::string bands(40, 'b');
  long n = 0;
  const auto insert_group = [&](const std::vector<store::Prepared>& feeds) {
    SQLite::Transaction tx(db);
    for (const auto& f : feeds) {
      const auto source = 1 + n % k_sources;
      fetch.bind(1, static_cast<std::int64_t>(source));
      fetch.bind(2, static_cast<std::int64_t>(n));
      fetch.bind(3, static_cast<std::int64_t>(f.feed.entries.size()));
      fetch.exec();
      fetch.reset();
      const auto fetch_id = db.getLastInsertRowid();
      for (std::size_t i = 0; i < f.feed.entries.size(); ++i, ++n) {
        const Entry& e = f.feed.entries[i];
        const store::PreparedEntry& p = f.entries[i];
        const auto id = static_cast<std::int64_t>(n + 1);
        const auto t = static_cast<std::int64_t>(e.published->time_since_epoch().count());
        story.bind(1, id);
        story.bindNoCopy(2, p.canonical_url);
        story.bind(3, t);
        story.exec();
        story.reset();
        entry.bind(1, id);
        entry.bind(2, static_cast<std::int64_t>(source));
        entry.bindNoCopy(3, p.guid_key);
        entry.bindNoCopy(4, e.id);
        entry.bindNoCopy(5, e.link);
        entry.bindNoCopy(6, p.canonical_url);
        entry.bindNoCopy(7, e.title);
        entry.bindNoCopy(8, e.author);
        entry.bindNoCopy(9, e.summary);
        entry.bindNoCopy(10, e.content);
        entry.bindNoCopy(11, p.categories_json);
        entry.bind(12, t);
        entry.bind(13, fetch_id);
        entry.bind(14, static_cast<std::int64_t>(p.content_hash));
        entry.bind(15, std::string(128, 's'));
        entry.exec();
        entry.reset();
        lsh.bind(1, store::lsh_key(t / store::k_bucket_seconds, id));
        lsh.bind(2, id);
        lsh.bind(3, t);
        lsh.bindNoCopy(4, bands.data(), static_cast<int>(bands.size()));
        lsh.bind(5, static_cast<std::int64_t>(
                        store::HashIndex::key_of(p.canonical_url.data(), p.canonical_url.size())));
        lsh.bind(6, static_cast<std::int64_t>(
                        store::HashIndex::key_of(static_cast<std::int64_t>(source), p.guid_key)));
        lsh.bind(7, static_cast<std::int64_t>(source));
        lsh.exec();
        lsh.reset();
      }
    }
    tx.commit();
  };
  const auto make_group = [&](int feeds_n) {
    std::vector<store::Prepared> feeds;
    long next = n; // (insert_group advances n as it stores them)
    for (int g = 0; g < feeds_n; ++g)
      feeds.push_back(store::prepare(new_feed(gen, next, state.range(0))));
    return feeds;
  };
  while (n < state.range(0))
    insert_group(make_group(1));
  for (auto _ : state) {
    state.PauseTiming();
    const auto feeds = make_group(k_group);
    state.ResumeTiming();
    insert_group(feeds);
  }
  state.SetItemsProcessed(state.iterations() * k_batch * k_group);
  std::filesystem::remove_all(dir);
}

/// Memory of the event index: one time bucket holding `range(0)` entries of the corpus,
/// weighted with the statistics of those entries; bytes_per_entry is what every entry of a
/// loaded bucket costs (at most 8 buckets are loaded).
void BM_EventIndexBytes(benchmark::State& state) {
  TextGen gen(29);
  dedup::EventTermizer termizer;
  std::vector<store::EventDoc> docs;
  store::TermStats stats;
  for (long n = 0; n < state.range(0); ++n) {
    const auto e = make_entry(gen, n, time_of(state.range(0), n));
    docs.push_back({n + 1, store::to_db(*e.published), n + 1, n % k_sources, termizer.terms(e)});
    stats.add(docs.back().terms);
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    store::EventBucket b;
    for (const auto& d : docs)
      b.add(d, stats);
    bytes = b.bytes();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["bytes_per_entry"] = static_cast<double>(bytes) / static_cast<double>(docs.size());
}

void BM_Signature(benchmark::State& state) {
  TextGen gen(3);
  const auto e = make_entry(gen, 1, base_time());
  for (auto _ : state)
    benchmark::DoNotOptimize(dedup::signature(e));
  state.SetItemsProcessed(state.iterations());
}

void BM_CanonicalUrl(benchmark::State& state) {
  const std::string url = "http://amp.variety.com/2026/film/news/sag-aftra-ai-deal-1236/amp/"
                          "?utm_source=rss&utm_medium=feed&fbclid=abc&id=7#comments";
  for (auto _ : state)
    benchmark::DoNotOptimize(dedup::canonical_url(url));
  state.SetItemsProcessed(state.iterations());
}

/// Retention by age on the corpus (which spans 100 days): each iteration prunes one more
/// day of it, 1% of the entries and their stories. Per entry deleted the cost must not
/// grow with the number stored. (Runs last: it empties the start of the shared corpus.)
void BM_StorePrune(benchmark::State& state) {
  auto& c = corpus(state.range(0));
  long day = 0;
  for (auto _ : state) {
    ++day;
    c.store->prune(base_time() + std::chrono::hours{24 * day}, 0);
  }
  state.SetItemsProcessed(day * c.stored / 100);
}

/// Start-up: a store of `stored` entries opened, and its first look-up by URL answered,
/// which loads the URL and identity indexes (a daemon's first poll does the same).
void BM_StoreOpen(benchmark::State& state) {
  auto& c = corpus(state.range(0));
  const std::string url = c.store->explain("urn:bench:3")->entry.link;
  for (auto _ : state) {
    store::Store s(c.dir / "r.db");
    benchmark::DoNotOptimize(s.explain(url));
  }
}

/// `reelfeed explain URL` on an open store: one hash look-up and the story's rows.
void BM_Explain(benchmark::State& state) {
  auto& c = corpus(state.range(0));
  std::mt19937 rng(3);
  std::vector<std::string> urls;
  for (int k = 0; k < 64; ++k) {
    const long n = static_cast<long>(rng() % static_cast<unsigned>(c.stored));
    urls.push_back(c.store->explain("urn:bench:" + std::to_string(n))->entry.link);
  }
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(c.store->explain(urls[i++ % urls.size()]));
}

/// Takes every queued story off the queue without deciding it (the corpus's own queue).
void settle_all(store::Store& s) {
  for (auto ids = s.changed_stories(0, 10000); !ids.empty(); ids = s.changed_stories(0, 10000))
    s.settle(ids, {});
}

/// A publish's store side after one feed of k_batch new entries: read the queued stories,
/// save a decision for each, and read the topic's newest 100 published stories.
void BM_PublishChanges(benchmark::State& state) {
  auto& c = corpus(state.range(0));
  settle_all(*c.store);
  TextGen gen(static_cast<unsigned>(23 + c.next));
  SourceStatus st;
  st.name = "src0";
  long stories = 0;
  for (auto _ : state) {
    state.PauseTiming();
    c.store->ingest(st.name, new_feed(gen, c), st, c.now());
    state.ResumeTiming();
    for (auto ids = c.store->changed_stories(0, 256); !ids.empty();
         ids = c.store->changed_stories(ids.back(), 256)) {
      std::vector<std::pair<std::int64_t, Decision>> decisions;
      for (const Story& story : c.store->stories_by_id(ids)) {
        Decision d;
        d.topic = "t";
        d.published = story.id % 4 == 0;
        decisions.emplace_back(story.id, std::move(d));
      }
      c.store->settle(ids, decisions);
      stories += static_cast<long>(ids.size());
    }
    benchmark::DoNotOptimize(
        c.store->published_stories("t", c.now() - std::chrono::hours{24 * 30}, 100));
  }
  state.counters["stories"] =
      benchmark::Counter(static_cast<double>(stories), benchmark::Counter::kAvgIterations);
}

/// Up to a million stored entries: start-up, publish, explain, retention and ingest per
/// new entry must stay flat or logarithmic in the store's size (run one size per process:
/// tests/bench/store_bench.sh scale).
void stored_sizes(benchmark::internal::Benchmark* b,
                  std::initializer_list<long> sizes,
                  double min_s) {
  for (long n : sizes)
    b->Arg(n);
  b->ArgName("stored")->Unit(benchmark::kMicrosecond)->MinTime(min_s);
}
void scale(benchmark::internal::Benchmark* b) {
  stored_sizes(b, {10'000L, 100'000L, 1'000'000L}, 1.0);
}
BENCHMARK(BM_StoreOpen)->Apply(scale);
BENCHMARK(BM_Explain)->Apply(scale);
BENCHMARK(BM_PublishChanges)->Apply(scale);

void sizes(benchmark::internal::Benchmark* b) {
  stored_sizes(b, {1'000L, 10'000L, 100'000L}, 2.0);
}

BENCHMARK(BM_BareSqliteInsert)->Apply(sizes);
BENCHMARK(BM_BareSqliteInsertGroup)->Apply(sizes);
BENCHMARK(BM_StoreIngestGroup)->Apply(sizes);
BENCHMARK(BM_BareSchemaInsertGroup)->Apply(sizes);
BENCHMARK(BM_StoreIngestNew)->Apply(sizes)->Arg(1'000'000);
BENCHMARK(BM_StoreIngestPrepared)->Apply(sizes);
BENCHMARK(BM_StoreIngestWireCopies)->Apply(sizes);
BENCHMARK(BM_StoreIngestUnchanged)->Apply(sizes);
BENCHMARK(BM_StoreIngestCoverage)->Apply(sizes);
// Clustering cost per new item must stay flat as the store grows: the same at 1M stored.
BENCHMARK(BM_StoreIngestCoverage)
    ->ArgName("stored")
    ->Arg(1'000'000)
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(2.0);
BENCHMARK(BM_Prepare);
BENCHMARK(BM_EventIndexBytes)->Arg(4'000)->Arg(40'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Signature);
BENCHMARK(BM_CanonicalUrl);
// (Not at 1,000 stored: every entry is then in its source's latest fetch, never pruned.)
BENCHMARK(BM_StorePrune)
    ->ArgName("stored")
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20);

} // namespace

BENCHMARK_MAIN();

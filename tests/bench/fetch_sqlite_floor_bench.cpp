// Floor: a bare SQLite insert loop of the corpus's rows (one row per item: guid, link,
// title, published, summary, content), WAL, synchronous=NORMAL, one transaction per feed.
// Extraction with pugixml happens before the clock starts.
//   fetch_sqlite_floor_bench CORPUS_DIR DB_PATH

#include "fetch_bench_util.hpp"

#include <filesystem>

#include <pugixml.hpp>
#include <sqlite3.h>

namespace {

struct Row {
  std::string guid, link, title, published, summary, content;
};

std::vector<Row> extract(const std::string& xml) {
  std::vector<Row> rows;
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) {
    return rows;
  }
  const pugi::xml_node root = doc.first_child();
  const bool atom = std::string(root.name()) == "feed";
  const pugi::xml_node parent = atom ? root : root.child("channel");
  for (const pugi::xml_node item : parent.children(atom ? "entry" : "item")) {
    Row r;
    r.title = item.child_value("title");
    if (atom) {
      r.guid = item.child_value("id");
      r.link = item.child("link").attribute("href").value();
      r.published = item.child_value("updated");
      r.summary = item.child_value("summary");
      r.content = item.child_value("content");
    } else {
      r.guid = item.child_value("guid");
      r.link = item.child_value("link");
      r.published = item.child_value("pubDate");
      r.summary = item.child_value("description");
      r.content = item.child_value("content:encoded");
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR DB_PATH\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  std::vector<std::vector<Row>> feeds;
  std::size_t total_rows = 0;
  for (const auto& rel : reelfeed::bench::read_lines(dir + "/list.txt")) {
    feeds.push_back(extract(reelfeed::bench::read_file(dir + "/" + rel)));
    total_rows += feeds.back().size();
  }
  std::filesystem::remove(argv[2]);
  const reelfeed::bench::Meter meter;
  sqlite3* db = nullptr;
  sqlite3_open(argv[2], &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
               "CREATE TABLE item(id INTEGER PRIMARY KEY, feed_id INTEGER, guid TEXT, link TEXT,"
               " title TEXT, published TEXT, summary TEXT, content TEXT,"
               " UNIQUE(feed_id, guid));",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO item(feed_id,guid,link,title,published,summary,content)"
                     " VALUES(?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                     -1, &ins, nullptr);
  for (std::size_t f = 0; f < feeds.size(); ++f) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (const Row& r : feeds[f]) {
      sqlite3_bind_int64(ins, 1, static_cast<sqlite3_int64>(f));
      int i = 2;
      for (const std::string* s :
           {&r.guid, &r.link, &r.title, &r.published, &r.summary, &r.content}) {
        sqlite3_bind_text(ins, i++, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
      }
      sqlite3_step(ins);
      sqlite3_reset(ins);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  sqlite3_finalize(ins);
  sqlite3_close(db);
  meter.report("sqlite_insert",
               "rows=" + std::to_string(total_rows) + " feeds=" + std::to_string(feeds.size()));
  return 0;
}

// Read side: stories for the filter/renderer and `reelfeed explain`. Works on a
// read-only connection beside the writing daemon.

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "store/store_impl.hpp"

namespace reelfeed::store {
namespace {

using nlohmann::json;

std::vector<std::string> string_list(const std::string& text) {
  std::vector<std::string> out;
  const json j = json::parse(text, nullptr, false);
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string())
        out.push_back(v.get<std::string>());
  return out;
}

std::vector<Enclosure> enclosure_list(const std::string& text) {
  std::vector<Enclosure> out;
  const json j = json::parse(text, nullptr, false);
  if (!j.is_array())
    return out;
  for (const auto& v : j) {
    Enclosure e;
    e.url = v.value("url", "");
    e.type = v.value("type", "");
    if (v.contains("length") && v["length"].is_number_integer())
      e.length = v["length"].get<std::int64_t>();
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<Timestamp> opt_ts(const SQLite::Column& c) {
  if (c.isNull())
    return std::nullopt;
  return from_db(c.getInt64());
}

constexpr const char* k_entry_columns =
    "e.id, s.name, e.guid, e.title, e.link, e.published, e.updated, e.author, e.summary, "
    "e.content, e.categories, e.enclosures, e.first_seen, s.tags, e.join_reason, e.join_entry_id ";

struct EntryRow {
  std::int64_t id = 0;
  std::string source;
  Entry entry;
  Timestamp first_seen{};
  std::vector<std::string> tags;
  std::string join_reason;
  std::int64_t join_entry = 0;
};

EntryRow read_entry(SQLite::Statement& q) {
  EntryRow r;
  r.id = q.getColumn(0).getInt64();
  r.source = q.getColumn(1).getString();
  r.entry.id = q.getColumn(2).getString();
  r.entry.title = q.getColumn(3).getString();
  r.entry.link = q.getColumn(4).getString();
  r.entry.published = opt_ts(q.getColumn(5));
  r.entry.updated = opt_ts(q.getColumn(6));
  r.entry.author = q.getColumn(7).getString();
  r.entry.summary = q.getColumn(8).getString();
  r.entry.content = q.getColumn(9).getString();
  r.entry.categories = string_list(q.getColumn(10).getString());
  r.entry.enclosures = enclosure_list(q.getColumn(11).getString());
  r.first_seen = from_db(q.getColumn(12).getInt64());
  r.tags = string_list(q.getColumn(13).getString());
  r.join_reason = q.getColumn(14).getString();
  if (!q.getColumn(15).isNull())
    r.join_entry = q.getColumn(15).getInt64();
  return r;
}

const std::string k_story_entries_sql =
    std::string("SELECT ") + k_entry_columns +
    "FROM entries e JOIN sources s ON s.id = e.source_id "
    "WHERE (e.story_id = ?1 AND e.join_entry_id IS NOT NULL) OR e.id = ?2 "
    "ORDER BY e.id = ?2 DESC, e.sort_time, e.id";

std::vector<EntryRow>
story_entries(SQLite::Statement& stmt, std::int64_t story_id, std::int64_t rep_id) {
  std::vector<EntryRow> rows;
  Use q(stmt);
  q->bind(1, story_id);
  q->bind(2, rep_id);
  while (q->executeStep())
    rows.push_back(read_entry(*q));
  return rows;
}

} // namespace

namespace {

struct StoryHead {
  std::int64_t id = 0;
  std::string uid;
  std::int64_t rep = 0;
  std::string link;
  Timestamp published{};
  Timestamp updated{};
};

// The uid is derived from the id (k_uid_prefix), never stored.
constexpr const char* k_head_columns =
    "id, 'urn:reelfeed:story:' || id, rep_entry_id, link, published, updated ";

StoryHead read_head(SQLite::Statement& q) {
  StoryHead h;
  h.id = q.getColumn(0).getInt64();
  h.uid = q.getColumn(1).getString();
  h.rep = q.getColumn(2).isNull() ? 0 : q.getColumn(2).getInt64();
  h.link = q.getColumn(3).getString();
  h.published = from_db(q.getColumn(4).getInt64());
  h.updated = from_db(q.getColumn(5).getInt64());
  return h;
}

/// rows: the story's sightings, representative first.
std::optional<Story> assemble(const StoryHead& h, const std::vector<EntryRow>& rows) {
  if (rows.empty())
    return std::nullopt;
  Story s;
  s.id = h.id;
  s.uid = h.uid;
  s.link = h.link;
  s.published = h.published;
  s.updated = h.updated;
  const auto& r = rows.front();
  s.title = r.entry.title;
  if (s.link.empty())
    s.link = r.entry.link;
  s.author = r.entry.author;
  s.summary = r.entry.summary;
  s.content = r.entry.content;
  s.categories = r.entry.categories;
  s.enclosures = r.entry.enclosures;
  std::set<std::string> tags;
  for (const auto& row : rows) {
    s.outlets.push_back(
        Outlet{row.id, row.source, row.entry.title, row.entry.link, row.entry.published});
    tags.insert(row.tags.begin(), row.tags.end());
  }
  s.source_tags.assign(tags.begin(), tags.end());
  return s;
}

// Above this many stories, one joined scan beats a query per story.
constexpr std::size_t k_bulk_threshold = 64;

} // namespace

std::optional<Story> Store::Impl::load_story(std::int64_t story_id) {
  StoryHead h;
  {
    Use q(stmt(std::string("SELECT ") + k_head_columns + "FROM stories WHERE id = ?"));
    q->bind(1, story_id);
    if (!q->executeStep())
      return std::nullopt;
    h = read_head(*q);
  }
  return assemble(h, story_entries(stmt(k_story_entries_sql), story_id, h.rep));
}

std::vector<Story> Store::Impl::stories(Timestamp since, int limit) {
  std::vector<StoryHead> heads;
  {
    Use q(stmt(std::string("SELECT ") + k_head_columns +
               "FROM stories WHERE last_activity >= ? ORDER BY published DESC, id DESC LIMIT ?"));
    q->bind(1, to_db(since));
    q->bind(2, limit < 0 ? -1 : limit);
    while (q->executeStep())
      heads.push_back(read_head(*q));
  }
  std::vector<Story> out;
  out.reserve(heads.size());
  if (heads.size() <= k_bulk_threshold) {
    for (const auto& h : heads)
      if (auto s = assemble(h, story_entries(stmt(k_story_entries_sql), h.id, h.rep)))
        out.push_back(std::move(*s));
    return out;
  }
  // One pass over the sightings of every story in range; texts only for representatives.
  std::unordered_map<std::int64_t, std::vector<EntryRow>> rows;
  for (const auto& h : heads)
    rows[h.id];
  {
    Use q(stmt("SELECT e.id, s.name, e.guid, e.title, e.link, e.published, e.updated, "
               "e.author, "
               "CASE WHEN e.id = st.rep_entry_id THEN e.summary ELSE '' END, "
               "CASE WHEN e.id = st.rep_entry_id THEN e.content ELSE '' END, "
               "e.categories, e.enclosures, e.first_seen, s.tags, e.join_reason, "
               "e.join_entry_id, e.story_id, e.id = st.rep_entry_id "
               "FROM stories st JOIN entries e ON (e.story_id = st.id AND "
               "e.join_entry_id IS NOT NULL) OR e.id = st.rep_entry_id "
               "JOIN sources s ON s.id = e.source_id WHERE st.last_activity >= ? "
               "ORDER BY e.story_id, e.sort_time, e.id"));
    q->bind(1, to_db(since));
    while (q->executeStep()) {
      const auto it = rows.find(q->getColumn(16).getInt64());
      if (it == rows.end())
        continue;
      auto row = read_entry(*q);
      if (q->getColumn(17).getInt() != 0)
        it->second.insert(it->second.begin(), std::move(row));
      else
        it->second.push_back(std::move(row));
    }
  }
  for (const auto& h : heads)
    if (auto s = assemble(h, rows[h.id]))
      out.push_back(std::move(*s));
  return out;
}

std::optional<Explanation> Store::Impl::explain(const std::string& q_in) {
  check_foreign_writes(); // the URL index must not miss another process's entries
  std::string q = q_in;
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.back())))
    q.pop_back();
  std::int64_t story_id = 0;
  std::int64_t entry_id = 0;
  const bool digits = !q.empty() && std::all_of(q.begin(), q.end(), [](unsigned char c) {
    return std::isdigit(c) != 0;
  });
  if (q.starts_with(k_uid_prefix)) {
    const auto rest = q.substr(std::string_view(k_uid_prefix).size());
    if (!rest.empty() && rest.size() < 19 &&
        std::all_of(rest.begin(), rest.end(), [](unsigned char c) { return std::isdigit(c); }))
      story_id = std::stoll(rest);
  } else if (digits && q.size() < 19) {
    story_id = std::stoll(q);
  } else {
    // An entry URL (raw or canonical, matched through its canonical form), else a guid.
    if (const auto seen = url_sightings(dedup::canonical_url(q)); !seen.empty()) {
      entry_id = seen.front().id;
      story_id = seen.front().story_id;
    }
    // Guid-keyed entries through the identity index, source by source.
    if (story_id == 0) {
      std::vector<std::int64_t> sources;
      {
        Use s(stmt("SELECT id FROM sources"));
        while (s->executeStep())
          sources.push_back(s->getColumn(0).getInt64());
      }
      for (const auto source : sources)
        if (const auto row = stored_entry(source, "g:" + q);
            row && (entry_id == 0 || row->id < entry_id)) {
          entry_id = row->id;
          story_id = row->story_id;
        }
    }
    // A scan for the rest (entries of sources that fell back to link identity) is fine for
    // `explain`.
    const std::pair<const char*, std::string> lookups[] = {
        {"SELECT id, story_id FROM entries WHERE guid = ? ORDER BY id LIMIT 1", q}};
    for (const auto& [sql, value] : lookups) {
      if (story_id != 0)
        break;
      Use s(stmt(sql));
      s->bind(1, value);
      if (s->executeStep()) {
        entry_id = s->getColumn(0).getInt64();
        story_id = s->getColumn(1).getInt64();
        break;
      }
    }
  }
  if (story_id == 0)
    return std::nullopt;
  auto story = load_story(story_id);
  if (!story)
    return std::nullopt;

  Explanation ex;
  ex.story = *story;
  std::int64_t rep = 0;
  {
    Use s(stmt("SELECT rep_entry_id FROM stories WHERE id = ?"));
    s->bind(1, story_id);
    if (s->executeStep() && !s->getColumn(0).isNull())
      rep = s->getColumn(0).getInt64();
  }
  const auto rows = story_entries(stmt(k_story_entries_sql), story_id, rep);
  if (entry_id == 0)
    entry_id = rows.front().id;
  for (const auto& r : rows) {
    if (r.id == entry_id) {
      ex.entry_id = r.id;
      ex.source = r.source;
      ex.entry = r.entry;
    }
    std::string why;
    if (r.join_reason.empty())
      why = r.id == rep ? "first sighting (representative)" : "first sighting";
    else
      why = r.join_reason + " with entry " + std::to_string(r.join_entry);
    if (r.id == rep && !r.join_reason.empty())
      why += " (representative)";
    ex.join_reasons.push_back(std::move(why));
  }
  Use d(stmt("SELECT topic, published, score, threshold, reason, concepts, hits FROM decisions "
             "WHERE story_id = ? ORDER BY topic"));
  d->bind(1, story_id);
  while (d->executeStep())
    ex.decisions.push_back(read_decision(*d, 1, d->getColumn(0).getString()));
  return ex;
}

Decision read_decision(SQLite::Statement& q, int first, std::string topic) {
  Decision dec;
  dec.topic = std::move(topic);
  dec.published = q.getColumn(first).getInt() != 0;
  dec.score = q.getColumn(first + 1).getDouble();
  dec.threshold = q.getColumn(first + 2).getDouble();
  dec.reason = q.getColumn(first + 3).getString();
  dec.concepts_matched = string_list(q.getColumn(first + 4).getString());
  const json hits = json::parse(q.getColumn(first + 5).getString(), nullptr, false);
  if (hits.is_array())
    for (const auto& h : hits)
      dec.hits.push_back(RuleHit{h.value("concept", ""), h.value("term", ""), h.value("field", ""),
                                 h.value("weight", 0.0)});
  return dec;
}

} // namespace reelfeed::store

// Read side: stories for the filter/renderer and `reelfeed explain`. Works on a
// read-only connection beside the writing daemon.

#include <algorithm>
#include <cctype>
#include <cstdio>
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
  if (j.is_array()) {
    for (const auto& v : j) {
      if (v.is_string()) {
        out.push_back(v.get<std::string>());
      }
    }
  }
  return out;
}

std::vector<Enclosure> enclosure_list(const std::string& text) {
  std::vector<Enclosure> out;
  const json j = json::parse(text, nullptr, false);
  if (!j.is_array()) {
    return out;
  }
  for (const auto& v : j) {
    Enclosure e;
    e.url = v.value("url", "");
    e.type = v.value("type", "");
    if (v.contains("length") && v["length"].is_number_integer()) {
      e.length = v["length"].get<std::int64_t>();
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<Timestamp> opt_ts(const SQLite::Column& c) {
  if (c.isNull()) {
    return std::nullopt;
  }
  return from_db(c.getInt64());
}

constexpr const char* k_entry_columns =
    "e.id, s.name, e.guid, e.title, e.link, e.published, e.updated, e.author, e.summary, "
    "e.content, e.categories, e.enclosures, e.first_seen, s.tags, e.join_reason, e.join_entry_id, "
    "e.canonical_url, e.identity, e.source_id, e.sort_time, e.join_score ";

struct EntryRow {
  std::int64_t id = 0;
  std::string source;
  Entry entry;
  Timestamp first_seen{};
  std::vector<std::string> tags;
  std::string join_reason;
  std::int64_t join_entry = 0;
  std::string canonical_url;
  std::string identity;
  std::int64_t source_id = 0;
  std::int64_t sort_time = 0;
  double join_score = 0;
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
  if (!q.getColumn(15).isNull()) {
    r.join_entry = q.getColumn(15).getInt64();
  }
  r.canonical_url = q.getColumn(16).getString();
  r.identity = q.getColumn(17).getString();
  r.source_id = q.getColumn(18).getInt64();
  r.sort_time = q.getColumn(19).getInt64();
  r.join_score = q.getColumn(20).getDouble();
  return r;
}

const std::string k_story_entries_sql =
    std::string("SELECT ") + k_entry_columns +
    "FROM entries e JOIN sources s ON s.id = e.source_id "
    "WHERE (e.story_id = ?1 AND e.join_entry_id IS NOT NULL) OR e.id = ?2 "
    "ORDER BY e.id = ?2 DESC, e.sort_time, s.name, e.link, e.id";

std::vector<EntryRow>
story_entries(SQLite::Statement& stmt, std::int64_t story_id, std::int64_t rep_id) {
  std::vector<EntryRow> rows;
  Use q(stmt);
  q->bind(1, story_id);
  q->bind(2, rep_id);
  while (q->executeStep()) {
    rows.push_back(read_entry(*q));
  }
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

// uid: fixed once published; empty before, and then derived from the representative.
constexpr const char* k_head_columns = "id, uid, rep_entry_id, link, published, updated ";

StoryHead read_head(SQLite::Statement& q) {
  StoryHead h;
  h.id = q.getColumn(0).getInt64();
  if (!q.getColumn(1).isNull()) {
    h.uid = q.getColumn(1).getString();
  }
  h.rep = q.getColumn(2).isNull() ? 0 : q.getColumn(2).getInt64();
  h.link = q.getColumn(3).getString();
  h.published = from_db(q.getColumn(4).getInt64());
  h.updated = from_db(q.getColumn(5).getInt64());
  return h;
}

/// A story's fields that come from its representative sighting.
void take_representative(Story& s, const Entry& rep) {
  s.title = rep.title;
  if (s.link.empty()) {
    s.link = rep.link;
  }
  s.author = rep.author;
  s.summary = rep.summary;
  s.content = rep.content;
  s.categories = rep.categories;
  s.enclosures = rep.enclosures;
}

/// rows: the story's sightings, representative first.
std::optional<Story> assemble(const StoryHead& h, const std::vector<EntryRow>& rows) {
  if (rows.empty()) {
    return std::nullopt;
  }
  Story s;
  s.id = h.id;
  const auto& r = rows.front();
  s.uid = h.uid.empty() ? derived_uid(r.canonical_url, r.source, r.identity) : h.uid;
  s.link = h.link;
  s.published = h.published;
  s.updated = h.updated;
  take_representative(s, r.entry);
  std::set<std::string> tags;
  for (const auto& row : rows) {
    s.outlets.push_back(Outlet{row.id, row.source, row.entry.title, row.entry.link,
                               row.entry.published, row.entry.summary, row.entry.categories});
    tags.insert(row.tags.begin(), row.tags.end());
  }
  s.source_tags.assign(tags.begin(), tags.end());
  return s;
}

// Above this many stories, one joined scan beats a query per story.
constexpr std::size_t k_bulk_threshold = 64;

} // namespace

Story single_story(const Entry& entry,
                   const PreparedEntry& prepared,
                   const std::string& source,
                   const std::vector<std::string>& tags,
                   Timestamp now) {
  // As ingest founds a story (create_story) and assemble() reads it back.
  const Timestamp t = std::min(entry.published.value_or(now), now);
  Story s;
  s.link = prepared.canonical_url.empty() ? entry.link : prepared.canonical_url;
  s.published = t;
  s.updated = std::max(t, std::min(entry.updated.value_or(t), now));
  take_representative(s, entry);
  s.outlets.push_back(
      Outlet{0, source, entry.title, entry.link, entry.published, entry.summary, entry.categories});
  const std::set<std::string> unique(tags.begin(), tags.end());
  s.source_tags.assign(unique.begin(), unique.end());
  return s;
}

std::optional<Story> Store::Impl::load_story(std::int64_t story_id) {
  StoryHead h;
  {
    Use q(stmt(std::string("SELECT ") + k_head_columns + "FROM stories WHERE id = ?"));
    q->bind(1, story_id);
    if (!q->executeStep()) {
      return std::nullopt;
    }
    h = read_head(*q);
  }
  return assemble(h, story_entries(stmt(k_story_entries_sql), story_id, h.rep));
}

std::vector<Story> Store::Impl::stories(Timestamp since, int limit) {
  std::vector<StoryHead> heads;
  {
    Use q(stmt(std::string("SELECT ") + k_head_columns +
               "FROM stories WHERE last_activity >= ? AND merged_into IS NULL "
               "ORDER BY published DESC, id DESC LIMIT ?"));
    q->bind(1, to_db(since));
    q->bind(2, limit < 0 ? -1 : limit);
    while (q->executeStep()) {
      heads.push_back(read_head(*q));
    }
  }
  std::vector<Story> out;
  out.reserve(heads.size());
  if (heads.size() <= k_bulk_threshold) {
    for (const auto& h : heads) {
      if (auto s = assemble(h, story_entries(stmt(k_story_entries_sql), h.id, h.rep))) {
        out.push_back(std::move(*s));
      }
    }
    return out;
  }
  // One pass over the sightings of every story in range; the filter reads every sighting's
  // summary, the full text only of representatives.
  std::unordered_map<std::int64_t, std::vector<EntryRow>> rows;
  for (const auto& h : heads) {
    rows[h.id];
  }
  {
    Use q(stmt("SELECT e.id, s.name, e.guid, e.title, e.link, e.published, e.updated, "
               "e.author, "
               "e.summary, "
               "CASE WHEN e.id = st.rep_entry_id THEN e.content ELSE '' END, "
               "e.categories, e.enclosures, e.first_seen, s.tags, e.join_reason, "
               "e.join_entry_id, e.canonical_url, e.identity, e.source_id, e.sort_time, "
               "e.join_score, e.story_id, e.id = st.rep_entry_id "
               "FROM stories st JOIN entries e ON (e.story_id = st.id AND "
               "e.join_entry_id IS NOT NULL) OR e.id = st.rep_entry_id "
               "JOIN sources s ON s.id = e.source_id WHERE st.last_activity >= ? "
               "AND st.merged_into IS NULL "
               "ORDER BY e.story_id, e.sort_time, s.name, e.link, e.id"));
    q->bind(1, to_db(since));
    while (q->executeStep()) {
      const auto it = rows.find(q->getColumn(21).getInt64());
      if (it == rows.end()) {
        continue;
      }
      auto row = read_entry(*q);
      if (q->getColumn(22).getInt() != 0) {
        it->second.insert(it->second.begin(), std::move(row));
      } else {
        it->second.push_back(std::move(row));
      }
    }
  }
  for (const auto& h : heads) {
    if (auto s = assemble(h, rows[h.id])) {
      out.push_back(std::move(*s));
    }
  }
  return out;
}

Store::Impl::ExplainTarget Store::Impl::explain_target(const std::string& q) {
  std::int64_t story_id = 0;
  std::int64_t entry_id = 0;
  const auto all_of = [](std::string_view s, int (*pred)(int)) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [&](unsigned char c) { return pred(c) != 0; });
  };
  if (q.starts_with(k_uid_prefix)) {
    const auto rest = q.substr(std::string_view(k_uid_prefix).size());
    {
      Use s(stmt("SELECT id FROM stories WHERE uid = ?"));
      s->bind(1, q);
      if (s->executeStep()) {
        story_id = s->getColumn(0).getInt64();
      }
    }
    if (story_id == 0 && rest.size() < 19 && all_of(rest, &isdigit)) {
      story_id = std::stoll(rest);
    } else if (story_id == 0 && rest.size() == 16 && all_of(rest, &isxdigit)) {
      // Not published yet: the uid names its representative's canonical URL.
      load_hash_indexes();
      const auto key = std::stoull(rest, nullptr, 16);
      std::vector<std::int64_t> ids;
      m_urls.find(key, [&](std::int64_t id) { ids.push_back(id); });
      std::sort(ids.begin(), ids.end());
      for (const auto id : ids) {
        Use e(stmt("SELECT story_id, canonical_url FROM entries WHERE id = ?"));
        e->bind(1, id);
        if (e->executeStep() &&
            HashIndex::key_of(e->getColumn(1).getText(),
                              static_cast<std::size_t>(e->getColumn(1).getBytes())) == key) {
          story_id = e->getColumn(0).getInt64();
          break;
        }
      }
    }
  } else if (all_of(q, &isdigit) && q.size() < 19) {
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
        while (s->executeStep()) {
          sources.push_back(s->getColumn(0).getInt64());
        }
      }
      for (const auto source : sources) {
        if (const auto row = stored_entry(source, "g:" + q);
            row && (entry_id == 0 || row->id < entry_id)) {
          entry_id = row->id;
          story_id = row->story_id;
        }
      }
    }
    // A scan for the rest (entries of sources that fell back to link identity) is fine for
    // `explain`.
    if (story_id == 0) {
      Use s(stmt("SELECT id, story_id FROM entries WHERE guid = ? ORDER BY id LIMIT 1"));
      s->bind(1, q);
      if (s->executeStep()) {
        entry_id = s->getColumn(0).getInt64();
        story_id = s->getColumn(1).getInt64();
      }
    }
  }
  return {story_id, entry_id};
}

std::optional<Explanation> Store::Impl::explain(const std::string& q_in) {
  check_foreign_writes(); // the URL index must not miss another process's entries
  std::string q = q_in;
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.back()))) {
    q.pop_back();
  }
  auto [story_id, entry_id] = explain_target(q);
  if (story_id == 0) {
    return std::nullopt;
  }

  Explanation ex;
  {
    // A story folded into another resolves to the one it is part of now.
    Use s(stmt("SELECT merged_into FROM stories WHERE id = ?"));
    s->bind(1, story_id);
    if (s->executeStep() && !s->getColumn(0).isNull()) {
      ex.folded_from = q.starts_with(k_uid_prefix) ? q : k_uid_prefix + std::to_string(story_id);
      Use u(stmt("SELECT coalesce(uid, '') FROM stories WHERE id = ?"));
      u->bind(1, story_id);
      if (u->executeStep() && !u->getColumn(0).getString().empty()) {
        ex.folded_from = u->getColumn(0).getString();
      }
      story_id = s->getColumn(0).getInt64();
    }
  }
  auto story = load_story(story_id);
  if (!story) {
    return std::nullopt;
  }
  ex.story = *story;
  std::int64_t rep = 0;
  {
    Use s(stmt("SELECT rep_entry_id FROM stories WHERE id = ?"));
    s->bind(1, story_id);
    if (s->executeStep() && !s->getColumn(0).isNull()) {
      rep = s->getColumn(0).getInt64();
    }
  }
  const auto rows = story_entries(stmt(k_story_entries_sql), story_id, rep);
  if (entry_id == 0) {
    entry_id = rows.front().id;
  }
  const TermStats& stats = term_stats();
  const auto entry_terms = [&](const Entry& e) { return termizer().terms(e); };
  for (const auto& r : rows) {
    if (r.id == entry_id) {
      ex.entry_id = r.id;
      ex.source = r.source;
      ex.entry = r.entry;
    }
    MemberExplanation m;
    if (r.join_reason.empty() || r.join_entry == r.id) {
      m.reason = r.id == rep ? "first sighting (representative)" : "first sighting";
    } else {
      m.reason = r.join_reason + " with entry " + std::to_string(r.join_entry);
    }
    if (r.id == rep && !r.join_reason.empty() && r.join_entry != r.id) {
      m.reason += " (representative)";
    }
    const EventVector v = vectorize(entry_terms(r.entry), stats);
    std::unordered_map<std::uint32_t, std::string> words;
    for (auto& [h, w] : termizer().words(r.entry)) {
      words.emplace(h, std::move(w));
    }
    if (r.join_reason.starts_with("same event") && r.join_entry != 0 && r.join_entry != r.id) {
      // The terms that carried the join, recomputed from the two reports' texts.
      Use e(stmt("SELECT title, summary, content FROM entries WHERE id = ?"));
      e->bind(1, r.join_entry);
      if (e->executeStep()) {
        Entry other;
        other.title = e->getColumn(0).getString();
        other.summary = e->getColumn(1).getString();
        other.content = e->getColumn(2).getString();
        for (const auto& [h, share] : shared_terms(v, vectorize(entry_terms(other), stats))) {
          if (m.terms.size() >= 8) {
            break;
          }
          const auto w = words.find(h);
          char buf[24];
          std::snprintf(buf, sizeof buf, " %.2f", share);
          m.terms.push_back((w == words.end() ? std::string("?") : w->second) + buf);
        }
      }
    }
    for (const auto& near : event_candidates(v, r.source_id, r.sort_time, story_id)) {
      if (m.nearest.size() >= 3) {
        break;
      }
      if (auto other = load_story(near.story_id)) {
        m.nearest.emplace_back(other->uid + " \"" + other->title + "\"", near.score);
      }
    }
    ex.join_reasons.push_back(m.reason);
    ex.members.push_back(std::move(m));
  }
  Use d(stmt("SELECT topic, published, score, threshold, reason, concepts, hits FROM decisions "
             "WHERE story_id = ? ORDER BY topic"));
  d->bind(1, story_id);
  while (d->executeStep()) {
    ex.decisions.push_back(read_decision(*d, 0));
  }
  return ex;
}

} // namespace reelfeed::store

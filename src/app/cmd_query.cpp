// The commands that read: check-config, parse, render, status, explain, rules test.
#include <algorithm>
#include <exception>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iterator>
#include <limits>
#include <ostream>
#include <sstream>

#include "app/commands.hpp"
#include "app/publish.hpp"
#include "app/rules_diff.hpp"
#include "app/rules_labels.hpp"
#include "app/settings.hpp"
#include "app/status_table.hpp"
#include "app/store_failure.hpp"
#include "config/load.hpp"
#include "filter/filter.hpp"
#include "parse/parse.hpp"
#include "store/store.hpp"

namespace reelfeed::app {

namespace {

constexpr int k_story_limit = std::numeric_limits<int>::max();

/// Readers run beside the daemon: read-only, so they never migrate or lock for writing.
std::unique_ptr<store::Store> open_for_reading(const config::Config& config, std::ostream& err) {
  try {
    return std::make_unique<store::Store>(config.storage.path, cluster_options(config),
                                          store::Access::read_only);
  } catch (const std::exception& e) {
    err << "reelfeed: " << describe_store_failure(config.storage.path, e) << "\n";
    return nullptr;
  }
}

/// Runs the part of a reading command that queries the store. A database that opens but
/// fails a query (damaged pages, an I/O error, a lock) ends the command with one clear
/// line and exit 1, never an abort; nothing is printed to `out` before the queries are done.
int reading(const config::Config& config, std::ostream& err, const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    err << "reelfeed: " << describe_store_failure(config.storage.path, e) << "\n";
    return 1;
  }
}

void print_decision(std::ostream& out, const Decision& d, const char* indent) {
  out << indent << d.topic << ": " << (d.published ? "PUBLISHED" : "not published")
      << " score=" << d.score << " threshold=" << d.threshold;
  if (!d.reason.empty()) {
    out << " (" << d.reason << ")";
  }
  out << "\n";
  for (const RuleHit& h : d.hits) {
    out << indent << "  " << h.concept_name << ": \"" << h.term << "\" in " << h.field << " +"
        << h.weight << "\n";
  }
}

} // namespace

std::optional<config::Config> load_config(const std::filesystem::path& path, std::ostream& err) {
  config::LoadResult loaded = config::load_file(path);
  if (!loaded.config) {
    for (const config::Error& e : loaded.errors) {
      err << e.str() << "\n";
    }
    if (loaded.errors.empty()) {
      err << path.string() << ":1:1: cannot load the config\n";
    }
    return std::nullopt;
  }
  return std::move(loaded.config);
}

int cmd_check_config(const std::filesystem::path& path, Streams io) {
  config::LoadResult loaded = config::load_file(path);
  if (!loaded.config) {
    for (const config::Error& e : loaded.errors) {
      io.out << e.str() << "\n";
    }
    if (loaded.errors.empty()) {
      io.out << path.string() << ":1:1: cannot load the config\n";
    }
    return 1;
  }
  const config::Config& c = *loaded.config;
  const auto enabled = std::count_if(c.sources.begin(), c.sources.end(),
                                     [](const config::SourceConfig& s) { return s.enabled; });
  io.out << path.string() << ": ok: " << c.sources.size() << " sources (" << enabled
         << " enabled), " << c.topics.size() << " topics, listen " << c.server.host << ":"
         << c.server.port << ", store " << c.storage.path.string() << "\n";
  return 0;
}

int cmd_parse(const std::filesystem::path& file, Streams io) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    io.err << "reelfeed: cannot read " << file.string() << "\n";
    return 1;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    io.err << "reelfeed: cannot read " << file.string() << "\n";
    return 1;
  }
  try {
    const Feed feed = parse::parse_feed(bytes, parse::Options{"", ""});
    io.out << parse::to_feed_json(feed) << "\n";
  } catch (const parse::Error& e) {
    io.err << "reelfeed: " << file.string() << ": not a feed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

namespace {

int render_from(store::Store& store,
                const config::Config& config,
                Format format,
                const std::filesystem::path& path,
                const std::string& topic,
                bool all,
                Streams io) {
  const std::string base = base_url(config, config.server.port);
  const Timestamp now = Clock{}.now();
  TopicOutput output;
  std::string doc_path;
  if (all) {
    output = all_stories(store.stories(Timestamp{}, k_story_limit), config);
    doc_path = std::string("/all.") + extension(format);
  } else {
    const filter::Rules rules(config.topics);
    PublishPlan plan = plan_from_store(store, rules, config, now);
    std::size_t index = 0;
    if (!topic.empty()) {
      const auto it = std::find_if(plan.topics.begin(), plan.topics.end(),
                                   [&](const TopicOutput& t) { return t.name == topic; });
      if (it == plan.topics.end()) {
        io.err << "reelfeed: no topic '" << topic << "' in " << path.string() << " (topics:";
        for (const TopicOutput& t : plan.topics) {
          io.err << " " << t.name;
        }
        io.err << ")\n";
        return 1;
      }
      index = static_cast<std::size_t>(it - plan.topics.begin());
    }
    output = std::move(plan.topics[index]);
    // The bytes the daemon serves at /topics/NAME.* (its /feed.* copy differs only in
    // naming /feed.* as its self link).
    doc_path = "/topics/" + output.name + "." + extension(format);
  }
  render::FeedInfo info = feed_info(output, base, doc_path);
  info.hub = config.output.websub_hub;
  io.out << render_feed(format, info, output.items);
  return 0;
}

} // namespace

int cmd_render(const std::filesystem::path& path,
               const std::string& format_name,
               const std::string& topic,
               bool all,
               Streams io) {
  const std::optional<Format> format = parse_format(format_name);
  if (!format) {
    io.err << "reelfeed: unknown format '" << format_name << "' (atom, rss or json)\n";
    return 1;
  }
  std::optional<config::Config> config = load_config(path, io.err);
  if (!config) {
    return 1;
  }
  auto store = open_for_reading(*config, io.err);
  if (!store) {
    return 1;
  }
  return reading(*config, io.err,
                 [&] { return render_from(*store, *config, *format, path, topic, all, io); });
}

int cmd_status(const std::filesystem::path& path, Streams io) {
  std::optional<config::Config> config = load_config(path, io.err);
  if (!config) {
    return 1;
  }
  std::vector<SourceStatus> statuses;
  if (std::filesystem::exists(config->storage.path)) {
    auto store = open_for_reading(*config, io.err);
    if (!store ||
        reading(*config, io.err, [&] { return (statuses = store->statuses(), 0); }) != 0) {
      return 1;
    }
  } else {
    // Not an error (nothing has polled yet), but say so: a wrong -c looks the same.
    io.err << "reelfeed: no database at " << config->storage.path.string()
           << " yet: every source is new (has `reelfeed run` or `reelfeed poll` used this "
              "config?)\n";
  }
  io.out << format_status_table(config->sources, statuses, Clock{}.now());
  return 0;
}

int cmd_explain(const std::filesystem::path& path, const std::string& what, Streams io) {
  std::optional<config::Config> config = load_config(path, io.err);
  if (!config) {
    return 1;
  }
  auto store = open_for_reading(*config, io.err);
  if (!store) {
    return 1;
  }
  std::optional<store::Explanation> ex;
  if (reading(*config, io.err, [&] { return (ex = store->explain(what), 0); }) != 0) {
    return 1;
  }
  if (!ex) {
    io.err << "reelfeed: no stored entry or story matches '" << what << "'\n";
    return 1;
  }
  std::ostream& out = io.out;
  out << "entry " << ex->entry_id << " from " << ex->source << "\n"
      << "  title:     " << ex->entry.title << "\n"
      << "  link:      " << ex->entry.link << "\n"
      << "  id:        " << ex->entry.id << "\n";
  if (ex->entry.published) {
    out << "  published: " << format_rfc3339(*ex->entry.published) << "\n";
  }
  const Story& story = ex->story;
  if (!ex->folded_from.empty()) {
    out << ex->folded_from << " was folded into this story (a later report covered both)\n";
  }
  out << "story " << story.id << " " << story.uid << "\n"
      << "  title:     " << story.title << "\n"
      << "  link:      " << story.link << "\n"
      << "  published: " << format_rfc3339(story.published) << "\n"
      << "  outlets (" << story.outlets.size() << "), earliest first:\n";
  for (std::size_t i = 0; i < story.outlets.size(); ++i) {
    const Outlet& o = story.outlets[i];
    out << "    " << (o.entry_id == ex->entry_id ? "* " : "- ") << o.source << ": " << o.title
        << " <" << o.link << ">";
    if (i < ex->join_reasons.size() && !ex->join_reasons[i].empty()) {
      out << " (" << ex->join_reasons[i] << ")";
    } else if (i == 0) {
      out << " (representative)";
    }
    out << "\n";
    if (i >= ex->members.size()) {
      continue;
    }
    const store::MemberExplanation& m = ex->members[i];
    if (!m.terms.empty()) {
      out << "        carried by:";
      for (const std::string& t : m.terms) {
        out << " " << t;
      }
      out << "\n";
    }
    for (const auto& [near, score] : m.nearest) {
      out << "        not joined: " << near << " score " << std::fixed << std::setprecision(2)
          << score << std::defaultfloat << "\n";
    }
  }
  out << "decisions (stored):\n";
  if (ex->decisions.empty()) {
    out << "  none yet (decided at the next publish or poll)\n";
  }
  for (const Decision& d : ex->decisions) {
    print_decision(out, d, "  ");
  }
  try {
    const filter::Rules rules(config->topics);
    const std::vector<std::string> names = rules.topic_names();
    out << "decisions (current rules in " << path.string() << "):\n";
    for (std::size_t t = 0; t < names.size(); ++t) {
      print_decision(out, rules.evaluate(t, story), "  ");
    }
  } catch (const std::exception& e) {
    io.err << "reelfeed: cannot evaluate the current rules: " << e.what() << "\n";
  }
  return 0;
}

int cmd_rules_test(const std::filesystem::path& path, Streams io) {
  std::optional<config::Config> config = load_config(path, io.err);
  if (!config) {
    return 1;
  }
  auto store = open_for_reading(*config, io.err);
  if (!store) {
    return 1;
  }
  const filter::Rules rules(config->topics);
  const Timestamp now = Clock{}.now();
  std::vector<Story> stories;
  StoredDecisions before;
  if (reading(*config, io.err, [&] {
        stories = store->stories(now - config->output.max_age, k_story_limit);
        before = stored_decisions(*store, stories);
        return 0;
      }) != 0) {
    return 1;
  }
  const PublishPlan plan = plan_publish(stories, rules, *config);
  io.out << format_rules_diff(diff_rules(plan, stories, before), plan.stories, path.string());
  return 0;
}

int cmd_rules_test_labels(const std::filesystem::path& path,
                          const std::filesystem::path& labels,
                          const std::string& topic,
                          Streams io) {
  std::optional<config::Config> config = load_config(path, io.err);
  if (!config) {
    return 1;
  }
  std::ifstream in(labels, std::ios::binary);
  if (!in) {
    io.err << "reelfeed: cannot read " << labels.string() << "\n";
    return 1;
  }
  const filter::Rules rules(config->topics);
  std::size_t index = 0;
  if (!topic.empty()) {
    const std::optional<std::size_t> found = rules.find_topic(topic);
    if (!found) {
      io.err << "reelfeed: no topic '" << topic << "' in " << path.string() << "\n";
      return 1;
    }
    index = *found;
  } else if (rules.topic_names().empty()) {
    io.err << "reelfeed: " << path.string() << " defines no topic\n";
    return 1;
  }
  const LabelsRead read = read_labels(in, labels.string(), config->sources);
  if (in.bad()) {
    io.err << "reelfeed: cannot read " << labels.string() << "\n";
    return 1;
  }
  for (const std::string& e : read.errors) {
    io.err << e << "\n";
  }
  io.out << format_labels_report(score_labels(rules, index, read.items), path.string(),
                                 labels.string());
  return read.errors.empty() ? 0 : 1;
}

} // namespace reelfeed::app

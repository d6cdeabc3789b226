#include "app/cli.hpp"

#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"

namespace reelfeed::app {

namespace {

constexpr const char* k_default_config = "/etc/reelfeed/reelfeed.toml";

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"reelfeed: polls news feeds, folds duplicate stories, filters the ones about AI "
               "in Hollywood and serves them as Atom/RSS/JSON feeds",
               "reelfeed"};
  app.set_version_flag("--version", std::string("reelfeed ") + REELFEED_VERSION);
  app.require_subcommand(1);
  std::string config = k_default_config;
  auto add_config = [&](CLI::App* cmd) {
    cmd->add_option("-c,--config", config, "config file")->capture_default_str();
  };

  CLI::App* run = app.add_subcommand("run", "run the daemon in the foreground");
  add_config(run);
  CLI::App* poll = app.add_subcommand("poll", "poll every enabled source once, store, exit");
  add_config(poll);

  CLI::App* render = app.add_subcommand("render", "print the published feed from the store");
  add_config(render);
  std::string format = "atom";
  std::string topic;
  bool all = false;
  render->add_option("--format", format, "atom, rss or json")
      ->check(CLI::IsMember({"atom", "rss", "json"}))
      ->capture_default_str();
  render->add_option("--topic", topic, "topic name (default: the first topic)");
  render->add_flag("--all", all, "every stored story, unfiltered");

  CLI::App* parse = app.add_subcommand("parse", "parse one feed file, print normalised JSON");
  std::string file;
  parse->add_option("FILE", file, "feed file")->required();

  CLI::App* check = app.add_subcommand("check-config", "validate the config file");
  add_config(check);
  CLI::App* status = app.add_subcommand("status", "per-source polling state");
  add_config(status);

  CLI::App* explain =
      app.add_subcommand("explain", "why an entry or story was or was not published");
  add_config(explain);
  std::string what;
  explain->add_option("URL_OR_ID", what, "entry URL or guid, story id or urn:reelfeed:story:N")
      ->required();

  CLI::App* rules = app.add_subcommand("rules", "work with the topic rules");
  rules->require_subcommand(1);
  CLI::App* rules_test =
      rules->add_subcommand("test", "show what the config's rules would add to or remove from "
                                    "the output, compared with the stored decisions");
  add_config(rules_test);
  std::string labels;
  std::string rules_topic;
  rules_test
      ->add_option("--labels", labels,
                   "labelled JSONL file: print the rules' precision and recall on it and every "
                   "wrong decision with its reasons, instead of the change to the output")
      ->check(CLI::ExistingFile);
  rules_test->add_option("--topic", rules_topic, "with --labels: topic name (default: the first)");

  CLI::App* opml =
      app.add_subcommand("opml", "subscription lists: import one as sources, export the sources");
  opml->require_subcommand(1);
  CLI::App* opml_import = opml->add_subcommand(
      "import", "print the [[source]] tables of an OPML file's feeds, to paste into the config");
  std::string opml_file;
  opml_import->add_option("FILE", opml_file, "OPML file (from Miniflux, FreshRSS, newsboat...)")
      ->required();
  CLI::App* opml_export = opml->add_subcommand("export", "print the config's sources as OPML");
  add_config(opml_export);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  const Streams io{std::cout, std::cerr};
  const auto dispatch = [&]() -> int {
    if (*run) {
      return cmd_run(config, io);
    }
    if (*poll) {
      return cmd_poll(config, io);
    }
    if (*render) {
      return cmd_render(config, format, topic, all, io);
    }
    if (*parse) {
      return cmd_parse(file, io);
    }
    if (*check) {
      return cmd_check_config(config, io);
    }
    if (*status) {
      return cmd_status(config, io);
    }
    if (*explain) {
      return cmd_explain(config, what, io);
    }
    if (*rules_test) {
      if (!labels.empty()) {
        return cmd_rules_test_labels(config, labels, rules_topic, io);
      }
      return cmd_rules_test(config, io);
    }
    if (*opml_import) {
      return cmd_opml_import(opml_file, io);
    }
    if (*opml_export) {
      return cmd_opml_export(config, io);
    }
    return 2;
  };
  // Each command reports its own errors; this is the last resort, so that no exception
  // ends reelfeed with an abort (exit 134) instead of a message.
  try {
    return dispatch();
  } catch (const std::exception& e) {
    io.err << "reelfeed: " << e.what() << "\n";
    return 1;
  }
}

} // namespace reelfeed::app

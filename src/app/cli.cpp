#include "app/cli.hpp"

#include <cstdio>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"

namespace reelfeed::app {

namespace {

constexpr const char* k_default_config = "/etc/reelfeed/reelfeed.toml";

/// What the command line asked for: every subcommand (the one given tests true after the
/// parse) and the options they bind.
struct Invocation {
  std::string config = k_default_config;
  std::string format = "atom";
  std::string topic;
  bool all = false;
  std::string file;
  std::string what;
  std::string labels;
  std::string rules_topic;
  std::string opml_file;
  CLI::App* run = nullptr;
  CLI::App* poll = nullptr;
  CLI::App* render = nullptr;
  CLI::App* parse = nullptr;
  CLI::App* check = nullptr;
  CLI::App* status = nullptr;
  CLI::App* explain = nullptr;
  CLI::App* rules_test = nullptr;
  CLI::App* opml_import = nullptr;
  CLI::App* opml_export = nullptr;
};

/// Declares every subcommand and its options on `app`, each bound to a field of `in`.
void define_commands(CLI::App& app, Invocation& in) {
  // A subcommand of `parent` that reads the config.
  auto with_config = [&in](CLI::App& parent, const char* name, const char* about) {
    CLI::App* cmd = parent.add_subcommand(name, about);
    cmd->add_option("-c,--config", in.config, "config file")->capture_default_str();
    return cmd;
  };

  in.run = with_config(app, "run", "run the daemon in the foreground");
  in.poll = with_config(app, "poll", "poll every enabled source once, store, exit");

  in.render = with_config(app, "render", "print the published feed from the store");
  in.render->add_option("--format", in.format, "atom, rss or json")
      ->check(CLI::IsMember({"atom", "rss", "json"}))
      ->capture_default_str();
  in.render->add_option("--topic", in.topic, "topic name (default: the first topic)");
  in.render->add_flag("--all", in.all, "every stored story, unfiltered");

  in.parse = app.add_subcommand("parse", "parse one feed file, print normalised JSON");
  in.parse->add_option("FILE", in.file, "feed file")->required();

  in.check = with_config(app, "check-config", "validate the config file");
  in.status = with_config(app, "status", "per-source polling state");

  in.explain = with_config(app, "explain", "why an entry or story was or was not published");
  in.explain
      ->add_option("URL_OR_ID", in.what, "entry URL or guid, story id or urn:reelfeed:story:N")
      ->required();

  CLI::App* rules = app.add_subcommand("rules", "work with the topic rules");
  rules->require_subcommand(1);
  in.rules_test =
      with_config(*rules, "test",
                  "show what the config's rules would add to or remove from the output, "
                  "compared with the stored decisions");
  in.rules_test
      ->add_option("--labels", in.labels,
                   "labelled JSONL file: print the rules' precision and recall on it and every "
                   "wrong decision with its reasons, instead of the change to the output")
      ->check(CLI::ExistingFile);
  in.rules_test->add_option("--topic", in.rules_topic,
                            "with --labels: topic name (default: the first)");

  CLI::App* opml =
      app.add_subcommand("opml", "subscription lists: import one as sources, export the sources");
  opml->require_subcommand(1);
  in.opml_import = opml->add_subcommand(
      "import", "print the [[source]] tables of an OPML file's feeds, to paste into the config");
  in.opml_import
      ->add_option("FILE", in.opml_file, "OPML file (from Miniflux, FreshRSS, newsboat...)")
      ->required();
  in.opml_export = with_config(*opml, "export", "print the config's sources as OPML");
}

/// Runs the subcommand `in` names; 2 when there is none.
int dispatch(const Invocation& in, const Streams& io) {
  if (*in.run) {
    return cmd_run(in.config, io);
  }
  if (*in.poll) {
    return cmd_poll(in.config, io);
  }
  if (*in.render) {
    return cmd_render(in.config, in.format, in.topic, in.all, io);
  }
  if (*in.parse) {
    return cmd_parse(in.file, io);
  }
  if (*in.check) {
    return cmd_check_config(in.config, io);
  }
  if (*in.status) {
    return cmd_status(in.config, io);
  }
  if (*in.explain) {
    return cmd_explain(in.config, in.what, io);
  }
  if (*in.rules_test) {
    if (!in.labels.empty()) {
      return cmd_rules_test_labels(in.config, in.labels, in.rules_topic, io);
    }
    return cmd_rules_test(in.config, io);
  }
  if (*in.opml_import) {
    return cmd_opml_import(in.opml_file, io);
  }
  if (*in.opml_export) {
    return cmd_opml_export(in.config, io);
  }
  return 2;
}

int run_cli(int argc, char** argv) {
  CLI::App app{"reelfeed: polls news feeds, folds duplicate stories, filters the ones about AI "
               "in Hollywood and serves them as Atom/RSS/JSON feeds",
               "reelfeed"};
  app.set_version_flag("--version", std::string("reelfeed ") + REELFEED_VERSION);
  app.require_subcommand(1);
  Invocation in;
  define_commands(app, in);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  const Streams io{std::cout, std::cerr};
  // Each command reports its own errors; this is the last resort, so that no exception
  // ends reelfeed with an abort (exit 134) instead of a message.
  try {
    return dispatch(in, io);
  } catch (const std::exception& e) {
    io.err << "reelfeed: " << e.what() << "\n";
    return 1;
  }
}

} // namespace

int main(int argc, char** argv) {
  // run_cli reports every error of a command; this catches what escapes building the
  // command line itself (an allocation failure), so reelfeed never ends in an abort.
  try {
    return run_cli(argc, argv);
  } catch (...) {
    std::fputs("reelfeed: unexpected error\n", stderr);
    return 1;
  }
}

} // namespace reelfeed::app

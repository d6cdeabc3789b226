#pragma once
// The subcommands of `reelfeed`, each returning the process exit status. Output goes to
// `out` (the command's product: a feed, JSON, a table) and `err` (diagnostics); the daemon
// and `poll` log event lines to `err`.

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "config/config.hpp"

namespace reelfeed::app {

struct Streams {
  std::ostream& out;
  std::ostream& err;
};

/// Loads the config; on errors prints each as "FILE:LINE:COL: message" to `err`.
[[nodiscard]] std::optional<config::Config> load_config(const std::filesystem::path& path,
                                                        std::ostream& err);

int cmd_run(const std::filesystem::path& config, Streams io);
int cmd_poll(const std::filesystem::path& config, Streams io);
int cmd_render(const std::filesystem::path& config,
               const std::string& format,
               const std::string& topic,
               bool all,
               Streams io);
int cmd_parse(const std::filesystem::path& file, Streams io);
int cmd_check_config(const std::filesystem::path& config, Streams io);
int cmd_status(const std::filesystem::path& config, Streams io);
int cmd_explain(const std::filesystem::path& config, const std::string& what, Streams io);
int cmd_rules_test(const std::filesystem::path& config, Streams io);
/// Precision, recall and the wrong decisions of one topic's rules on a labelled JSONL file;
/// 1 on a config error, an unknown topic or any bad line (the rest is still scored).
int cmd_rules_test_labels(const std::filesystem::path& config,
                          const std::filesystem::path& labels,
                          const std::string& topic,
                          Streams io);
/// Prints the [[source]] tables of an OPML file's feeds (skipped outlines go to err).
int cmd_opml_import(const std::filesystem::path& file, Streams io);
/// Prints the config's sources as OPML 2.0.
int cmd_opml_export(const std::filesystem::path& config, Streams io);

} // namespace reelfeed::app

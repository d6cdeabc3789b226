// `reelfeed opml import FILE` and `reelfeed opml export`: subscription lists in and out.
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>

#include "app/commands.hpp"
#include "config/opml.hpp"

namespace reelfeed::app {

int cmd_opml_import(const std::filesystem::path& file, Streams io) {
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.is_open() || in.bad()) {
    io.err << "reelfeed: cannot read " << file.string() << "\n";
    return 1;
  }
  try {
    const config::OpmlImport imported = config::import_opml(bytes);
    // Printed, never written into a config: the user pastes what they want to keep.
    io.out << "# " << imported.sources.size() << " sources from " << file.filename().string()
           << ": paste them into your config, then reelfeed check-config\n\n"
           << config::sources_toml(imported.sources);
    for (const std::string& why : imported.skipped) {
      io.err << "reelfeed: skipped: " << why << "\n";
    }
  } catch (const std::runtime_error& e) {
    io.err << "reelfeed: " << file.string() << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}

int cmd_opml_export(const std::filesystem::path& path, Streams io) {
  const std::optional<config::Config> config = load_config(path, io.err);
  if (!config) {
    return 1;
  }
  io.out << config::export_opml(config->sources, config->output.title);
  return 0;
}

} // namespace reelfeed::app

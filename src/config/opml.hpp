#pragma once
// OPML, the subscription list every feed reader imports and exports: what a newcomer brings
// from Miniflux, FreshRSS, newsboat or a phone app, and what they take elsewhere. Import
// turns one into [[source]] tables for the config (printed, never written into the user's
// file); export turns the configured sources into one.

#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace reelfeed::config {

struct OpmlImport {
  std::vector<SourceConfig> sources; ///< name, url, tags (the enclosing folders, lower-cased)
  std::vector<std::string> skipped;  ///< why an outline was left out ("no xmlUrl: Foo")
};

/// Reads an OPML 1.0/2.0 document: every outline with an xmlUrl, at any depth, in document
/// order. Names come from text (else title, else the URL) and are made unique with " (2)",
/// " (3)"...; a URL already seen is skipped. Throws std::runtime_error when the bytes are not
/// OPML.
[[nodiscard]] OpmlImport import_opml(std::string_view bytes);

/// The [[source]] tables of `sources`, as TOML text to paste into a config.
[[nodiscard]] std::string sources_toml(const std::vector<SourceConfig>& sources);

/// An OPML 2.0 document of `sources` (enabled or not), titled `title`; a source's tags go to
/// its outline's category attribute.
[[nodiscard]] std::string export_opml(const std::vector<SourceConfig>& sources,
                                      std::string_view title);

} // namespace reelfeed::config

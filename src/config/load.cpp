#include "config/load.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include <toml++/toml.h>

#include "config/reader.hpp"
#include "config/sections.hpp"
#include "config/topics_toml.hpp"
#include "config/values.hpp"

namespace reelfeed::config {
namespace {

namespace fs = std::filesystem;
using detail::add_error;
using detail::Reader;

constexpr int k_max_include_depth = 8;
// A config is a hand-written text file; anything bigger is a mistake (or /dev/zero).
constexpr std::uintmax_t k_max_file_bytes = 4u << 20;

bool read_text(const fs::path& path, std::string& text, std::string& error) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = "is a directory";
    return false;
  }
  const auto size = fs::file_size(path, ec);
  if (ec) {
    error = ec.message();
    return false;
  }
  if (size > k_max_file_bytes) {
    error = "file is larger than 4 MB";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open file";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = std::move(buffer).str();
  return true;
}

// Two spellings of one feed URL are one source: the host is case-insensitive and a trailing
// slash rarely matters to a feed server.
std::string url_key(std::string url) {
  const auto host_begin = url.find("://") + 3;
  const auto host_end = std::min(url.find_first_of("/?#", host_begin), url.size());
  for (auto i = host_begin; i < host_end; ++i) {
    url[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(url[i])));
  }
  if (url.size() > host_end + 1 && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

std::string where(const std::string& file, const toml::source_region& r) {
  return file + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

class Loader {
public:
  LoadResult run(std::string_view text, const std::string& name, const fs::path& base_dir) {
    std::error_code ec;
    const auto base = fs::absolute(base_dir, ec);
    m_config.file = (ec ? base_dir : base) / name;
    document(text, name, ec ? base_dir : base, 0);
    return finish();
  }

  LoadResult run_file(const fs::path& path) {
    std::error_code ec;
    const auto absolute = fs::absolute(path, ec);
    m_config.file = ec ? path : absolute;
    std::string text;
    std::string error;
    if (!read_text(path, text, error)) {
      m_errors.push_back(Error{path.string(), 0, 0, "cannot read config file: " + error});
      return finish();
    }
    m_visited.insert(fs::weakly_canonical(m_config.file, ec).string());
    document(text, path.string(), m_config.file.parent_path(), 0);
    return finish();
  }

private:
  LoadResult finish() {
    // toml++ tables iterate in key order, not file order: sort so errors read top-down,
    // the main file first, then includes in the order they were named.
    const auto rank = [this](const Error& e) {
      const auto it = std::find(m_files.begin(), m_files.end(), e.file);
      return std::tuple(it - m_files.begin(), e.line, e.column);
    };
    std::stable_sort(m_errors.begin(), m_errors.end(),
                     [&](const Error& a, const Error& b) { return rank(a) < rank(b); });
    LoadResult result;
    if (m_errors.empty()) {
      result.config = std::move(m_config);
    }
    result.errors = std::move(m_errors);
    return result;
  }

  void
  document(std::string_view text, const std::string& name, const fs::path& base_dir, int depth) {
    m_files.push_back(name);
    toml::table root;
    try {
      root = toml::parse(text, name);
    } catch (const toml::parse_error& e) {
      add_error(m_errors, name, e.source(), std::string(e.description()));
      return;
    }
    Reader top(root, "", name, m_errors);
    if (depth == 0) {
      top.check_keys(
          {"include", "storage", "server", "poll", "output", "dedup", "source", "topic"});
      detail::parse_sections(root, name, base_dir, m_config, m_errors);
    } else {
      for (const auto& [key, value] : root) {
        if (key != "include" && key != "source" && key != "topic") {
          add_error(m_errors, name, key.source(),
                    "'" + std::string(key.str()) +
                        "' is not allowed in an included file (only include, source, topic)");
        }
      }
    }
    sources(root.get("source"), name, base_dir);
    const std::size_t first_topic = m_config.topics.size();
    parse_topics(root.get("topic"), name, m_config.topics, m_errors);
    check_topic_names(name, first_topic);
    includes(top, root.get("include"), name, base_dir, depth);
  }

  // parse_topics sees one file; a topic name must also be unique across included files
  // because it names the topic's URL (/topics/NAME.atom).
  void check_topic_names(const std::string& file, std::size_t first) {
    for (std::size_t i = first; i < m_config.topics.size(); ++i) {
      const auto& t = m_config.topics[i];
      const std::string at =
          file + ":" + std::to_string(t.pos.line) + ":" + std::to_string(t.pos.column);
      const auto [it, inserted] = m_topics.emplace(t.name, std::pair{file, at});
      if (!inserted && it->second.first != file && !t.name.empty()) {
        m_errors.push_back(
            Error{file, t.pos.line, t.pos.column,
                  "duplicate topic '" + t.name + "' (first defined at " + it->second.second + ")"});
      }
    }
  }

  void includes(Reader& top,
                const toml::node* node,
                const std::string& name,
                const fs::path& base_dir,
                int depth) {
    if (node == nullptr) {
      return;
    }
    std::vector<const toml::node*> items;
    if (node->is_string()) {
      items.push_back(node);
    } else if (const auto* arr = node->as_array()) {
      for (const auto& item : *arr) {
        items.push_back(&item);
      }
    } else {
      top.error(*node, "include",
                "expected an array of file names, got " + std::string(detail::type_name(*node)));
      return;
    }
    for (const auto* item : items) {
      const auto* s = item->as_string();
      if (s == nullptr || s->get().empty()) {
        top.error(*item, "include",
                  s == nullptr
                      ? "expected a file name, got " + std::string(detail::type_name(*item))
                      : std::string("file name is empty"));
        continue;
      }
      if (depth + 1 > k_max_include_depth) {
        top.error(*item, "include", "includes are nested deeper than 8 levels");
        continue;
      }
      const fs::path relative{s->get()};
      const fs::path path = (base_dir / relative).lexically_normal();
      const std::string display =
          relative.is_absolute()
              ? relative.string()
              : (fs::path(name).parent_path() / relative).lexically_normal().string();
      std::error_code ec;
      if (!m_visited.insert(fs::weakly_canonical(path, ec).string()).second) {
        top.error(*item, "include", "\"" + s->get() + "\" is included twice (or includes itself)");
        continue;
      }
      std::string text;
      std::string error;
      if (!read_text(path, text, error)) {
        top.error(*item, "include",
                  std::string("cannot read \"").append(display).append("\": ").append(error));
        continue;
      }
      document(text, display, path.parent_path(), depth + 1);
    }
  }

  void sources(const toml::node* node, const std::string& file, const fs::path& base_dir) {
    if (node == nullptr) {
      return;
    }
    for (Reader& r : detail::array_of_tables(*node, "source", file, m_errors)) {
      source(r, file, base_dir);
    }
  }

  void source(Reader& r, const std::string& file, const fs::path& base_dir) {
    r.check_keys({"name", "url", "interval", "enabled", "tags", "utc_offset", "encoding"});
    SourceConfig s;
    bool ok = true;
    if (r.require("name", "every source needs a unique name") && r.get("name", s.name, false)) {
      const auto& at = *r.node("name");
      const auto [it, inserted] = m_names.emplace(s.name, where(file, at.source()));
      // The name goes into log lines and the store's key: no line breaks or other controls.
      if (std::any_of(s.name.begin(), s.name.end(),
                      [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
        r.error(at, "name", "must not contain control characters (tabs, line breaks)");
        ok = false;
      } else if (!inserted) {
        r.error(at, "name",
                "duplicate source name \"" + s.name + "\" (first used at " + it->second + ")");
        ok = false;
      }
    } else {
      ok = false;
    }
    std::string url;
    if (r.require("url") && r.get("url", url, false)) {
      const auto& at = *r.node("url");
      if (auto resolved = detail::resolve_source_url(url, base_dir)) {
        s.url = *std::move(resolved);
        const auto [it, inserted] = m_urls.emplace(url_key(s.url), where(file, at.source()));
        if (!inserted) {
          r.error(at, "url", "duplicate URL \"" + url + "\" (first used at " + it->second + ")");
          ok = false;
        }
      } else {
        r.error(at, "url", resolved.error());
        ok = false;
      }
    } else {
      ok = false;
    }
    Seconds interval{};
    if (r.get_duration("interval", interval)) {
      s.interval = interval;
    }
    r.get("enabled", s.enabled);
    r.get("tags", s.tags);
    if (std::string offset; r.get("utc_offset", offset, false)) {
      if (const auto minutes = detail::parse_utc_offset(offset)) {
        s.utc_offset_minutes = *minutes;
      } else {
        r.error(*r.node("utc_offset"), "utc_offset", minutes.error());
        ok = false;
      }
    }
    if (r.get("encoding", s.encoding, false)) {
      if (const auto known = detail::check_encoding(s.encoding); !known) {
        r.error(*r.node("encoding"), "encoding", known.error());
        ok = false;
      }
    }
    if (ok) {
      m_config.sources.push_back(std::move(s));
    }
  }

  Config m_config;
  std::vector<Error> m_errors;
  std::vector<std::string> m_files;           ///< display names, in load order
  std::set<std::string> m_visited;            ///< canonical paths: no include cycles
  std::map<std::string, std::string> m_names; ///< source name -> FILE:LINE:COL
  std::map<std::string, std::string> m_urls;  ///< resolved URL -> FILE:LINE:COL
  std::map<std::string, std::pair<std::string, std::string>> m_topics; ///< name -> file, place
};

} // namespace

LoadResult load_file(const std::filesystem::path& path) {
  try {
    return Loader{}.run_file(path);
  } catch (const std::exception& e) {
    // Only resource exhaustion gets here; bad input is always an Error above.
    return LoadResult{std::nullopt, {Error{path.string(), 0, 0, e.what()}}};
  }
}

LoadResult
load_string(std::string_view toml, const std::string& name, const std::filesystem::path& base_dir) {
  try {
    return Loader{}.run(toml, name, base_dir);
  } catch (const std::exception& e) {
    return LoadResult{std::nullopt, {Error{name, 0, 0, e.what()}}};
  }
}

} // namespace reelfeed::config

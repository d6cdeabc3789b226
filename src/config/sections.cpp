#include "config/sections.hpp"

#include "config/reader.hpp"
#include "config/values.hpp"

namespace reelfeed::config::detail {
namespace {

namespace fs = std::filesystem;

/// The [name] table, or nullptr (absent, or not a table: then an error).
const toml::table* section(const toml::table& root,
                           std::string_view name,
                           const std::string& file,
                           std::vector<Error>& errors) {
  const toml::node* n = root.get(name);
  if (n == nullptr) {
    return nullptr;
  }
  if (const auto* t = n->as_table()) {
    return t;
  }
  add_error(errors, file, n->source(),
            std::string(name) + ": expected a table [" + std::string(name) + "], got " +
                std::string(type_name(*n)));
  return nullptr;
}

void storage(Reader& r, const fs::path& base_dir, StorageConfig& out) {
  r.check_keys({"path", "retain", "max_entries_per_source", "cache_size"});
  std::string path;
  if (r.get("path", path, false)) {
    out.path = path;
  }
  // ":memory:" is SQLite's in-memory database (tests); every other path is a file.
  if (out.path != ":memory:" && out.path.is_relative()) {
    out.path = (base_dir / out.path).lexically_normal();
  }
  r.get_duration("retain", out.retain);
  r.get("max_entries_per_source", out.max_entries_per_source, 1, 10'000'000);
  r.get_size("cache_size", out.cache_bytes);
}

void server(Reader& r, ServerConfig& out) {
  r.check_keys({"listen", "base_url", "review_listen"});
  std::string listen;
  if (r.get("listen", listen, false)) {
    if (const auto parsed = parse_listen(listen)) {
      out.host = parsed->host;
      out.port = parsed->port;
    } else {
      r.error(*r.node("listen"), "listen", parsed.error());
    }
  }
  std::string review;
  if (r.get("review_listen", review, false)) {
    if (const auto parsed = parse_listen(review)) {
      if (is_loopback(parsed->host)) {
        out.review_host = parsed->host;
        out.review_port = parsed->port;
      } else {
        r.error(*r.node("review_listen"), "review_listen",
                "the editor's view shows what the rules dropped, so it is served on a "
                "loopback address only (127.0.0.1, [::1] or localhost), got \"" +
                    review + "\"");
      }
    } else {
      r.error(*r.node("review_listen"), "review_listen", parsed.error());
    }
  }
  std::string base_url;
  if (r.get("base_url", base_url, false)) {
    if (auto checked = check_base_url(base_url)) {
      out.base_url = *std::move(checked);
    } else {
      r.error(*r.node("base_url"), "base_url", checked.error());
    }
  } else if (out.port != 0) {
    // With port 0 the real port is known only after bind; the server fills it in then.
    const bool wildcard = out.host == "0.0.0.0" || out.host == "::";
    const bool v6 = out.host.find(':') != std::string::npos;
    const std::string host = wildcard ? "localhost" : v6 ? "[" + out.host + "]" : out.host;
    out.base_url = "http://" + host + ":" + std::to_string(out.port);
  }
}

void poll(Reader& r, PollConfig& out) {
  r.check_keys({"interval", "min_interval", "max_interval", "timeout", "connect_timeout",
                "max_body_size", "max_concurrent", "max_per_host", "max_redirects",
                "retry_after_scope", "user_agent", "allow_private_redirects",
                "max_items_per_fetch"});
  r.get_duration("interval", out.interval);
  const bool has_min = r.get_duration("min_interval", out.min_interval);
  const bool has_max = r.get_duration("max_interval", out.max_interval);
  if (out.min_interval > out.max_interval) {
    const auto* at = r.node(has_max ? "max_interval" : "min_interval");
    if (at != nullptr && (has_min || has_max)) {
      r.error(*at, has_max ? "max_interval" : "min_interval",
              "max_interval must not be shorter than min_interval");
    }
  }
  r.get_duration("timeout", out.timeout);
  r.get_duration("connect_timeout", out.connect_timeout);
  r.get_size("max_body_size", out.max_body_bytes);
  r.get("max_concurrent", out.max_concurrent, 1, 1024);
  r.get("max_per_host", out.max_per_host, 1, 256);
  r.get("max_redirects", out.max_redirects, 0, 50);
  std::string scope;
  if (r.get("retry_after_scope", scope)) {
    using Scope = PollConfig::RetryAfterScope;
    if (scope == "source" || scope == "host" || scope == "domain") {
      out.retry_after_scope = scope == "source" ? Scope::source
                              : scope == "host" ? Scope::host
                                                : Scope::domain;
    } else {
      r.error(*r.node("retry_after_scope"), "retry_after_scope",
              "must be \"source\", \"host\" or \"domain\", got \"" + scope + "\"");
    }
  }
  r.get("user_agent", out.user_agent, false);
  r.get("allow_private_redirects", out.allow_private_redirects);
  r.get("max_items_per_fetch", out.max_items_per_fetch, 1, 1'000'000);
}

void output(Reader& r, OutputConfig& out) {
  r.check_keys({"title", "max_items", "max_age", "websub_hub"});
  r.get("title", out.title, false);
  r.get("max_items", out.max_items, 1, 100'000);
  r.get_duration("max_age", out.max_age);
  std::string hub;
  if (r.get("websub_hub", hub, false)) {
    if (const auto checked = check_base_url(hub)) {
      out.websub_hub = hub; // as written: a hub's URL may need its trailing '/'
    } else {
      r.error(*r.node("websub_hub"), "websub_hub", checked.error());
    }
  }
}

void dedup(Reader& r, DedupConfig& out) {
  r.check_keys({"window", "similarity", "event_similarity"});
  r.get_duration("window", out.window);
  for (const auto& [key, value] : {std::pair<const char*, double*>{"similarity", &out.similarity},
                                   {"event_similarity", &out.event_similarity}}) {
    double v = *value;
    if (!r.get(key, v, 0.0, 1.0)) {
      continue;
    }
    if (v <= 0.0) {
      r.error(*r.node(key), key, "must be greater than 0 (1 = identical only)");
    } else {
      *value = v;
    }
  }
}

} // namespace

void parse_sections(const toml::table& root,
                    const std::string& file,
                    const fs::path& base_dir,
                    Config& config,
                    std::vector<Error>& errors) {
  if (const auto* t = section(root, "storage", file, errors)) {
    Reader r(*t, "storage", file, errors);
    storage(r, base_dir, config.storage);
  } else {
    config.storage.path = (base_dir / config.storage.path).lexically_normal();
  }
  if (const auto* t = section(root, "server", file, errors)) {
    Reader r(*t, "server", file, errors);
    server(r, config.server);
  } else {
    config.server.base_url = "http://127.0.0.1:8080";
  }
  if (const auto* t = section(root, "poll", file, errors)) {
    Reader r(*t, "poll", file, errors);
    poll(r, config.poll);
  }
  if (const auto* t = section(root, "output", file, errors)) {
    Reader r(*t, "output", file, errors);
    output(r, config.output);
  }
  if (const auto* t = section(root, "dedup", file, errors)) {
    Reader r(*t, "dedup", file, errors);
    dedup(r, config.dedup);
  }
}

} // namespace reelfeed::config::detail

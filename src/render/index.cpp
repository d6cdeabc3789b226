#include "render/index.hpp"

#include "render/text.hpp"

namespace reelfeed::render {

namespace {

void add_escaped(std::string& out, const std::string& raw) {
  append_html_escaped(out, plain_text(raw), true);
}

void discovery_link(std::string& out,
                    const char* type,
                    const std::string& title,
                    const std::string& path) {
  out += "<link rel=\"alternate\" type=\"";
  out += type;
  out += "\" title=\"";
  add_escaped(out, title);
  out += "\" href=\"";
  add_escaped(out, path);
  out += "\">\n";
}

void format_link(std::string& out, const char* label, const std::string& path) {
  out += "<a href=\"";
  add_escaped(out, path);
  out += "\">";
  out += label;
  out += "</a>";
}

} // namespace

std::string index_html(const std::string& title, std::span<const IndexFeed> feeds) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>";
  add_escaped(out, title);
  out += "</title>\n";
  for (const IndexFeed& f : feeds) {
    discovery_link(out, "application/atom+xml", f.title + " (Atom)", f.atom_path);
    discovery_link(out, "application/rss+xml", f.title + " (RSS)", f.rss_path);
    discovery_link(out, "application/feed+json", f.title + " (JSON Feed)", f.json_path);
  }
  out += "</head>\n<body>\n<h1>";
  add_escaped(out, title);
  out += "</h1>\n<p>Subscribe to a feed in your feed reader:</p>\n<ul>\n";
  for (const IndexFeed& f : feeds) {
    out += "<li><strong>";
    add_escaped(out, f.title);
    out += "</strong>";
    if (!f.name.empty()) {
      out += " (";
      add_escaped(out, f.name);
      out += ")";
    }
    out += ", " + std::to_string(f.items) + (f.items == 1 ? " story: " : " stories: ");
    format_link(out, "Atom", f.atom_path);
    out += " &middot; ";
    format_link(out, "RSS", f.rss_path);
    out += " &middot; ";
    format_link(out, "JSON Feed", f.json_path);
    out += "</li>\n";
  }
  out += "</ul>\n<p>Published by reelfeed.</p>\n</body>\n</html>\n";
  return out;
}

} // namespace reelfeed::render

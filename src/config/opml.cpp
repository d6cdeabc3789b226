#include "config/opml.hpp"

#include <pugixml.hpp>
#include <toml++/toml.h>

#include <set>
#include <sstream>
#include <stdexcept>

#include "util/ascii.hpp"
#include "util/trim.hpp"

namespace reelfeed::config {
namespace {

struct Walker {
  OpmlImport out;
  std::set<std::string> names;
  std::set<std::string> urls;

  void walk(const pugi::xml_node& parent, std::vector<std::string>& folders, int depth) {
    if (depth > 32) { // a hostile file nests without end; real ones have a folder level or two
      out.skipped.emplace_back("outlines nested deeper than 32 levels");
      return;
    }
    for (const pugi::xml_node& o : parent.children("outline")) {
      const std::string text(util::trim_xml_whitespace(o.attribute("text").value()));
      const std::string title(util::trim_xml_whitespace(o.attribute("title").value()));
      const std::string url(util::trim_xml_whitespace(o.attribute("xmlUrl").value()));
      const std::string label = !text.empty() ? text : title;
      if (url.empty()) {
        if (o.child("outline")) { // a folder: its name tags what is inside
          folders.push_back(util::ascii_lower(label));
          walk(o, folders, depth + 1);
          folders.pop_back();
        } else {
          out.skipped.push_back("no xmlUrl: " + (label.empty() ? "(an outline)" : label));
        }
        continue;
      }
      if (!urls.insert(url).second) {
        out.skipped.push_back("same URL as an earlier outline: " + url);
        continue;
      }
      SourceConfig s;
      const std::string base = label.empty() ? url : label;
      s.name = base;
      for (int n = 2; !names.insert(s.name).second; ++n) {
        s.name = base + " (" + std::to_string(n) + ")";
      }
      s.url = url;
      for (const std::string& f : folders) {
        if (!f.empty()) {
          s.tags.push_back(f);
        }
      }
      out.sources.push_back(std::move(s));
      if (o.child("outline")) {
        walk(o, folders, depth + 1);
      }
    }
  }
};

} // namespace

OpmlImport import_opml(std::string_view bytes) {
  pugi::xml_document doc;
  // Default options: entities decoded, no DTD or external entity loaded (pugixml loads none).
  const pugi::xml_parse_result res = doc.load_buffer(bytes.data(), bytes.size());
  const pugi::xml_node body = doc.child("opml").child("body");
  if (!res || !body) {
    throw std::runtime_error(res ? "not OPML: no <opml><body>"
                                 : std::string("not OPML: ") + res.description() + " at byte " +
                                       std::to_string(res.offset));
  }
  Walker w;
  std::vector<std::string> folders;
  w.walk(body, folders, 0);
  return std::move(w.out);
}

std::string sources_toml(const std::vector<SourceConfig>& sources) {
  std::ostringstream out;
  for (const SourceConfig& s : sources) {
    toml::table t{{"name", s.name}, {"url", s.url}};
    if (!s.tags.empty()) {
      toml::array tags;
      for (const std::string& tag : s.tags) {
        tags.push_back(tag);
      }
      t.insert("tags", std::move(tags));
    }
    // toml++ quotes and escapes the strings; the header is ours (an array of tables).
    out << "[[source]]\n" << toml::toml_formatter(t) << "\n\n";
  }
  return out.str();
}

std::string export_opml(const std::vector<SourceConfig>& sources, std::string_view title) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node opml = doc.append_child("opml");
  opml.append_attribute("version") = "2.0";
  opml.append_child("head").append_child("title").text() = std::string(title).c_str();
  pugi::xml_node body = opml.append_child("body");
  for (const SourceConfig& s : sources) {
    pugi::xml_node o = body.append_child("outline");
    o.append_attribute("type") = "rss";
    o.append_attribute("text") = s.name.c_str();
    o.append_attribute("title") = s.name.c_str();
    o.append_attribute("xmlUrl") = s.url.c_str();
    if (!s.tags.empty()) {
      std::string category;
      for (const std::string& tag : s.tags) {
        category += (category.empty() ? "/" : ",/") + tag;
      }
      o.append_attribute("category") = category.c_str();
    }
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

} // namespace reelfeed::config

#include "render/review_page.hpp"

#include <cstdio>

#include "render/page_parts.hpp"

namespace reelfeed::render {

namespace {

std::string num(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", d);
  return buf;
}

std::string signed_num(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.2f", d);
  return buf;
}

void headline(std::string& out, const Prepared& p) {
  if (p.link.empty()) {
    page::text(out, p.title);
    return;
  }
  out += "<a href=\"";
  page::text(out, p.link);
  out += "\">";
  page::text(out, p.title);
  out += "</a>";
}

void item(std::string& out, const ReviewItem& r) {
  const Decision& d = r.decision;
  out += "<article id=\"story-" + std::to_string(r.id) + "\">\n<h3>";
  headline(out, r.story);
  out += "</h3>\n<p class=\"meta\">";
  page::time(out, r.story.published);
  if (!r.story.outlets.empty()) {
    out += " &middot; ";
    page::text(out, r.story.outlets.front().source);
  }
  out += " &middot; <strong>";
  out += d.published ? "published" : "not published";
  out += "</strong>, score " + num(d.score) + (d.score >= d.threshold ? " &ge; " : " &lt; ") +
         "threshold " + num(d.threshold) + "</p>\n";
  if (!r.dropped_by.empty()) {
    out += "<p class=\"why\">Dropped by: ";
    for (std::size_t i = 0; i < r.dropped_by.size(); ++i) {
      out += i == 0 ? "" : ", ";
      out += "<code>";
      page::text(out, r.dropped_by[i]);
      out += "</code>";
    }
    out += "</p>\n";
  }
  out += "<p class=\"why\">";
  page::text(out, d.reason);
  out += "</p>\n";
  if (!d.hits.empty()) {
    out += "<table><caption class=\"why\">Rule terms that fired</caption>\n"
           "<thead><tr><th scope=\"col\">Concept</th><th scope=\"col\">Field</th>"
           "<th scope=\"col\">Term</th><th scope=\"col\">Weight</th></tr></thead>\n<tbody>\n";
    for (const RuleHit& h : d.hits) {
      out += "<tr><td>";
      page::text(out, h.concept_name);
      out += "</td><td>";
      page::text(out, h.field);
      out += "</td><td>";
      page::text(out, h.term);
      out += "</td><td>" + signed_num(h.weight) + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
  }
  out += "</article>\n";
}

void section(std::string& out,
             const char* id,
             const std::string& heading,
             std::span<const ReviewItem> items,
             bool dropped) {
  out += "<section aria-labelledby=\"";
  out += id;
  out += "\">\n<h2 id=\"";
  out += id;
  out += "\">";
  page::text(out, heading);
  out += "</h2>\n";
  bool any = false;
  for (const ReviewItem& r : items) {
    if (r.dropped_by.empty() == dropped) {
      continue;
    }
    item(out, r);
    any = true;
  }
  if (!any) {
    out += "<p>None.</p>\n";
  }
  out += "</section>\n";
}

} // namespace

std::string review_page(const ReviewPageInfo& info, std::span<const ReviewItem> items) {
  std::string out;
  page::open(out, "Review: " + info.topic_title + " \xC2\xB7 " + info.site_title);
  page::header(out, info.site_title, " &middot; editor's view", "Review: " + info.topic_title,
               info.topics, info.current);
  out += "<p class=\"sub\">Latest decisions on the stories of the last " +
         std::to_string(info.days) + " days: those that scored within " + num(info.margin) +
         " of the threshold (" + num(info.threshold) +
         "), on either side, and those a negative rule dropped. <a href=\"";
  page::text(out, info.topic_page);
  out += "\">The published stories</a>.</p>\n</header>\n<main>\n";
  section(out, "near", "Near the threshold", items, false);
  section(out, "dropped", "Dropped by a negative rule", items, true);
  out += "</main>\n";
  page::close(out);
  return out;
}

} // namespace reelfeed::render

#include "render/page_parts.hpp"

#include <ctime>

#include "render/text.hpp"

namespace reelfeed::render::page {

namespace {

// The policy names the stylesheet and the script by their SHA-256, so an edit of either
// must update its hash in k_csp (the browser test fails on the console error otherwise):
//   printf '%s' "$TEXT" | openssl dgst -sha256 -binary | base64
// clang-format off
constexpr std::string_view k_style = R"css(:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#555;--link:#0b57b0;
--line:#d8d8d8;--tag:#f0f0f0}
@media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#e6e6e6;--muted:#b0b0b0;
--link:#8cb8ff;--line:#3a3d42;--tag:#25282d}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:46rem;padding:1rem 1rem 3rem;background:var(--bg);
color:var(--fg);font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
overflow-wrap:break-word}
a{color:var(--link)}
header{border-bottom:2px solid var(--line);margin-bottom:.5rem}
.site{margin:0;color:var(--muted);font-size:.9rem}
h1{margin:.2rem 0 .4rem;font-size:1.6rem;line-height:1.25}
h2{font-size:1.15rem;line-height:1.3;margin:0 0 .2rem}
h3{font-size:1.05rem;line-height:1.3;margin:0 0 .2rem}
section>h2{margin:1.2rem 0 .2rem}
nav ul,.feeds ul{list-style:none;padding:0;margin:.3rem 0}
nav li{display:inline-block;margin:0 .9rem .3rem 0}
nav a[aria-current]{font-weight:700;text-decoration:none;color:var(--fg)}
.sub{color:var(--muted);font-size:.9rem;margin:.2rem 0 .6rem}
article{border-bottom:1px solid var(--line);padding:.9rem 0}
.meta,.outlets,.concepts,.why{color:var(--muted);font-size:.875rem;margin:.2rem 0}
.summary{margin:.4rem 0}
.summary img{max-width:100%;height:auto}
.summary pre{overflow-x:auto}
.outlets ul{margin:.2rem 0;padding-left:1.2rem}
.concepts span,.why code{background:var(--tag);border-radius:.25rem;padding:0 .3rem;
margin-right:.25rem}
.pager{display:flex;justify-content:space-between;padding:1rem 0}
.feeds{margin-top:2rem;font-size:.9rem}
.feeds li{margin:.3rem 0}
table{border-collapse:collapse;font-size:.85rem;margin:.3rem 0}
caption{text-align:left}
td,th{border:1px solid var(--line);padding:.2rem .4rem;text-align:left;vertical-align:top})css";
constexpr std::string_view k_script = R"js(for (const t of document.querySelectorAll("time[datetime]")) {
  const d = new Date(t.dateTime);
  if (!isNaN(d)) {
    t.title = t.textContent;
    t.textContent = d.toLocaleString([], {dateStyle: "medium", timeStyle: "short"});
  }
})js";
constexpr std::string_view k_csp =
    "default-src 'none'; img-src http: https: data:; "
    "style-src 'sha256-mnBtyX3ry3PcJ6obf3kANq7ZJy+lxg777c3rFLzMbvA='; "
    "script-src 'sha256-mPx+Ua/R+jjjp6Jf90BHaD58sSJVibE3kheQ6PHrG8Q='; "
    "base-uri 'none'; form-action 'none'";
// clang-format on

} // namespace

void text(std::string& out, std::string_view raw) {
  append_html_escaped(out, plain_text(raw), true);
}

std::string_view content_security_policy() {
  return k_csp;
}

void open(std::string& out, std::string_view title, std::string_view head_extra) {
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"color-scheme\" content=\"light dark\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"";
  out += k_csp;
  // An empty icon: browsers ask for /favicon.ico otherwise, which the server does not have.
  out += "\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
         "<link rel=\"icon\" href=\"data:,\">\n<title>";
  text(out, title);
  out += "</title>\n<style>";
  out += k_style;
  out += "</style>\n";
  out += head_extra;
  out += "</head>\n<body>\n";
}

void close(std::string& out) {
  out += "<script>";
  out += k_script;
  out += "</script>\n</body>\n</html>\n";
}

void header(std::string& out,
            std::string_view site,
            std::string_view site_note,
            std::string_view heading,
            std::span<const std::pair<std::string, std::string>> topics,
            std::size_t current) {
  out += "<header>\n<p class=\"site\">";
  text(out, site);
  out += site_note;
  out += "</p>\n<h1>";
  text(out, heading);
  out += "</h1>\n";
  if (topics.size() < 2) {
    return;
  }
  out += "<nav aria-label=\"Topics\"><ul>";
  for (std::size_t t = 0; t < topics.size(); ++t) {
    out += "<li><a href=\"";
    text(out, topics[t].second);
    out += t == current ? "\" aria-current=\"page\">" : "\">";
    text(out, topics[t].first);
    out += "</a></li>";
  }
  out += "</ul></nav>\n";
}

std::string readable_utc(Timestamp t) {
  const std::time_t secs = t.time_since_epoch().count();
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, "%d %b %Y, %H:%M UTC", &tm);
  return std::string(buf, n);
}

void time(std::string& out, Timestamp t) {
  out += "<time datetime=\"";
  out += format_rfc3339(t);
  out += "\">";
  out += readable_utc(t);
  out += "</time>";
}

} // namespace reelfeed::render::page

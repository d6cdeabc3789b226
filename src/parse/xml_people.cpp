// Handlers for who and what an item is about: authors (feedparser's author_detail email
// split), categories and keyword lists, plus CDF's attribute-borne date and link.
#include <re2/re2.h>

#include <optional>

#include "parse/detail.hpp"
#include "parse/parse.hpp"
#include "parse/xml_engine.hpp"

namespace reelfeed::parse::detail {

void Engine::cdf_common(std::span<const Attr> attrs) {
  // CDF carries the date and link as attributes; feedparser feeds them through the
  // ordinary element handlers.
  if (auto lastmod = attr(attrs, "lastmod")) {
    push("updated", true);
    top().text = *lastmod;
    end_date(false);
  }
  if (auto href = attr(attrs, "href")) {
    start_link({});
    if (m_top > 0 && top().name == "link") {
      top().text = *href;
    }
    pop("link");
  }
}

void Engine::start_author() {
  m_inauthor = true;
  push("author", true);
  context().authors.emplace_back();
}

void Engine::end_author() {
  pop("author");
  m_inauthor = false;
  sync_author_detail();
}

void Engine::save_author(std::string_view key, std::string_view value) {
  Context& c = context();
  if (c.authors.empty()) {
    c.authors.emplace_back();
  }
  (is(key, "name") ? c.authors.back().name : c.authors.back().email) = value;
}

void Engine::sync_author_detail() {
  Context& c = context();
  if (c.authors.empty()) {
    return;
  }
  Author& detail = c.authors.back();
  if (!detail.name.empty() || !detail.email.empty() || !c.author_text || c.author_text->empty()) {
    return;
  }
  static const RE2 k_email(
      R"((([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?)");
  // Every match contains '@': without one the regex cannot match and the name is the text.
  if (c.author_text->find('@') == std::string::npos) {
    detail.name = *c.author_text;
    detail.email.clear();
    return;
  }
  std::string author = *c.author_text;
  std::string email;
  re2::StringPiece m;
  if (RE2::PartialMatch(author, k_email, &m)) {
    email = std::string(m.data(), m.size());
    auto erase_all = [&](std::string_view what) {
      for (auto p = author.find(what); p != std::string::npos; p = author.find(what)) {
        author.erase(p, what.size());
      }
    };
    erase_all(email);
    erase_all("()");
    erase_all("<>");
    erase_all("&lt;&gt;");
    author = std::string(util::trim_ascii_whitespace(author));
    if (!author.empty() && author.front() == '(') {
      author.erase(0, 1);
    }
    if (!author.empty() && author.back() == ')') {
      author.pop_back();
    }
    author = std::string(util::trim_ascii_whitespace(author));
  }
  detail.name = author;
  detail.email = email;
}

void Engine::add_tag(std::optional<std::string_view> term,
                     std::optional<std::string_view> scheme,
                     std::optional<std::string_view> label) {
  Context& c = context();
  c.has_tags = true;
  auto empty = [](const std::optional<std::string_view>& s) { return !s || s->empty(); };
  if (empty(term) && empty(scheme) && empty(label)) {
    return;
  }
  // Compared as views: a Tag (three optional strings) is built only when it is new.
  auto same = [](const std::optional<std::string>& a, const std::optional<std::string_view>& b) {
    return a.has_value() == b.has_value() && (!a || std::string_view(*a) == *b);
  };
  for (const auto& x : c.tags) {
    if (same(x.term, term) && same(x.scheme, scheme) && same(x.label, label)) {
      return;
    }
  }
  auto own = [](const std::optional<std::string_view>& v) {
    return v ? std::optional<std::string>(std::in_place, *v) : std::nullopt;
  };
  if (c.tags.empty()) {
    c.tags.reserve(4); // items carry a few categories: one allocation, not one per doubling
  }
  c.tags.push_back(Tag{own(term), own(scheme), own(label)});
}

void Engine::start_category(std::span<const Attr> attrs, const char* default_scheme) {
  auto scheme = attr(attrs, "scheme");
  if (!scheme) {
    scheme = attr(attrs, "domain");
  }
  if (!scheme && default_scheme) {
    scheme = default_scheme;
  }
  add_tag(attr(attrs, "term"), scheme, attr(attrs, "label"));
  push("category", true);
}

void Engine::end_category() {
  auto v = pop("category");
  if (!v || v->empty()) {
    return;
  }
  Context& c = context();
  if (!c.tags.empty() && (!c.tags.back().term || c.tags.back().term->empty())) {
    c.tags.back().term = *v;
  } else {
    add_tag(*v, std::nullopt, std::nullopt);
  }
}

void Engine::split_tags(std::string_view element, const char* scheme) {
  auto v = pop(element);
  if (!v) {
    return;
  }
  std::string_view s = *v;
  while (true) {
    const auto comma = s.find(',');
    const std::string_view term = util::trim_ascii_whitespace(s.substr(0, comma));
    if (!term.empty() || scheme == nullptr) {
      add_tag(term, scheme ? std::optional<std::string_view>(scheme) : std::nullopt, std::nullopt);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    s.remove_prefix(comma + 1);
  }
}

} // namespace reelfeed::parse::detail

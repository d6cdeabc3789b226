#pragma once
// A port of feedparser's element-stack machine (mixin.py + namespaces/*.py) driven by a
// walk over a pugixml DOM. Conformance is measured against feedparser, and its many quirks
// (which element wins, when a summary becomes content, how xhtml is serialised) fall out of
// the same state machine, so it is reproduced rather than re-invented. Internal to parse.
//
// Map of the machine. Its functions stay as long as feedparser's (each exempt from the
// function-size limit, see .clang-tidy) so that the two can be read side by side.
//   element(node)   one DOM element: namespaces bound, attributes canonicalised; inside
//                   content that is not XML, the tag is serialised into the content as
//                   text; else start(key) ... the children (element() or handle_data()) ...
//                   end(key, handler). (feedparser: unknown_starttag / unknown_endtag)
//   start(key)      dispatches on xml_keys::lookup(key) (one H per handled element) to the
//                   _start_* of feedparser: opens a frame (push / push_content) and sets the
//                   position flags. Unknown elements push a discarding frame.
//   end(key, H)     the matching _end_*: pop / pop_content of the frame, the value stored
//                   in the Context of the feed, the entry or the source.
//   pop(name)       closes the top frame: decodes, sanitises, resolves and stores its text
//                   (feedparser's pop()).
// States (members below): the frame stack m_stack[0, m_top) with each open element's text;
//   where the walk is: m_infeed, m_inentry, m_insource, m_inimage, m_intextinput,
//   m_inauthor, m_incontributor, m_inpublisher; m_incontent > 0 inside content (m_cp its
//   type and base); m_title_depth while in a title; m_ns the namespace bindings in scope;
//   m_base the xml:base in scope.

#include <pugixml.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/entry.hpp"
#include "parse/detail.hpp"

namespace reelfeed::parse::detail {

namespace xml_keys {
enum class H; // the element handlers (xml_keys.hpp)
} // namespace xml_keys

struct Author {
  std::string name, email;
};
struct Tag {
  std::optional<std::string> term, scheme, label;
  bool operator==(const Tag&) const = default;
};
struct Link {
  std::string rel, type;
  std::optional<std::string> href, length;
};
struct Content {
  std::string type, value;
};

/// One feedparser "context" (feed, entry, or a scratch one for image/textinput/source).
struct Context {
  std::optional<std::string> id, title, link, summary, author_text;
  std::string title_type, summary_type;
  bool has_summary_detail = false;
  int id_depth = -1, title_depth = -1, summary_depth = -1, author_depth = -1;
  std::optional<bool> guidislink;
  bool has_published = false, has_updated = false;
  std::optional<Timestamp> published, updated;
  std::vector<Author> authors;
  std::vector<Tag> tags;
  bool has_tags = false;
  std::vector<Link> links;
  /// The first content element (feedparser keeps a list; only its first one is printed).
  std::optional<Content> content;
};

struct Frame {
  std::string_view name; ///< a literal for known elements; k_unknown otherwise
  bool expecting_text = false;
  /// No pop of this frame reads its text (containers such as item, unknown elements
  /// outside content): data is not collected and pop skips the text rules.
  bool discard = false;
  std::string text;
};

struct Attr {
  std::string name;       ///< lower-cased, known-namespace prefixes canonicalised
  std::string_view value; ///< into the DOM, or into `owned` when it had to be rewritten
  std::string owned;      ///< storage for a lower-cased value (rel, type)
};

class Engine {
public:
  explicit Engine(bool doc_utf8) : m_doc_utf8(doc_utf8) {}
  /// The document URL (Options::base_url): the base of relative links outside any xml:base.
  void set_base(std::string base) {
    m_base = std::move(base);
    m_base_bracket = url_has_bracket(m_base);
  }
  /// Options::missing_zone_minutes, for the dates of this document.
  void set_missing_zone(int minutes) { m_missing_zone = minutes; }
  void run(const pugi::xml_document& doc);

  std::string version;
  Context feed;
  std::vector<Context> entries;
  std::optional<Seconds> ttl, update_period;

private:
  struct NsBinding {
    std::string prefix;    ///< document prefix ("" = default namespace)
    std::string canonical; ///< feedparser's prefix for a known URI, else the document prefix
    bool known = false;
  };

  void element(const pugi::xml_node& node);
  /// Returns the element's handler, looked up once per element and passed to end()
  /// (nullopt: an element feedparser has no handler for).
  std::optional<xml_keys::H>
  start(std::string_view key, std::span<const Attr> attrs, bool& pushed_unknown);
  void end(std::string_view key, std::optional<xml_keys::H> handler, bool pushed_unknown);
  void handle_data(std::string_view text, bool escape = true);

  void push(std::string_view name, bool expecting, bool discard = false);
  /// The popped value: a view into the frame's buffer, valid until the next push.
  std::optional<std::string_view> pop(std::string_view name, bool strip = true);
  void push_content(std::string_view tag,
                    std::span<const Attr> attrs,
                    std::string_view default_type,
                    bool expecting);
  std::optional<std::string_view> pop_content(std::string_view tag);
  Context& context();
  // Content-type tests run for every element and text node inside content: compare
  // string_views (length first) rather than std::string against a C string.
  bool cp_xhtml() const { return std::string_view(m_cp.type) == "application/xhtml+xml"; }
  bool cp_xmlish() const {
    return m_cp.type.empty() || std::string_view(m_cp.type).ends_with("xml");
  }
  void track_namespace(std::string_view prefix, std::string_view uri);
  std::string resolve(std::string_view uri) const;
  void save_author(std::string_view key, std::string_view value);
  void sync_author_detail();
  void add_tag(std::optional<std::string_view> term,
               std::optional<std::string_view> scheme,
               std::optional<std::string_view> label);

  // Handlers for the elements that matter to the output.
  void cdf_common(std::span<const Attr> attrs);
  void start_author();
  void end_author();
  void start_link(std::span<const Attr> attrs);
  void start_category(std::span<const Attr> attrs, const char* default_scheme);
  void end_category();
  void
  start_summary_like(std::span<const Attr> attrs, bool description, std::string_view default_type);
  void end_summary_like();
  void start_content(std::span<const Attr> attrs, std::string_view default_type);
  void end_content();
  void end_date(bool published);
  void split_tags(std::string_view element, const char* scheme);

  bool m_doc_utf8;
  int m_missing_zone = 0;
  // Frames [0, m_top) are open; those above keep their text buffers for reuse.
  std::vector<Frame> m_stack;
  std::size_t m_top = 0;
  Frame& top() { return m_stack[m_top - 1]; }
  std::vector<NsBinding> m_ns;
  std::string m_base;
  bool m_base_bracket = false; ///< url_has_bracket(m_base), kept by set_base
  /// urljoin_keeps(m_base, ref) without scanning the base for every link.
  bool base_keeps(std::string_view ref) const { return !m_base_bracket && url_plain_absolute(ref); }
  Context m_scratch;
  // Attribute names and values of the element being started, before canonicalisation.
  std::vector<std::pair<std::string_view, std::string_view>> m_raw_attrs;
  // Attributes of the element being started, reused across elements (only read before the
  // children are walked), so their strings keep their capacity instead of reallocating.
  std::vector<Attr> m_attrs;

  int m_depth = 0, m_title_depth = -1;
  int m_incontent = 0;
  bool m_infeed = false, m_inentry = false, m_inimage = false, m_intextinput = false,
       m_inauthor = false, m_incontributor = false, m_inpublisher = false, m_insource = false;
  bool m_has_content = false, m_guidislink = false, m_feed_has_image = false;
  bool m_summary_key_content = false;
  std::int64_t m_sy_period = 0, m_sy_frequency = 1;
  struct ContentParams {
    std::string type;
    bool active = false, base64 = false;
  } m_cp;
};

/// ASCII lower-casing of element names, attribute values and namespace URIs (shared by the
/// engine's source files; feedparser lower-cases these the same way).
inline void lower_in_place(std::string& s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  lower_in_place(out);
  return out;
}

/// The value of attribute `name` (a view into attrs: valid until the next element starts).
/// Names are literals: the compare is inlined (attr() was 3% of parse instructions, most
/// of it memcmp calls with a run-time length).
template <std::size_t N>
std::optional<std::string_view> attr(std::span<const Attr> attrs, const char (&name)[N]) {
  for (const auto& a : attrs) {
    if (is(a.name, name)) {
      return std::string_view(a.value);
    }
  }
  return std::nullopt;
}

} // namespace reelfeed::parse::detail

// Namespace bookkeeping of the state machine: feedparser's table of known module URIs and
// the per-element prefix bindings that canonicalise element names to "prefix_local".
#include <array>

#include "parse/detail.hpp"
#include "parse/xml_engine.hpp"

namespace reelfeed::parse::detail {
namespace {

struct KnownNs {
  std::string_view uri, prefix;
};
// feedparser's namespace table (mixin.py), lower-cased URIs.
constexpr std::array<KnownNs, 71> k_known_ns = {{
    {"", ""},
    {"http://backend.userland.com/rss", ""},
    {"http://blogs.law.harvard.edu/tech/rss", ""},
    {"http://purl.org/rss/1.0/", ""},
    {"http://my.netscape.com/rdf/simple/0.9/", ""},
    {"http://example.com/newformat#", ""},
    {"http://example.com/necho", ""},
    {"http://purl.org/echo/", ""},
    {"uri/of/echo/namespace#", ""},
    {"http://purl.org/pie/", ""},
    {"http://purl.org/atom/ns#", ""},
    {"http://www.w3.org/2005/atom", ""},
    {"http://purl.org/rss/1.0/modules/rss091#", ""},
    {"http://webns.net/mvcb/", "admin"},
    {"http://purl.org/rss/1.0/modules/aggregation/", "ag"},
    {"http://purl.org/rss/1.0/modules/annotate/", "annotate"},
    {"http://media.tangent.org/rss/1.0/", "audio"},
    {"http://backend.userland.com/blogchannelmodule", "blogChannel"},
    {"http://creativecommons.org/ns#license", "cc"},
    {"http://web.resource.org/cc/", "cc"},
    {"http://cyber.law.harvard.edu/rss/creativecommonsrssmodule.html", "creativeCommons"},
    {"http://backend.userland.com/creativecommonsrssmodule", "creativeCommons"},
    {"http://purl.org/rss/1.0/modules/company", "co"},
    {"http://purl.org/rss/1.0/modules/content/", "content"},
    {"http://my.theinfo.org/changed/1.0/rss/", "cp"},
    {"http://purl.org/dc/elements/1.1/", "dc"},
    {"http://purl.org/dc/terms/", "dcterms"},
    {"http://purl.org/rss/1.0/modules/email/", "email"},
    {"http://purl.org/rss/1.0/modules/event/", "ev"},
    {"http://rssnamespace.org/feedburner/ext/1.0", "feedburner"},
    {"http://freshmeat.net/rss/fm/", "fm"},
    {"http://xmlns.com/foaf/0.1/", "foaf"},
    {"http://www.w3.org/2003/01/geo/wgs84_pos#", "geo"},
    {"http://www.georss.org/georss", "georss"},
    {"http://www.opengis.net/gml", "gml"},
    {"http://postneo.com/icbm/", "icbm"},
    {"http://purl.org/rss/1.0/modules/image/", "image"},
    {"http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes"},
    {"http://example.com/dtds/podcast-1.0.dtd", "itunes"},
    {"http://purl.org/rss/1.0/modules/link/", "l"},
    {"http://search.yahoo.com/mrss", "media"},
    {"http://search.yahoo.com/mrss/", "media"},
    {"http://madskills.com/public/xml/rss/module/pingback/", "pingback"},
    {"http://prismstandard.org/namespaces/1.2/basic/", "prism"},
    {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf"},
    {"http://www.w3.org/2000/01/rdf-schema#", "rdfs"},
    {"http://purl.org/rss/1.0/modules/reference/", "ref"},
    {"http://purl.org/rss/1.0/modules/richequiv/", "reqv"},
    {"http://purl.org/rss/1.0/modules/search/", "search"},
    {"http://purl.org/rss/1.0/modules/slash/", "slash"},
    {"http://schemas.xmlsoap.org/soap/envelope/", "soap"},
    {"http://purl.org/rss/1.0/modules/servicestatus/", "ss"},
    {"http://hacks.benhammersley.com/rss/streaming/", "str"},
    {"http://purl.org/rss/1.0/modules/subscription/", "sub"},
    {"http://purl.org/rss/1.0/modules/syndication/", "sy"},
    {"http://schemas.pocketsoap.com/rss/mydescmodule/", "szf"},
    {"http://purl.org/rss/1.0/modules/taxonomy/", "taxo"},
    {"http://purl.org/rss/1.0/modules/threading/", "thr"},
    {"http://purl.org/rss/1.0/modules/textinput/", "ti"},
    {"http://madskills.com/public/xml/rss/module/trackback/", "trackback"},
    {"http://wellformedweb.org/commentapi/", "wfw"},
    {"http://purl.org/rss/1.0/modules/wiki/", "wiki"},
    {"http://www.w3.org/1999/xhtml", "xhtml"},
    {"http://www.w3.org/1999/xlink", "xlink"},
    {"http://www.w3.org/xml/1998/namespace", "xml"},
    {"http://podlove.org/simple-chapters", "psc"},
    {"http://purl.org/syndication/thread/1.0", "thr"},
    {"http://www.google.com/schemas/reader/atom/", "gr"},
    {"http://purl.org/rss/2.0/modules/slash/", "slash"},
    {"http://www.w3.org/2001/xmlschema-instance", "xsi"},
    {"http://schemas.google.com/g/2005", "gd"},
}};
const KnownNs* find_ns(std::string_view lower_uri) {
  for (const auto& k : k_known_ns) {
    if (k.uri == lower_uri) {
      return &k;
    }
  }
  if (lower_uri.find("backend.userland.com/rss") != std::string_view::npos) {
    return &k_known_ns[1];
  }
  return nullptr;
}
} // namespace

void Engine::track_namespace(std::string_view prefix, std::string_view uri) {
  const std::string low = lower(uri);
  if (version.empty()) {
    if (prefix.empty() && low == "http://my.netscape.com/rdf/simple/0.9/") {
      version = "rss090";
    } else if (low == "http://purl.org/rss/1.0/") {
      version = "rss10";
    } else if (low == "http://www.w3.org/2005/atom") {
      version = "atom10";
    }
  }
  const KnownNs* k = find_ns(low);
  m_ns.push_back(
      {std::string(prefix),
       // A prefix bound to a foreign URI must not pass for a known module's prefix
       // ("content" bound to http://other.example/ns is not content:encoded).
       k ? std::string(k->prefix) : (prefix.empty() ? std::string() : "ns-" + std::string(prefix)),
       k != nullptr});
}

} // namespace reelfeed::parse::detail

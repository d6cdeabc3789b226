// URL canonicalisation for item identity and story clustering. Hand-written rather than
// a URL library because the rules are dedup policy (which parameters are tracking noise,
// which AMP spellings are the same page), not RFC 3986 parsing.

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "dedup/dedup.hpp"
#include "util/ascii.hpp"

namespace reelfeed::dedup {
namespace {

// Miniflux's list (internal/reader/urlcleaner) plus common publisher/newsletter ones.
constexpr std::array<std::string_view, 85> k_tracking_params = {"fbclid",
                                                                "_openstat",
                                                                "fb_action_ids",
                                                                "fb_action_types",
                                                                "fb_ref",
                                                                "fb_source",
                                                                "fb_comment_id",
                                                                "hmb_campaign",
                                                                "hmb_medium",
                                                                "hmb_source",
                                                                "itm_campaign",
                                                                "itm_medium",
                                                                "itm_source",
                                                                "gclid",
                                                                "dclid",
                                                                "gbraid",
                                                                "wbraid",
                                                                "gclsrc",
                                                                "campaign_id",
                                                                "campaign_medium",
                                                                "campaign_name",
                                                                "campaign_source",
                                                                "campaign_term",
                                                                "campaign_content",
                                                                "srsltid",
                                                                "yclid",
                                                                "ysclid",
                                                                "twclid",
                                                                "msclkid",
                                                                "mc_cid",
                                                                "mc_eid",
                                                                "mc_tc",
                                                                "wickedid",
                                                                "hsa_cam",
                                                                "_hsenc",
                                                                "__hssc",
                                                                "__hstc",
                                                                "__hsfp",
                                                                "_hsmi",
                                                                "hsctatracking",
                                                                "rb_clickid",
                                                                "oly_anon_id",
                                                                "oly_enc_id",
                                                                "vero_id",
                                                                "vero_conv",
                                                                "mkt_tok",
                                                                "sc_cid",
                                                                "_bhlid",
                                                                "_branch_match_id",
                                                                "_branch_referrer",
                                                                "__readwiselocation",
                                                                "ref",
                                                                "ref_src",
                                                                "ref_url",
                                                                "cmpid",
                                                                "cmp",
                                                                "igshid",
                                                                "_ga",
                                                                "_gl",
                                                                "smid",
                                                                "ito",
                                                                "taid",
                                                                "ocid",
                                                                "icid",
                                                                "ncid",
                                                                "intcmp",
                                                                "s_cid",
                                                                "wt.mc_id",
                                                                "wt_mc_id",
                                                                "xtor",
                                                                "ns_mchannel",
                                                                "ns_source",
                                                                "ns_campaign",
                                                                "ns_linkname",
                                                                "ns_fee",
                                                                "guccounter",
                                                                "guce_referrer",
                                                                "guce_referrer_sig",
                                                                "ftag",
                                                                "soc_src",
                                                                "soc_trk",
                                                                "sr_share",
                                                                "__twitter_impression",
                                                                "ck_subscriber_id",
                                                                "spm"};
constexpr std::array<std::string_view, 4> k_tracking_prefixes = {"utm_", "mtm_", "pk_", "at_"};

bool is_tracking(std::string_view name, std::string_view value) {
  const std::string n = util::ascii_lower(name);
  for (auto p : k_tracking_prefixes)
    if (n.starts_with(p))
      return true;
  if (std::find(k_tracking_params.begin(), k_tracking_params.end(), n) != k_tracking_params.end())
    return true;
  // AMP switches: ?amp, ?amp=1, ?outputType=amp, ?output=amp.
  const std::string v = util::ascii_lower(value);
  if (n == "amp" && (v.empty() || v == "1" || v == "true"))
    return true;
  return (n == "outputtype" || n == "output") && v == "amp";
}

// Upper-case the hex digits of percent escapes so %2f and %2F compare equal.
std::string normalise_escapes(std::string_view s) {
  std::string out(s);
  for (std::size_t i = 0; i + 2 < out.size(); ++i) {
    if (out[i] == '%' && std::isxdigit(static_cast<unsigned char>(out[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(out[i + 2]))) {
      out[i + 1] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[i + 1])));
      out[i + 2] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[i + 2])));
      i += 2;
    }
  }
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto pos = s.find(sep, start);
    const auto end = pos == std::string_view::npos ? s.size() : pos;
    parts.push_back(s.substr(start, end - start));
    if (pos == std::string_view::npos)
      break;
    start = pos + 1;
  }
  return parts;
}

// Segments that only wrap an AMP page: "/platform/amp/<path>" serves "/<path>".
bool is_amp_wrapper(std::string_view seg) {
  return util::ascii_lower(seg) == "platform";
}

// Drops AMP path spellings: a whole "amp" segment (/amp/x, /x/amp, /news/amp/x), a
// wrapper segment just before a leading one (/platform/amp/x), "x.amp.html" and "x.amp".
// A segment that only contains "amp" (/camp, /amp-stories, /amped) is the article's own.
std::string strip_amp_path(std::string_view path) {
  auto segs = split(path, '/');
  std::size_t kept = 0; // non-empty segments that are not AMP markers
  for (auto seg : segs)
    if (!seg.empty() && util::ascii_lower(seg) != "amp")
      ++kept;
  // "/amp" alone is a page called amp, not an AMP variant of the home page.
  const bool strip = kept > 0;
  std::string out;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto seg = segs[i];
    if (seg.empty() && !out.empty() && out.back() == '/')
      continue; // collapse "//"
    if (strip && util::ascii_lower(seg) == "amp")
      continue;
    // segs[0] is the empty text before the first '/': a wrapper is segs[1].
    if (strip && i == 1 && i + 1 < segs.size() && is_amp_wrapper(seg) &&
        util::ascii_lower(segs[i + 1]) == "amp" && kept > 1)
      continue;
    std::string s(seg);
    if (std::string ls = util::ascii_lower(s);
        ls.ends_with(".amp.html") || ls.ends_with(".amp.htm"))
      s.erase(s.size() - (ls.ends_with(".amp.html") ? 9 : 8), 4);
    else if (i + 1 == segs.size() && ls.size() > 4 && ls.ends_with(".amp"))
      s.erase(s.size() - 4);
    if (!out.empty() && out.back() != '/')
      out += '/';
    if (out.empty())
      out += '/';
    out += s;
  }
  if (out.empty())
    out = "/";
  if (path.size() > 1 && path.back() == '/' && out.back() != '/')
    out += '/';
  return out;
}

// Hosts that serve another host's articles in another dress. An "amp." host serves the
// site's own host ("amp.variety.com" is "variety.com"). A leading "m." or "mobile." is the
// mobile site of a "www." host: sites old enough to have a mobile host publish under "www."
// ("m.bbc.co.uk", "mobile.nytimes.com"); an inner one is dropped ("en.m.wikipedia.org").
// A host of two labels ("m.tv") is a site of its own.
void strip_variant_host(std::string& host) {
  const auto dots = std::count(host.begin(), host.end(), '.');
  if (host.starts_with("amp.") && dots >= 2) {
    host.erase(0, 4);
    return;
  }
  for (std::string_view label : {"m.", "mobile."}) {
    if (host.starts_with(label) && dots >= 2) {
      host.replace(0, label.size(), "www.");
      return;
    }
    const std::string inner = "." + std::string(label);
    if (const auto pos = host.find(inner); pos != std::string::npos && dots >= 3) {
      host.erase(pos + 1, label.size());
      return;
    }
  }
}

} // namespace

std::string canonical_url(std::string_view url) {
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.front())))
    url.remove_prefix(1);
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.back())))
    url.remove_suffix(1);
  const auto sep = url.find("://");
  if (sep == std::string_view::npos)
    return std::string(url);
  const std::string scheme = util::ascii_lower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https")
    return std::string(url);

  std::string_view rest = url.substr(sep + 3);
  if (auto hash = rest.find('#'); hash != std::string_view::npos)
    rest = rest.substr(0, hash);
  const auto auth_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, auth_end);
  std::string_view after = auth_end == std::string_view::npos ? "" : rest.substr(auth_end);
  std::string_view path = after.substr(0, after.find('?'));
  std::string_view query =
      after.find('?') == std::string_view::npos ? "" : after.substr(after.find('?') + 1);
  if (authority.empty())
    return std::string(url);

  std::string userinfo;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    userinfo = std::string(authority.substr(0, at + 1));
    authority = authority.substr(at + 1);
  }
  std::string host = util::ascii_lower(authority);
  if (auto colon = host.rfind(':');
      colon != std::string::npos && host.find(']', colon) == std::string::npos) {
    const std::string port = host.substr(colon + 1);
    if (port.empty() || port == "80" || port == "443")
      host.erase(colon);
  }
  while (!host.empty() && host.back() == '.')
    host.pop_back();
  strip_variant_host(host);

  // Google AMP cache: https://example-com.cdn.ampproject.org/c/s/example.com/path
  if (host.ends_with(".cdn.ampproject.org")) {
    const std::string p(path);
    for (std::string_view prefix : {"/c/s/", "/v/s/", "/c/", "/v/"}) {
      if (p.starts_with(prefix)) {
        std::string inner = "https://" + p.substr(prefix.size());
        if (!query.empty())
          inner += "?" + std::string(query);
        return canonical_url(inner);
      }
    }
  }

  std::string out_path = strip_amp_path(path.empty() ? "/" : path);
  out_path = normalise_escapes(out_path);
  while (out_path.size() > 1 && out_path.back() == '/')
    out_path.pop_back();

  std::vector<std::string> params;
  for (auto kv : split(query, '&')) {
    if (kv.empty())
      continue;
    const auto eq = kv.find('=');
    const auto name = kv.substr(0, eq);
    const auto value = eq == std::string_view::npos ? std::string_view{} : kv.substr(eq + 1);
    if (!is_tracking(name, value))
      params.push_back(normalise_escapes(kv));
  }
  // Order carries no meaning for the pages we see; sorting makes ?a&b == ?b&a.
  std::stable_sort(params.begin(), params.end());

  std::string out = "https://" + userinfo + host + out_path;
  for (std::size_t i = 0; i < params.size(); ++i)
    out += (i == 0 ? "?" : "&") + params[i];
  return out;
}

} // namespace reelfeed::dedup

// Character encoding detection and transcoding to UTF-8. The order of candidates follows
// RFC 7303 (BOM, then HTTP charset, then the XML declaration) and then feedparser's
// fallbacks, so a document with lying declarations still decodes.
#include <iconv.h>

#include <cerrno>
#include <memory>

#include "parse/detail.hpp"
#include "util/ascii.hpp"

namespace reelfeed::parse::detail {
namespace {

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

/// Strict decode: nullopt on any invalid or unknown input.
std::optional<std::string> decode(std::string_view bytes, std::string enc) {
  if (enc == "utf-8" || enc == "utf8" || enc == "utf_8" || enc == "u8") {
    if (valid_utf8(bytes)) {
      return std::string(bytes);
    }
    return std::nullopt;
  }
  if (enc == "gb2312") {
    enc = "gb18030";
  }
  iconv_t raw = iconv_open("UTF-8", enc.c_str());
  // NOLINTNEXTLINE(performance-no-int-to-ptr): (iconv_t)-1 is iconv_open's failure value
  if (raw == reinterpret_cast<iconv_t>(-1)) {
    return std::nullopt;
  }
  std::unique_ptr<void, IconvCloser> cd(raw);
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data()); // iconv's API is not const-correct
  std::size_t in_left = bytes.size();
  std::size_t done = 0;
  while (in_left > 0) {
    char* op = out.data() + done;
    std::size_t out_left = out.size() - done;
    const std::size_t r = iconv(raw, &in, &in_left, &op, &out_left);
    done = out.size() - out_left;
    if (r == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) {
        out.resize(out.size() * 2);
        continue;
      }
      return std::nullopt;
    }
  }
  out.resize(done);
  if (!valid_utf8(out)) {
    return std::nullopt;
  }
  return out;
}

/// Encoding named by `<?xml ... encoding="..." ?>` on the first line (feedparser's regex).
std::string xml_decl_encoding(std::string_view s) {
  if (s.substr(0, 2) != "<?") {
    return {};
  }
  const auto nl = s.find_first_of("\n\r");
  const std::string_view line = s.substr(0, nl);
  const auto end = line.rfind("?>");
  if (end == std::string_view::npos) {
    return {};
  }
  const auto p = line.find("encoding=");
  if (p == std::string_view::npos || p + 9 >= line.size()) {
    return {};
  }
  const char q = line[p + 9];
  if (q != '"' && q != '\'') {
    return {};
  }
  const auto close = line.find_first_of("\"'", p + 10);
  if (close == std::string_view::npos) {
    return {};
  }
  return util::ascii_lower(line.substr(p + 10, close - p - 10));
}

std::string http_charset(std::string_view content_type, std::string& media) {
  const auto semi = content_type.find(';');
  media = util::ascii_lower(util::trim_ascii_whitespace(content_type.substr(0, semi)));
  if (semi == std::string_view::npos) {
    return {};
  }
  const std::string params = util::ascii_lower(content_type.substr(semi));
  const auto p = params.find("charset=");
  if (p == std::string::npos) {
    return {};
  }
  std::string v = params.substr(p + 8);
  v = std::string(util::trim_ascii_whitespace(v.substr(0, v.find(';'))));
  std::string out;
  for (char c : v) {
    if (c != '"' && c != '\'') {
      out += c;
    }
  }
  return out;
}

} // namespace

Decoded decode_xml(std::string_view bytes,
                   std::string_view content_type,
                   std::vector<std::string>& warnings,
                   std::string_view forced) {
  const std::size_t original_size = bytes.size();
  std::string bom;
  auto starts = [&](std::string_view m) { return bytes.substr(0, m.size()) == m; };
  using namespace std::string_view_literals;
  if (starts("\x00\x00\xFE\xFF"sv)) {
    bom = "utf-32be";
    bytes.remove_prefix(4);
  } else if (starts("\xFF\xFE\x00\x00"sv)) {
    bom = "utf-32le";
    bytes.remove_prefix(4);
  } else if (starts("\xFE\xFF"sv) && bytes.substr(2, 2) != "\x00\x00"sv) {
    bom = "utf-16be";
    bytes.remove_prefix(2);
  } else if (starts("\xFF\xFE"sv) && bytes.substr(2, 2) != "\x00\x00"sv) {
    bom = "utf-16le";
    bytes.remove_prefix(2);
  } else if (starts("\xEF\xBB\xBF"sv)) {
    bom = "utf-8";
    bytes.remove_prefix(3);
  } else if (starts("\x00\x3C\x00\x3F"sv)) {
    bom = "utf-16be";
  } else if (starts("\x3C\x00\x3F\x00"sv)) {
    bom = "utf-16le";
  } else if (starts("\x00\x00\x00\x3C"sv)) {
    bom = "utf-32be";
  } else if (starts("\x3C\x00\x00\x00"sv)) {
    bom = "utf-32le";
  }
  std::string xml_enc;
  if (!bom.empty() && bom != "utf-8") {
    if (auto head = decode(bytes.substr(0, 1024 & ~std::size_t{3}), bom)) {
      xml_enc = xml_decl_encoding(*head);
    }
  } else {
    xml_enc = xml_decl_encoding(bytes);
  }
  static constexpr std::string_view k_unicode_names[] = {
      "u16",    "utf-16",          "utf16",           "utf_16", "u32",       "utf-32", "utf32",
      "utf_32", "iso-10646-ucs-2", "iso-10646-ucs-4", "csucs4", "csunicode", "ucs-2",  "ucs-4"};
  if (!bom.empty()) {
    for (auto n : k_unicode_names) {
      if (xml_enc == n) {
        xml_enc = bom;
      }
    }
  }
  std::string media;
  const std::string charset = http_charset(content_type, media);
  std::string preferred;
  if (media.empty()) {
    preferred = xml_enc.empty() ? "utf-8" : xml_enc;
  } else if (media == "application/xml" ||
             (media.rfind("application/", 0) == 0 && media.size() > 4 &&
              media.compare(media.size() - 4, 4, "+xml") == 0)) {
    preferred = !charset.empty() ? charset : (!xml_enc.empty() ? xml_enc : "utf-8");
  } else if (media.rfind("text/", 0) == 0) {
    preferred = !charset.empty() ? charset : "us-ascii";
  } else {
    preferred = !charset.empty() ? charset : (xml_enc.empty() ? "utf-8" : xml_enc);
  }
  if (!forced.empty()) {
    preferred = util::ascii_lower(forced);
  }
  // A BOM is authoritative (RFC 7303 section 3.3): it goes first.
  const std::string candidates[] = {bom.empty() ? preferred : bom,
                                    preferred,
                                    xml_enc,
                                    bom,
                                    "utf-8",
                                    "windows-1252",
                                    "iso-8859-2"};
  Decoded d;
  for (std::size_t i = 0; i < std::size(candidates); ++i) {
    const std::string& enc = candidates[i];
    if (enc.empty()) {
      continue;
    }
    bool tried = false;
    for (std::size_t k = 0; k < i; ++k) {
      tried = tried || candidates[k] == enc;
    }
    if (tried) {
      continue;
    }
    const bool is_utf8 = enc == "utf-8" || enc == "utf8";
    if (is_utf8) {
      // Validated while copied: the copy is what pugixml parses in place.
      auto copy = std::make_unique_for_overwrite<char[]>(bytes.size());
      const Scan scan = copy_scan(bytes, copy.get());
      if (!scan.valid_utf8) {
        continue; // decode() would reject it too
      }
      d.borrowed = true;
      d.offset = original_size - bytes.size();
      d.utf8 = true;
      d.scratch = std::move(copy);
      d.scan = scan;
      return d;
    }
    if (auto text = decode(bytes, enc)) {
      if (i > 1) {
        warnings.push_back(std::string("document declared as ")
                               .append(preferred)
                               .append(", decoded as ")
                               .append(enc));
      }
      d.text = std::move(*text);
      d.utf8 = is_utf8;
      return d;
    }
  }
  // Unreachable in practice (iso-8859-2 decodes every byte); keep bytes with U+FFFD.
  warnings.emplace_back("undecodable bytes replaced by U+FFFD");
  for (char c : bytes) {
    append_utf8(d.text, static_cast<unsigned char>(c));
  }
  return d;
}

} // namespace reelfeed::parse::detail

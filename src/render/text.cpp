#include "render/text.hpp"

#include <cstdint>

namespace reelfeed::render {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

/// Decodes one UTF-8 sequence at `s[i]`; returns its length, or 0 if it is malformed
/// (overlong, surrogate, out of range or truncated).
std::size_t decode(std::string_view s, std::size_t i, std::uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len = 0;
  std::uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

bool xml_allowed(std::uint32_t cp) {
  if (cp < 0x20) {
    return cp == 0x9 || cp == 0xA || cp == 0xD;
  }
  return cp != 0xFFFE && cp != 0xFFFF;
}

} // namespace

std::string clean_text(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  std::size_t i = 0;
  while (i < in.size()) {
    std::uint32_t cp = 0;
    const std::size_t len = decode(in, i, cp);
    if (len == 0) {
      out += k_replacement;
      ++i;
      continue;
    }
    if (xml_allowed(cp)) {
      out.append(in.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string plain_text(std::string_view in) {
  const std::string clean = clean_text(in);
  std::string out;
  out.reserve(clean.size());
  bool space = false;
  for (const char c : clean) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return out;
}

void append_html_escaped(std::string& out, std::string_view in, bool quote) {
  for (const char c : in) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += quote ? "&quot;" : "\"";
      break;
    default:
      out += c;
    }
  }
}

std::string truncated(std::string in, std::size_t max_bytes) {
  constexpr std::string_view k_ellipsis = "\xE2\x80\xA6"; // U+2026
  if (in.size() <= max_bytes) {
    return in;
  }
  std::size_t cut = max_bytes > k_ellipsis.size() ? max_bytes - k_ellipsis.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(in[cut]) & 0xC0) == 0x80) {
    --cut; // never inside a character
  }
  // A word boundary within the last few characters reads better than a cut word.
  constexpr std::size_t k_word_slack = 32;
  const std::size_t space = in.rfind(' ', cut);
  if (space != std::string::npos && space > 0 && cut - space <= k_word_slack) {
    cut = space;
  }
  in.resize(cut);
  in += k_ellipsis;
  return in;
}

} // namespace reelfeed::render

#pragma once
// Pure helpers for item identity and story clustering: URL canonicalisation, title
// normalisation (outlet decorations removed) and near-duplicate signatures.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/entry.hpp"

namespace reelfeed::dedup {

/// Lower-case scheme/host, no default port/fragment, tracking parameters removed,
/// trailing slash and AMP variants normalised, https preferred. Returns the input
/// unchanged when it is not an absolute http(s) URL.
[[nodiscard]] std::string canonical_url(std::string_view url);

/// Title without outlet decorations ("EXCLUSIVE:", "| Variety", "UPDATED:"), case-folded,
/// punctuation removed, whitespace collapsed.
[[nodiscard]] std::string normalise_title(std::string_view title);

/// The title for DISPLAY: the same outlet decorations as normalise_title() removed
/// ("EXCLUSIVE: ", "[UPDATED]", " | Variety", " - Deadline", "Variety: "...), but case,
/// punctuation and inner spacing kept and surrounding whitespace trimmed. Returns a view
/// into `title` (valid as long as it is). When stripping would leave fewer than 3
/// letters/digits, returns the whole (trimmed) title. Pure and thread-safe.
[[nodiscard]] std::string_view undecorated(std::string_view title);

/// The figures of an item: the numbers in its title and the start of its lede (HTML),
/// folded and sorted ("Note number 12" -> {"12"}). Copies of one item never disagree on
/// them; items of a series always do. Pure.
[[nodiscard]] std::vector<std::string> figures(std::string_view title, std::string_view html_lede);

/// Near-duplicate signature of title + lede (MinHash over word shingles).
struct Signature {
  static constexpr std::size_t k_size = 32;
  std::array<std::uint32_t, k_size> minhash{};
};
[[nodiscard]] Signature signature(const Entry& entry);
/// The same, for a caller that already has normalise_title(entry.title).
[[nodiscard]] Signature signature(const Entry& entry, std::string_view normalised_title);
/// Estimated Jaccard similarity in [0, 1].
[[nodiscard]] double similarity(const Signature& a, const Signature& b);

} // namespace reelfeed::dedup

#pragma once
// A value, or the message that says why there is none: the error style of the pure
// validators (config values). GCC 12 has no std::expected; this is the small part of it
// the project uses.

#include <string>
#include <utility>
#include <variant>

namespace reelfeed::util {

/// Why a Result has no value: a message for the person who wrote the input.
struct Failure {
  std::string message;
};

template <typename T> class [[nodiscard]] Result {
public:
  Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {} // NOLINT: implicit
  Result(Failure failure) // NOLINT(google-explicit-constructor): returned as `Failure{...}`
      : m_state(std::in_place_index<1>, std::move(failure.message)) {}

  [[nodiscard]] bool has_value() const noexcept { return m_state.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  /// The value; only when has_value().
  [[nodiscard]] const T& operator*() const& { return std::get<0>(m_state); }
  [[nodiscard]] T&& operator*() && { return std::get<0>(std::move(m_state)); }
  [[nodiscard]] const T* operator->() const { return &std::get<0>(m_state); }
  /// The message; only when !has_value().
  [[nodiscard]] const std::string& error() const { return std::get<1>(m_state); }

  friend bool operator==(const Result& r, const T& value) { return r.has_value() && *r == value; }

private:
  std::variant<T, std::string> m_state;
};

/// A check with nothing to return but success.
using Checked = Result<std::monostate>;

} // namespace reelfeed::util

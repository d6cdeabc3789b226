#pragma once
// Time values passed between stages. Every instant is UTC with second precision.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace reelfeed {

using Timestamp = std::chrono::sys_seconds;
using Seconds = std::chrono::seconds;

/// "2023-07-14T12:00:00Z".
std::string format_rfc3339(Timestamp t);
/// "Fri, 14 Jul 2023 12:00:00 GMT" (RFC 1123, as HTTP and RSS want it).
std::string format_rfc1123(Timestamp t);

/// A clock that can be replaced in tests; production code uses system_clock.
struct Clock {
  virtual ~Clock() = default;
  [[nodiscard]] virtual Timestamp now() const;
};

/// The production clock, for the parts no test gives another one. Stateless.
[[nodiscard]] const Clock& wall_clock();

} // namespace reelfeed

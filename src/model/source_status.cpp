#include "model/source_status.hpp"

namespace reelfeed {

const char* to_string(SourceState s) {
  switch (s) {
  case SourceState::ok:
    return "ok";
  case SourceState::backing_off:
    return "backing_off";
  case SourceState::gone:
    return "gone";
  case SourceState::moved:
    return "moved";
  case SourceState::disabled:
    return "disabled";
  }
  return "unknown";
}

const std::string& poll_url(const SourceStatus& status) {
  return status.effective_url.empty() ? status.url : status.effective_url;
}

} // namespace reelfeed

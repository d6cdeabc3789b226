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

} // namespace reelfeed

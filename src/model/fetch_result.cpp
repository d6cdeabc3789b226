#include "model/fetch_result.hpp"

namespace reelfeed {

const char* to_string(FetchOutcome o) {
  switch (o) {
  case FetchOutcome::ok:
    return "ok";
  case FetchOutcome::not_modified:
    return "not_modified";
  case FetchOutcome::http_error:
    return "http_error";
  case FetchOutcome::network_error:
    return "network_error";
  case FetchOutcome::too_large:
    return "too_large";
  case FetchOutcome::bad_redirect:
    return "bad_redirect";
  case FetchOutcome::not_a_feed:
    return "not_a_feed";
  }
  return "unknown";
}

} // namespace reelfeed

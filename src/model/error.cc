#include "model/error.h"

namespace utask {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_template: return "invalid_template";
    case ErrorCode::invalid_input: return "invalid_input";
    case ErrorCode::invalid_config: return "invalid_config";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::lease_lost: return "lease_lost";
    case ErrorCode::transient: return "transient";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

}  // namespace utask

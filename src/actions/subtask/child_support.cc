#include "actions/subtask/child_support.h"

namespace utask::actions {

std::string context_string(const Json& context, const char* key) {
  if (!context.is_object()) return "";
  auto it = context.find(key);
  return it != context.end() && it->is_string() ? it->get<std::string>() : "";
}

Requester requester_from_context(const Json& context) {
  Requester r;
  r.username = context_string(context, "requester_username");
  const std::string groups = context_string(context, "requester_groups");
  size_t start = 0;
  while (start <= groups.size()) {
    size_t comma = groups.find(',', start);
    if (comma == std::string::npos) comma = groups.size();
    if (comma > start) r.groups.push_back(groups.substr(start, comma - start));
    start = comma + 1;
  }
  return r;
}

ErrorKind error_kind_of(const Error& error) {
  return error.code == ErrorCode::invalid_input || error.code == ErrorCode::forbidden
             ? ErrorKind::client
             : ErrorKind::server;
}

ActionResult no_services(std::string_view action) {
  return ActionResult::failure(ErrorKind::server,
                               std::string(action) + ": no task services in this process");
}

}  // namespace utask::actions

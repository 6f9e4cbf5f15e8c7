#include "service/context.h"

#include "service/resolution_service.h"

namespace utask::service {

engine::Time ServiceContext::now() const {
  if (clock) return clock();
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

Caller ServiceContext::caller(std::string username, std::vector<std::string> groups) const {
  return make_caller(std::move(username), std::move(groups), admin_usernames, admin_groups);
}

Result<std::shared_ptr<const model::TaskTemplate>> ServiceContext::find_template(
    const std::string& name) const {
  const Error missing = Error::not_found("template \"" + name + "\" not found");
  if (name.empty() || !templates) return missing;
  auto found = templates(name);
  if (!found) return found.error().code == ErrorCode::not_found ? missing : found.error();
  if (!*found) return missing;
  return std::move(*found);
}

void ServiceContext::wake() const {
  if (runner) runner->wake();
}

void ServiceContext::notify(std::vector<TaskEvent> events) const {
  if (notifier && !events.empty()) notifier->notify(std::move(events));
}

}  // namespace utask::service

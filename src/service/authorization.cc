#include "service/authorization.h"

#include <algorithm>

#include "config/utask_config.h"

namespace utask::service {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// An empty identity is nobody (DECISIONS: no identity sees nothing): it matches no user list.
bool user_in(const Caller& caller, const std::vector<std::string>& users) {
  return !caller.username.empty() && contains(users, caller.username);
}

bool groups_intersect(const Caller& caller, const std::vector<std::string>& groups) {
  return std::any_of(caller.groups.begin(), caller.groups.end(),
                     [&](const std::string& g) { return contains(groups, g); });
}

}  // namespace

Caller make_caller(std::string username, std::vector<std::string> groups,
                   const std::vector<std::string>& admin_usernames,
                   const std::vector<std::string>& admin_groups) {
  Caller c{std::move(username), std::move(groups), false};
  c.admin = user_in(c, admin_usernames) || groups_intersect(c, admin_groups);
  return c;
}

Caller make_caller(std::string username, std::vector<std::string> groups,
                   const config::UtaskConfig& config) {
  return make_caller(std::move(username), std::move(groups), config.admin_usernames,
                     config.admin_groups);
}

bool is_requester(const Caller& caller, const persistence::TaskRecord& task) {
  return !caller.username.empty() && caller.username == task.requester_username;
}

bool is_watcher(const Caller& caller, const persistence::TaskRecord& task) {
  return user_in(caller, task.watcher_usernames) || groups_intersect(caller, task.watcher_groups);
}

bool is_template_owner(const Caller& caller, const model::TaskTemplate& tmpl) {
  return user_in(caller, tmpl.allowed_resolver_usernames) ||
         groups_intersect(caller, tmpl.allowed_resolver_groups);
}

bool is_resolution_manager(const Caller& caller, const persistence::TaskRecord& task,
                           const model::TaskTemplate& tmpl, bool with_current_resolver) {
  if (is_template_owner(caller, tmpl)) return true;
  if (user_in(caller, task.resolver_usernames)) return true;
  if (groups_intersect(caller, task.resolver_groups)) return true;
  return with_current_resolver && task.resolution_id && !caller.username.empty() &&
         caller.username == task.resolver_username;
}

bool may_set_task_resolvers(const Caller& caller, const model::TaskTemplate& tmpl) {
  return caller.admin || is_template_owner(caller, tmpl);
}

bool may_auto_run(const Caller& caller, const persistence::TaskRecord& task,
                  const model::TaskTemplate& tmpl) {
  return caller.admin || is_resolution_manager(caller, task, tmpl, false) ||
         (is_requester(caller, task) && tmpl.allow_all_resolver_usernames);
}

bool may_view_task(const Caller& caller, const persistence::TaskRecord& task,
                   const model::TaskTemplate& tmpl) {
  return caller.admin || is_requester(caller, task) || is_watcher(caller, task) ||
         is_resolution_manager(caller, task, tmpl, true);
}

bool may_update_task(const Caller& caller, const persistence::TaskRecord& task,
                     const model::TaskTemplate& tmpl) {
  return caller.admin || is_template_owner(caller, tmpl) ||
         (is_requester(caller, task) && !task.resolution_id);
}

bool may_wontfix(const Caller& caller, const persistence::TaskRecord& task,
                 const model::TaskTemplate& tmpl) {
  return caller.admin || is_requester(caller, task) ||
         is_resolution_manager(caller, task, tmpl, false);
}

bool may_use_admin_route(const Caller& caller) { return caller.admin; }

bool may_use_comments(const Caller& caller, const persistence::TaskRecord& task,
                      const model::TaskTemplate& tmpl) {
  return may_view_task(caller, task, tmpl);
}

bool may_edit_comment(const Caller& caller, const persistence::Comment& comment) {
  return caller.admin || (!caller.username.empty() && caller.username == comment.username);
}

bool may_create_resolution(const Caller& caller, const persistence::TaskRecord& task,
                           const model::TaskTemplate& tmpl) {
  return caller.admin || is_resolution_manager(caller, task, tmpl, false);
}

bool may_start_over(const Caller& caller, const persistence::TaskRecord& task,
                    const model::TaskTemplate& tmpl) {
  return caller.admin ||
         (tmpl.allow_task_start_over && is_resolution_manager(caller, task, tmpl, false));
}

bool may_view_resolution(const Caller& caller, const persistence::TaskRecord& task,
                         const model::TaskTemplate& tmpl) {
  return may_view_task(caller, task, tmpl);
}

bool may_view_resolution_outputs(const Caller& caller, const persistence::TaskRecord& task,
                                 const model::TaskTemplate& tmpl) {
  return caller.admin || is_resolution_manager(caller, task, tmpl, true);
}

bool may_set_step_state(const Caller& caller, const model::TaskTemplate& tmpl) {
  return caller.admin || is_template_owner(caller, tmpl);
}

bool may_operate_resolution(const Caller& caller, const persistence::TaskRecord& task,
                            const model::TaskTemplate& tmpl) {
  return caller.admin || is_resolution_manager(caller, task, tmpl, true);
}

bool may_force_pause(const Caller& caller) { return caller.admin; }

Json mask_task_input(const Json& input, const model::TaskTemplate& tmpl, const Caller& caller) {
  if (caller.admin || !input.is_object()) return input;
  Json out = input;
  for (const auto& declared : tmpl.inputs) {
    if (declared.type != model::InputType::password) continue;
    auto it = out.find(declared.name);
    if (it != out.end() && !it->is_null()) *it = kSecretMask;
  }
  return out;
}

Json unmask_task_input(Json input, const Json& stored) {
  if (!input.is_object() || !stored.is_object()) return input;
  for (auto it = input.begin(); it != input.end(); ++it) {
    if (!it->is_string() || it->get_ref<const std::string&>() != kSecretMask) continue;
    auto old = stored.find(it.key());
    if (old != stored.end()) *it = *old;
  }
  return input;
}

void strip_step_json(Json& step) {
  if (!step.is_object()) return;
  for (const char* key : {"output", "metadata", "children", "item"}) step.erase(key);
}

void strip_resolution_json(Json& resolution) {
  if (!resolution.is_object()) return;
  resolution.erase("resolver_inputs");
  auto steps = resolution.find("steps");
  if (steps == resolution.end() || !steps->is_object()) return;
  for (auto& step : *steps) strip_step_json(step);
}

}  // namespace utask::service

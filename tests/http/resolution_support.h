#pragma once
// Set-up shared by the resolution, callback and maintenance route tests: a task of the
// `manual` template (tests/http/templates/manual.yaml) with one of each role, its resolution
// in a chosen state, and a snapshot of everything a refused request must leave unchanged.
//
// Roles on a subject's task:
//   admin      admin_usernames            owner     template owner (allowed_resolver_usernames)
//   resolver   in the task's resolver_usernames (a resolution manager, RM⁻)
//   requester  created the task           watcher   in the task's watcher_usernames
//   stranger   none of these

#include <gtest/gtest.h>

#include <string>

#include "http/api_fixture.h"
#include "persistence/store.h"
#include "service/authorization.h"
#include "service/context.h"
#include "service/resolution_service.h"

namespace utask::testing {

struct Subject {
  std::string task_id;
  std::string resolution_id;  // empty when not resolved
};

// A `manual` task with its roles; resolved by `owner` unless `resolve` is false. `state`
// (and `task_state`) forced on the resolution when given: states only the engine reaches.
inline Subject make_subject(TestApi& api, bool resolve = true, const std::string& state = "",
                            const std::string& task_state = "") {
  Subject s;
  Json task = api.create_task("manual", Json::object(), "requester",
                              Json{{"watcher_usernames", {"watcher"}}});
  s.task_id = task["id"].get<std::string>();
  persistence::TaskChange resolvers;
  resolvers.resolver_usernames = std::vector<std::string>{"resolver"};
  EXPECT_TRUE(api.store().update_task(s.task_id, resolvers).ok());
  if (!resolve) return s;
  Json resolution = api.create_resolution(s.task_id, "owner",
                                          Json{{"resolver_inputs", {{"reason", "because"}}}});
  s.resolution_id = resolution["id"].get<std::string>();
  if (!state.empty()) {
    persistence::ResolutionChange change;
    change.state = state;
    if (!task_state.empty()) change.task_state = task_state;
    change.revoke_lease = true;
    auto written = api.store().update_resolution(s.resolution_id, change);
    EXPECT_TRUE(written.ok()) << written.error().message;
  }
  return s;
}

// The `error` of a JSON error answer; a description of the body when it is not one.
inline std::string error_of(const CallResult& r) {
  auto parsed = parse_json(r.body);
  if (parsed && parsed->is_object() && parsed->contains("error") && (*parsed)["error"].is_string()) {
    return (*parsed)["error"].get<std::string>();
  }
  return "<not an error answer: " + r.body + ">";
}

inline service::Caller admin_caller(TestApi& api) { return api.services().caller("admin", {}); }

// What a refused request must not have changed: the task, its resolution with its steps (as
// an admin sees them) and its comments.
inline std::string snapshot(TestApi& api, const Subject& s) {
  std::string out;
  auto task = api.store().get_task(s.task_id);
  if (task) {
    out += task->state + "|" + task->resolution_id.value_or("-") + "|" +
           std::to_string(task->resolver_usernames.size()) + "|";
  }
  if (auto comments = api.store().list_comments(s.task_id); comments) {
    out += std::to_string(comments->size()) + "|";
  }
  if (task && task->resolution_id) {
    auto r = api.resolutions().get_resolution(admin_caller(api), *task->resolution_id);
    if (r) out += to_json_text(*r);
  }
  return out;
}

}  // namespace utask::testing

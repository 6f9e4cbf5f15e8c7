#pragma once
// Who may do what (api.md §3): the role predicates, one function per row of the §3.2 table,
// and what a viewer may see decrypted (§3.3). Pure functions of the caller, the task (its
// joined resolver is the "current resolver") and the template; no store access, so the REST
// handlers, `utask run` and the tests share them.
//
// All comparisons are exact, case-sensitive string equality; "groups intersect" means one of
// the caller's groups is in the list.

#include <string>
#include <vector>

#include "model/json.h"
#include "model/task_template.h"
#include "persistence/records.h"

namespace utask::config {
struct UtaskConfig;
}

namespace utask::service {

// The authenticated identity of a request (api.md §2), admin decided once (§2.3).
struct Caller {
  std::string username;
  std::vector<std::string> groups;
  bool admin = false;
};

// §2.3: admin when the username is in admin_usernames or a group in admin_groups.
Caller make_caller(std::string username, std::vector<std::string> groups,
                   const config::UtaskConfig& config);
Caller make_caller(std::string username, std::vector<std::string> groups,
                   const std::vector<std::string>& admin_usernames,
                   const std::vector<std::string>& admin_groups);

// ---- Role predicates (§3.1) --------------------------------------------------------------

bool is_requester(const Caller& caller, const persistence::TaskRecord& task);
bool is_watcher(const Caller& caller, const persistence::TaskRecord& task);
bool is_template_owner(const Caller& caller, const model::TaskTemplate& tmpl);
// RM: template owner, in the task's resolver_usernames, in its resolver_groups, or — only
// with `with_current_resolver` and when the task has a resolution — its current resolver.
// RM⁻ is `with_current_resolver = false`.
bool is_resolution_manager(const Caller& caller, const persistence::TaskRecord& task,
                           const model::TaskTemplate& tmpl, bool with_current_resolver);

// ---- The §3.2 table, one function per row ---------------------------------------------------

// POST /task with non-empty resolver_usernames or resolver_groups.
bool may_set_task_resolvers(const Caller& caller, const model::TaskTemplate& tmpl);
// POST /task step 7 (and subtask, batch): the new task gets its resolution at once. The
// task's own resolver lists count (RM⁻), and a requester when allow_all_resolver_usernames.
bool may_auto_run(const Caller& caller, const persistence::TaskRecord& task,
                  const model::TaskTemplate& tmpl);
// GET /task/:id (`Can't display task details`).
bool may_view_task(const Caller& caller, const persistence::TaskRecord& task,
                   const model::TaskTemplate& tmpl);
// PUT /task/:id (`Can't update task`): admin, template owner, or the requester while the task
// has no resolution.
bool may_update_task(const Caller& caller, const persistence::TaskRecord& task,
                     const model::TaskTemplate& tmpl);
// POST /task/:id/wontfix (`Can't set task's state to WONTFIX`).
bool may_wontfix(const Caller& caller, const persistence::TaskRecord& task,
                 const model::TaskTemplate& tmpl);
// DELETE /task/:id, PUT /resolution/:id, PUT /resolution/:id/step/:name, POST /key-rotate:
// the route guard (401).
bool may_use_admin_route(const Caller& caller);
// POST, GET /task/:id/comment and GET of one comment.
bool may_use_comments(const Caller& caller, const persistence::TaskRecord& task,
                      const model::TaskTemplate& tmpl);
// PUT, DELETE of a comment: its author or an admin.
bool may_edit_comment(const Caller& caller, const persistence::Comment& comment);
// POST /resolution (`You are not allowed to resolve this task`).
bool may_create_resolution(const Caller& caller, const persistence::TaskRecord& task,
                           const model::TaskTemplate& tmpl);
// POST /resolution with start_over (`You are not allowed to start over this task`).
bool may_start_over(const Caller& caller, const persistence::TaskRecord& task,
                    const model::TaskTemplate& tmpl);
// GET /resolution/:id and its steps (`Can't display resolution details`).
bool may_view_resolution(const Caller& caller, const persistence::TaskRecord& task,
                         const model::TaskTemplate& tmpl);
// ... and unstripped (outputs, metadata, children, item, resolver inputs).
bool may_view_resolution_outputs(const Caller& caller, const persistence::TaskRecord& task,
                                 const model::TaskTemplate& tmpl);
// PUT /resolution/:id/step/:name/state (`Can't update resolution step state`).
bool may_set_step_state(const Caller& caller, const model::TaskTemplate& tmpl);
// POST /resolution/:id/run, pause, extend, cancel: admin or RM (current resolver included).
bool may_operate_resolution(const Caller& caller, const persistence::TaskRecord& task,
                            const model::TaskTemplate& tmpl);
// POST /resolution/:id/pause?force=true (`Not an admin user`).
bool may_force_pause(const Caller& caller);

// ---- What is decrypted for whom (§3.3) ------------------------------------------------------

inline constexpr const char* kSecretMask = "**__SECRET__**";

// The task input as `caller` sees it: for non-admins every input declared `type: password`
// whose value is not null becomes `**__SECRET__**`. Non-objects are returned as they are.
Json mask_task_input(const Json& input, const model::TaskTemplate& tmpl, const Caller& caller);

// PUT /task/:id: every value that is exactly `**__SECRET__**` takes the stored value of the
// same key (any key, not only passwords); a key absent from `stored` keeps the mask.
Json unmask_task_input(Json input, const Json& stored);

// The resolution JSON (api.md §6.3) for a viewer who is not a manager: steps lose output,
// metadata, children and item; resolver_inputs is removed.
void strip_resolution_json(Json& resolution);
// The same for one step object (api.md §6.5).
void strip_step_json(Json& step);

}  // namespace utask::service

// TaskService: reading tasks (api.md §5.3.2, §5.3.3) — one task with its comments, its
// blocked steps' errors and its input masked for the viewer; listings mapped to TaskFilter.

#include "engine/resolution_state.h"
#include "engine/step_state.h"
#include "persistence/store.h"
#include "service/presenters.h"
#include "service/task_service.h"

namespace utask::service {

namespace {

// Applies §3.3's masking to the stored input text.
void mask_input(persistence::TaskRecord& task, const model::TaskTemplate& tmpl,
                const Caller& caller) {
  if (caller.admin || !task.input_json) return;
  auto input = parse_json(*task.input_json);
  if (!input) return;
  task.input_json = to_json_text(mask_task_input(*input, tmpl, caller));
}

// GET /task/:id of a BLOCKED task: (description, error) of every CLIENT_ERROR step.
Result<std::vector<std::pair<std::string, std::string>>> blocked_errors(
    persistence::Store& store, const persistence::TaskRecord& task) {
  std::vector<std::pair<std::string, std::string>> out;
  if (task.state != engine::task_state::kBlocked || !task.resolution_id) return out;
  auto resolution = store.get_resolution(*task.resolution_id, persistence::ResolutionView::with_steps);
  if (!resolution) return resolution.error();
  for (const auto& row : resolution->steps) {
    if (row.state != "CLIENT_ERROR") continue;
    auto json = parse_json(row.step_json);
    if (!json) return Error::internal("stored step \"" + row.name + "\" is not JSON");
    auto step = engine::step_from_json(*json);
    if (!step) return step.error();
    out.emplace_back(step->definition.description, step->error);
  }
  return out;
}

Result<persistence::TaskScope> parse_scope(const std::string& type) {
  if (type.empty() || type == "own") return persistence::TaskScope::own;
  if (type == "resolvable") return persistence::TaskScope::resolvable;
  if (type == "all") return persistence::TaskScope::all;
  return Error::invalid_input(
      "binding error on field 'Type' of type 'listTasksIn': parameter has not an acceptable "
      "value, enum=[own resolvable all]",
      "type");
}

// GET /task?state=: a name that is no task state is refused rather than matching nothing, so a
// typo is not mistaken for an empty result (the original answered []).
Result<void> check_task_state(const std::optional<std::string>& state) {
  if (!state) return {};
  namespace ts = engine::task_state;
  for (std::string_view known : {ts::kTodo, ts::kDelayed, ts::kRunning, ts::kWaiting, ts::kBlocked,
                                 ts::kDone, ts::kCancelled, ts::kWontfix}) {
    if (*state == known) return {};
  }
  return Error::invalid_input("invalid task state \"" + *state +
                                  "\": expected one of TODO, DELAYED, RUNNING, WAITING, "
                                  "BLOCKED, DONE, CANCELLED, WONTFIX",
                              "state");
}

}  // namespace

size_t normalize_page_size(uint64_t page_size) {
  if (page_size == 0) return 1000;
  if (page_size < 10) return 10;
  if (page_size > 10000) return 10000;
  return static_cast<size_t>(page_size);
}

Json TaskDetails::to_json() const {
  TaskJsonOptions options;
  options.comments = &comments;
  options.errors = errors;
  options.tmpl = tmpl.get();
  return task_json(task, options);
}

Result<std::pair<persistence::TaskRecord, std::shared_ptr<const model::TaskTemplate>>>
TaskService::load(const std::string& task_id) {
  auto task = ctx_.store->get_task(task_id);
  if (!task) return task.error();
  auto tmpl = ctx_.find_template(task->template_name);
  if (!tmpl) return tmpl.error();
  return std::make_pair(std::move(*task), std::move(*tmpl));
}

Result<TaskDetails> TaskService::get_task(const Caller& caller, const std::string& task_id) {
  auto loaded = load(task_id);
  if (!loaded) return loaded.error();
  auto& [task, tmpl] = *loaded;
  if (!may_view_task(caller, task, *tmpl)) {
    return Error{ErrorCode::forbidden, "Can't display task details", {}};
  }
  TaskDetails details;
  auto comments = ctx_.store->list_comments(task.id);
  if (!comments) return comments.error();
  details.comments = std::move(*comments);
  auto errors = blocked_errors(*ctx_.store, task);
  if (!errors) return errors.error();
  details.errors = std::move(*errors);
  mask_input(task, *tmpl, caller);
  details.task = std::move(task);
  details.tmpl = std::move(tmpl);
  return details;
}

Result<persistence::Page<persistence::TaskRecord>> TaskService::list_tasks(
    const Caller& caller, const ListTasksQuery& query) {
  auto scope = parse_scope(query.type);
  if (!scope) return scope.error();
  auto state = check_task_state(query.state);
  if (!state) return state.error();
  persistence::TaskFilter filter;
  filter.viewer = persistence::Viewer{caller.username, caller.groups, caller.admin};
  filter.scope = *scope;
  filter.state = query.state;
  filter.template_name = query.template_name;
  filter.batch_id = query.batch;
  bool contradictory = false;
  for (const auto& pair : query.tags) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size() ||
        pair.find('=', eq + 1) != std::string::npos) {
      return Error::invalid_input("invalid tag " + pair, "tag");
    }
    // Every pair given must match; a task has one value per key, so two values for one key
    // match no task.
    auto [it, added] = filter.tags.emplace(pair.substr(0, eq), pair.substr(eq + 1));
    if (!added && it->second != pair.substr(eq + 1)) contradictory = true;
  }
  filter.after = query.after;
  filter.before = query.before;
  filter.page.limit = normalize_page_size(query.page_size);
  filter.page.after = query.last;
  auto page = ctx_.store->list_tasks(filter);  // unknown batch or `last`: still 404
  if (page && contradictory) page->items.clear(), page->next.clear();
  return page;
}

}  // namespace utask::service

// ResolutionService: operators' edits (api.md §5.6.3, §5.6.5–§5.6.7, §5.6.9, §5.6.10). Each
// loads the resolution as engine state, authorises, applies the engine's pure edit
// (engine/operator_edits.h) and writes only what changed, under a precondition on the state
// it saw, with the edit's comment in the same transaction.

#include "actions/catalog.h"
#include "engine/operator_edits.h"
#include "model/lint.h"
#include "persistence/store.h"
#include "service/resolution_records.h"
#include "service/resolution_service.h"
#include "service/task_events.h"

namespace utask::service {

namespace {

namespace rs = engine::resolution_state;

Error forbidden(const char* message) { return Error{ErrorCode::forbidden, message, {}}; }

struct Subject {
  engine::ResolutionState state;
  persistence::TaskRecord task;
  std::shared_ptr<const model::TaskTemplate> tmpl;
};

Result<Subject> load_subject(const ServiceContext& ctx, const std::string& resolution_id) {
  auto resolution = ctx.store->get_resolution(resolution_id, persistence::ResolutionView::with_steps);
  if (!resolution) return resolution.error();
  auto task = ctx.store->get_task(resolution->task_id);
  if (!task) return task.error();
  auto tmpl = ctx.find_template(task->template_name);
  if (!tmpl) return tmpl.error();
  auto state = to_resolution_state(*task, *resolution);
  if (!state) return state.error();
  return Subject{std::move(*state), std::move(*task), std::move(*tmpl)};
}

// A change that requires the state that was seen, with the operator's comment.
persistence::ResolutionChange edit(const Subject& s, const Caller& caller, std::string comment) {
  persistence::ResolutionChange change;
  change.require_state.allowed = {s.state.state};
  change.comment = persistence::NewComment{caller.username, std::move(comment)};
  change.touch_task = false;
  return change;
}

Result<void> require_paused(const engine::ResolutionState& r) {
  if (r.state != rs::kPaused) {
    return Error{ErrorCode::conflict, "Cannot update a resolution which is not in state 'PAUSED'",
                 "resolution.state"};
  }
  return {};
}

// Validates hot-fixed steps like template steps (the template with its steps replaced goes
// through lint; foreach children are runtime copies and are not linted), then their states.
Result<void> validate_steps(const ServiceContext& ctx, const model::TaskTemplate& tmpl,
                            engine::ResolutionState& r, const std::vector<std::string>& names) {
  if (!ctx.registry) return Error::internal("no action registry to validate steps");
  model::TaskTemplate copy = tmpl;
  copy.steps.clear();
  for (const auto& [name, step] : r.steps) {
    if (!step.is_child) copy.steps[name] = step.definition;
  }
  for (const auto& d : model::lint_template(copy, *ctx.registry, tmpl.name)) {
    if (d.warning || d.subject.rfind("step ", 0) != 0) continue;
    const std::string name = d.subject.substr(5);
    if (std::find(names.begin(), names.end(), name) == names.end()) continue;
    return Error::invalid_input("invalid step " + name + ": " + d.message, "steps." + name);
  }
  for (const auto& name : names) {
    std::string state = r.steps.at(name).state;
    auto checked = engine::set_step_state(r, name, state, *ctx.registry);
    if (!checked) {
      return Error{checked.error().code, "step \"" + name + "\": " + checked.error().message,
                   "steps." + name + ".state"};
    }
  }
  return {};
}

Result<engine::StepState> parse_step(const std::string& name, const Json& json) {
  auto step = engine::step_from_json(json);
  if (!step) return Error::invalid_input("invalid step " + name + ": " + step.error().message, "steps." + name);
  step->definition.name = name;
  return step;
}

}  // namespace

Result<void> ResolutionService::pause(const Caller& caller, const std::string& resolution_id, bool force) {
  auto s = load_subject(ctx_, resolution_id);
  if (!s) return s.error();
  if (!may_operate_resolution(caller, s->task, *s->tmpl)) return forbidden("You are not allowed to pause this task");
  if (force && !may_force_pause(caller)) return forbidden("Not an admin user");
  auto change = edit(*s, caller, "manually paused resolution");
  auto paused = engine::pause(s->state, force);
  if (!paused) return paused;
  change.state = s->state.state;
  change.revoke_lease = force;
  auto written = ctx_.store->update_resolution(s->state.id, change);
  if (!written) return written.error();
  return {};
}

Result<void> ResolutionService::extend(const Caller& caller, const std::string& resolution_id) {
  auto s = load_subject(ctx_, resolution_id);
  if (!s) return s.error();
  if (!may_operate_resolution(caller, s->task, *s->tmpl)) return forbidden("Not allowed to extend resolution");
  auto change = edit(*s, caller, "manually extended resolution");
  auto extended = engine::extend(s->state, s->tmpl->retry_max, ctx_.now());
  if (!extended) return extended;
  change.state = s->state.state;
  change.run_max = static_cast<int>(s->state.run_max);
  change.next_retry = std::optional<persistence::Timestamp>(*s->state.next_retry);
  auto written = ctx_.store->update_resolution(s->state.id, change);
  if (!written) return written.error();
  ctx_.wake();
  return {};
}

Result<void> ResolutionService::cancel(const Caller& caller, const std::string& resolution_id) {
  auto s = load_subject(ctx_, resolution_id);
  if (!s) return s.error();
  if (!may_operate_resolution(caller, s->task, *s->tmpl)) return forbidden("You are not allowed to cancel this task");
  auto change = edit(*s, caller, "cancelled resolution");
  auto cancelled = engine::cancel(s->state, ctx_.now());
  if (!cancelled) return cancelled;
  change.state = s->state.state;
  change.task_state = s->state.task.state;
  change.touch_task = true;
  change.revoke_lease = true;
  // A cancelled child ends: its parent is woken in the same transaction.
  auto parent = s->state.task.tags.find(kParentTaskTag);
  if (parent != s->state.task.tags.end() && !parent->second.empty()) {
    change.wake_parent = persistence::ResolutionChange::WakeParent{parent->second,
                                                                   s->task.batch_id.has_value()};
  }
  auto written = ctx_.store->update_resolution(s->state.id, change);
  if (!written) return written.error();
  if (s->task.state != s->state.task.state) {
    ctx_.notify({TaskEvent{config::NotifyAction::task_state_update, snapshot_of(s->state), {}, {}}});
  }
  if (change.wake_parent) ctx_.wake();
  return {};
}

Result<void> ResolutionService::set_step_state(const Caller& caller, const std::string& resolution_id,
                                               const std::string& step_name, const std::string& state) {
  auto s = load_subject(ctx_, resolution_id);
  if (!s) return s.error();
  auto step = s->state.steps.find(step_name);
  if (step == s->state.steps.end()) {
    return Error::not_found("given stepName \"" + step_name + "\" for this resolution not found");
  }
  const std::string old_state = step->second.state;
  if (auto paused = require_paused(s->state); !paused) return paused;
  if (!may_set_step_state(caller, *s->tmpl)) return forbidden("Can't update resolution step state");
  if (!ctx_.registry) return Error::internal("no action registry to check step states");
  auto change = edit(*s, caller,
                     "manually updated resolution step " + step_name + " state from " + old_state +
                         " to " + state);
  auto set = engine::set_step_state(s->state, step_name, state, *ctx_.registry);
  if (!set) return set;
  change.put_steps.push_back(to_step_record(s->state.steps.at(step_name)));
  auto written = ctx_.store->update_resolution(s->state.id, change);
  if (!written) return written.error();
  // SetStepState announces the step (actions.md §8.2) when its state changed value.
  const std::string& new_state = s->state.steps.at(step_name).state;
  if (new_state != old_state) {
    ctx_.notify({TaskEvent{config::NotifyAction::task_step_update, snapshot_of(s->state), step_name,
                           new_state}});
  }
  return {};
}

Result<void> ResolutionService::update_resolution(const Caller& caller, const std::string& resolution_id,
                                                  const UpdateResolutionRequest& request) {
  if (!may_use_admin_route(caller)) return Error{ErrorCode::unauthorized, "", {}};
  auto s = load_subject(ctx_, resolution_id);
  if (!s) return s.error();
  if (auto paused = require_paused(s->state); !paused) return paused;
  auto change = edit(*s, caller, "manually updated resolution");
  if (request.steps) {
    if (!request.steps->is_object()) return Error::invalid_input("steps must be an object", "steps");
    std::map<std::string, engine::StepState> steps;
    std::vector<std::string> names;
    for (auto it = request.steps->begin(); it != request.steps->end(); ++it) {
      auto step = parse_step(it.key(), it.value());
      if (!step) return step.error();
      steps.emplace(it.key(), std::move(*step));
      names.push_back(it.key());
    }
    s->state.steps = std::move(steps);
    auto valid = validate_steps(ctx_, *s->tmpl, s->state, names);
    if (!valid) return valid;
    for (const auto& [name, step] : s->state.steps) change.put_steps.push_back(to_step_record(step));
    change.replace_steps = true;
  }
  if (request.resolver_inputs) change.resolver_inputs_json = to_json_text(*request.resolver_inputs);
  auto written = ctx_.store->update_resolution(s->state.id, change);
  if (!written) return written.error();
  return {};
}

Result<void> ResolutionService::update_step(const Caller& caller, const std::string& resolution_id,
                                            const std::string& step_name, const Json& step_json) {
  if (!may_use_admin_route(caller)) return Error{ErrorCode::unauthorized, "", {}};
  auto s = load_subject(ctx_, resolution_id);
  if (!s) return s.error();
  if (!s->state.steps.count(step_name)) {
    return Error::not_found("given stepName \"" + step_name + "\" for this resolution not found");
  }
  if (auto paused = require_paused(s->state); !paused) return paused;
  auto step = parse_step(step_name, step_json);
  if (!step) return step.error();
  s->state.steps[step_name] = std::move(*step);
  auto valid = validate_steps(ctx_, *s->tmpl, s->state, {step_name});
  if (!valid) {
    // §5.6.9 words the state refusal without the step prefix.
    Error e = valid.error();
    const std::string prefix = "step \"" + step_name + "\": ";
    if (e.message.rfind(prefix, 0) == 0) e.message = e.message.substr(prefix.size());
    return e;
  }
  auto change = edit(*s, caller, "manually updated resolution step " + step_name);
  change.put_steps.push_back(to_step_record(s->state.steps.at(step_name)));
  auto written = ctx_.store->update_resolution(s->state.id, change);
  if (!written) return written.error();
  return {};
}

}  // namespace utask::service

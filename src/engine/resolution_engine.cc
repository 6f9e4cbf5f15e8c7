#include "engine/resolution_engine.h"

#include "engine/cycle.h"
#include "engine/engine_impl.h"
#include "engine/end_of_cycle.h"
#include "engine/title_result.h"
#include "model/input_rules.h"
#include "model/state.h"

namespace utask::engine {

namespace ss = model::state;
namespace rs = resolution_state;

std::vector<Execution> ResolutionEngine::Impl::hand_out() {
  std::vector<Execution> out = std::move(ready);
  ready.clear();
  for (const auto& e : out) handed_out.insert(e.id);
  return out;
}

Result<ResolutionEngine::Impl::Flight> ResolutionEngine::Impl::take(uint64_t id) {
  auto it = flights.find(id);
  if (it == flights.end() || !handed_out.count(id)) {
    return Error::not_found("no execution " + std::to_string(id) + " in flight");
  }
  Flight f = std::move(it->second);
  flights.erase(it);
  handed_out.erase(id);
  return f;
}

ResolutionEngine::ResolutionEngine(ResolutionState& resolution, EngineContext context)
    : impl_(std::make_unique<Impl>(resolution, std::move(context))) {}

ResolutionEngine::~ResolutionEngine() = default;

const ResolutionState& ResolutionEngine::resolution() const { return impl_->cycle.res; }

const Json& ResolutionEngine::data_tree() const {
  static const Json kEmpty = Json::object();
  return impl_->cycle.live ? impl_->cycle.live->root() : kEmpty;
}

size_t ResolutionEngine::in_flight() const { return impl_->handed_out.size(); }

Changes ResolutionEngine::take_changes() {
  Changes out = std::move(impl_->cycle.changes);
  impl_->cycle.changes = Changes{};
  return out;
}

Result<BeginOutcome> ResolutionEngine::begin_run(Time now) {
  Cycle& c = impl_->cycle;
  ResolutionState& res = c.res;
  c.now = now;
  if (res.state == rs::kCancelled) return Error{ErrorCode::conflict, "Can't run resolution: cancelled", "resolution.state"};
  if (res.state == rs::kRunning) return Error{ErrorCode::conflict, "Can't run resolution: already running", "resolution.state"};
  if (res.state == rs::kDone) return Error{ErrorCode::conflict, "Can't run resolution: already done", "resolution.state"};

  auto block_for_check = [&] {
    res.state = std::string(rs::kBlockedToCheck);
    res.task.state = std::string(task_state::kBlocked);
    res.task.last_activity = now;
    c.changes.resolution = true;
    c.changes.task = true;
    return BeginOutcome::blocked_for_check;
  };

  if (res.state == rs::kCrashed) {  // §4.2 step 3: crash recovery
    bool blocked = false;
    for (auto& [name, step] : res.steps) {
      if (step.state != ss::kRunning) continue;
      step.state = std::string(step.definition.idempotent ? ss::kTodo : ss::kCrashed);
      blocked = blocked || !step.definition.idempotent;
      c.changes.steps.insert(name);
    }
    if (blocked) return block_for_check();
  }

  res.state = std::string(rs::kRunning);
  res.instance_id = impl_->ctx.instance_id;
  res.last_start = now;
  res.run_count += 1;
  res.task.state = std::string(task_state::kRunning);
  res.task.last_activity = now;
  c.changes.resolution = true;
  c.changes.task = true;

  // Inputs are re-validated against the template as it is now; defaults are filled.
  model::InputCheck check = model::validate_input_values(impl_->ctx.tmpl->inputs, res.task.input, false);
  if (!check.ok()) return block_for_check();
  res.task.input = check.values;

  c.live.emplace(res, impl_->ctx.config_items, impl_->ctx.region, *c.variables, c.templates);
  Json title_data = Json::object();
  title_data["input"] = res.task.input;
  title_data["var"] = Json::object();
  title_data["config"] = impl_->ctx.config_items;
  title_data["task"] = c.live->root()["task"];
  if (auto title = render_with_variables(impl_->ctx.tmpl->title_format, title_data, *c.variables)) {
    res.task.title = std::move(*title);
  }
  c.reindex();
  impl_->begun = true;
  return BeginOutcome::started;
}

std::vector<Execution> ResolutionEngine::next_executions(bool shutting_down) {
  Impl& m = *impl_;
  if (!m.begun) return {};
  m.shutting_down = m.shutting_down || shutting_down;
  if (!m.first_pass_done) {
    m.first_pass_done = true;
    m.dispatch({});
  }
  m.drain();
  if (m.ready.empty() && m.handed_out.empty() && !m.waiting_recheck_done && !m.shutting_down &&
      resolution_state_from_steps(m.cycle.res, false) == rs::kWaiting) {
    // §4.11: once per run, WAITING steps (batch excepted) get another chance.
    m.waiting_recheck_done = true;
    for (const auto& [name, step] : m.cycle.res.steps) {
      if (step.state == ss::kWaiting && step.definition.action.type != "batch") {
        m.cycle.executed.erase(name);
      }
    }
    m.dispatch({});
    m.drain();
  }
  return m.hand_out();
}

Result<void> ResolutionEngine::apply_result(uint64_t id, actions::ActionResult result, Time now) {
  Impl& m = *impl_;
  auto taken = m.take(id);
  if (!taken) return taken.error();
  m.cycle.now = now;
  Impl::Flight f = std::move(*taken);
  if (f.phase == Execution::Phase::pre_hook) {
    if (result.error) {
      m.fail_step(std::move(f.in.step), "prehook: " + result.error->message);
    } else {
      f.in.snapshot.set("pre_hook", Json{{"output", result.output}, {"metadata", result.metadata}});
      m.build_main(std::move(f), /*with_delay=*/false);
    }
  } else {
    if (result.run_max_increase > 0) {
      // batch: each wake-up by a child consumed a run (actions.md §7, step 5).
      m.cycle.res.run_max += result.run_max_increase;
      m.cycle.changes.resolution = true;
    }
    post_process(f.in, std::move(result));
    m.receive_later(std::move(f.in.step));
  }
  m.drain();
  return {};
}

Result<void> ResolutionEngine::abandon(uint64_t id, Time now) {
  Impl& m = *impl_;
  auto taken = m.take(id);
  if (!taken) return taken.error();
  m.cycle.now = now;
  taken->in.step.state = ss::kToRetry;
  m.receive_later(std::move(taken->in.step));
  m.drain();
  return {};
}

RunEnd ResolutionEngine::finish(Time now, bool shutting_down) {
  Cycle& c = impl_->cycle;
  ResolutionState& res = c.res;
  const std::string computed = resolution_state_from_steps(res, shutting_down);
  const std::string state = apply_end_of_cycle(res, computed, now);
  if (state == rs::kDone && c.live) {
    c.live->set_task(res);
    Json rendered;
    (void)render_result(res.task.result, *c.live, rendered);  // partial result kept on error
    res.task.result = std::move(rendered);
  }
  c.changes.resolution = true;
  c.changes.task = true;
  return RunEnd{res.state, res.task.state, res.next_retry, res.task.steps_done};
}

}  // namespace utask::engine

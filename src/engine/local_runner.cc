#include "engine/local_runner.h"

#include <deque>

namespace utask::engine {

LocalRunner::LocalRunner(EngineContext context, Executor executor, Clock clock)
    : context_(std::move(context)), executor_(std::move(executor)), clock_(std::move(clock)) {
  if (!executor_) {
    executor_ = [](const Execution& e) { return e.action->execute(e.request()); };
  }
  if (!clock_) {
    clock_ = [] { return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()); };
  }
}

Result<RunReport> LocalRunner::run(ResolutionState& resolution) const {
  ResolutionEngine engine(resolution, context_);
  RunReport report;
  auto begun = engine.begin_run(clock_());
  if (!begun) return begun.error();
  report.checkpoints.push_back(engine.take_changes());
  if (*begun != BeginOutcome::started) return report;
  report.ran = true;

  // Dispatch all available, then receive results one by one in dispatch order, re-evaluating
  // after each (new executions join the queue), as the actors do.
  std::deque<Execution> pending;
  for (;;) {
    for (auto& e : engine.next_executions()) pending.push_back(std::move(e));
    if (pending.empty()) break;
    Execution e = std::move(pending.front());
    pending.pop_front();
    actions::ActionResult result = executor_(e);
    ++report.executions;
    if (auto applied = engine.apply_result(e.id, std::move(result), clock_()); !applied) {
      return applied.error();
    }
    if (Changes c = engine.take_changes(); !c.empty()) report.checkpoints.push_back(std::move(c));
  }
  report.end = engine.finish(clock_());
  report.checkpoints.push_back(engine.take_changes());
  return report;
}

}  // namespace utask::engine

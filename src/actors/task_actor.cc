#include "actors/task_actor.h"

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <optional>

#include "actions/catalog.h"
#include "actors/blocking.h"
#include "actors/messages.h"
#include "actors/step_actor.h"
#include "engine/resolution_engine.h"
#include "persistence/store.h"
#include "service/resolution_records.h"
#include "service/task_events.h"

namespace utask::actors {
namespace {

using engine::ResolutionEngine;
using engine::ResolutionState;
namespace rs = engine::resolution_state;

struct TaskActorState {
  // Set at spawn.
  TaskActorArgs args;
  std::shared_ptr<std::atomic<bool>> cancelled = std::make_shared<std::atomic<bool>>(false);

  // Changed only in handlers.
  std::shared_ptr<const model::TaskTemplate> tmpl;
  std::unique_ptr<ResolutionState> resolution;
  engine::TaskState written_task;  // the task as the last successful write left it
  service::TaskEventTracker events;  // task events of the changes not yet announced
  std::unique_ptr<ResolutionEngine> engine;
  bool writing = false;        // a checkpoint is in flight
  bool dirty = false;          // results applied during that checkpoint: advance again
  bool shutting_down = false;  // stop dispatching (engine.md §10.7)
  bool grace_over = false;     // stop waiting for executions still running
  bool finishing = false;      // finish() was called: only the release remains
  bool stopped = false;        // lease lost or done: ignore everything
  int release_attempt = 0;

  static inline const char* name = "task";
};

using Self = caf::stateful_actor<TaskActorState>;

const RuntimeDeps& deps(Self* self) { return *self->state.args.deps; }
const std::string& rid(Self* self) { return self->state.args.lease.resolution_id; }

void report_start(Self* self, Result<void> outcome) {
  if (self->state.args.on_started) {
    auto cb = std::move(self->state.args.on_started);
    self->state.args.on_started = nullptr;
    cb(std::move(outcome));
  }
}

void stop(Self* self) {
  self->state.stopped = true;
  self->state.cancelled->store(true);
  self->quit();
}

// Hands committed task events to the notifier (which only queues).
void announce(Self* self, std::vector<service::TaskEvent> events) {
  auto* notifier = deps(self).options.notifier;
  if (notifier && !events.empty()) notifier->notify(std::move(events));
}

// Ends the lease, with `change` (possibly empty) as the last write; retried with backoff on a
// transient error (engine.md §4.10: the final persist is retried until it succeeds).
void release(Self* self, persistence::ResolutionChange change,
             std::vector<service::TaskEvent> events = {}) {
  auto* commits = deps(self).commits.get();
  persistence::LeasedWrite write{self->state.args.lease, change, /*release=*/true};
  run_blocking(self, *deps(self).store_io, [commits, write] { return commits->write(write); },
               [self, change, events](Result<void> done) mutable {
                 if (done.ok()) announce(self, std::move(events));
                 if (done.ok() || done.error().code == ErrorCode::lease_lost) {
                   if (!done.ok()) spdlog::warn("resolution {}: lease lost before release", rid(self));
                   if (done.ok() && self->state.resolution && deps(self).options.on_run_end) {
                     deps(self).options.on_run_end(rid(self), self->state.resolution->state);
                   }
                   stop(self);
                   return;
                 }
                 auto delay = std::chrono::seconds(std::min(30, 1 << std::min(self->state.release_attempt++, 5)));
                 spdlog::warn("resolution {}: releasing failed ({}), retrying in {}s", rid(self),
                              done.error().message, delay.count());
                 self->delayed_send(self, delay, continue_atom::value,
                                    Continuation([self, change, events] {
                                      release(self, change, events);
                                    }));
               });
}

// Gives the resolution back untouched (refused run, load failure).
void release_unchanged(Self* self) { release(self, persistence::ResolutionChange{}); }

void advance(Self* self);

void report_transitions(Self* self, const engine::Changes& changes) {
  const auto& d = deps(self);
  if (!d.options.on_transition) return;
  for (const auto& name : changes.steps) {
    auto it = self->state.resolution->steps.find(name);
    if (it != self->state.resolution->steps.end()) d.transition(rid(self), name, it->second.state);
  }
  if (changes.resolution) d.transition(rid(self), "", self->state.resolution->state);
}

// Writes what changed since the last checkpoint, then `next` (in the actor). Fenced by the
// lease: lease_lost stops the actor.
void checkpoint(Self* self, std::function<void()> next) {
  auto& st = self->state;
  auto changes = st.engine->take_changes();
  if (changes.empty()) {
    next();
    return;
  }
  report_transitions(self, changes);
  auto change = service::to_change(*st.resolution, changes, &st.written_task);
  auto events = st.events.collect(*st.resolution, changes);
  auto task_after = st.resolution->task;
  st.writing = true;
  auto* commits = deps(self).commits.get();
  persistence::LeasedWrite write{st.args.lease, std::move(change), /*release=*/false};
  run_blocking(self, *deps(self).store_io, [commits, write] { return commits->write(write); },
               [self, next, task_after, events](Result<void> done) mutable {
                 self->state.writing = false;
                 if (done.ok()) self->state.written_task = task_after;
                 if (done.ok()) announce(self, std::move(events));
                 if (self->state.stopped) return;
                 if (!done.ok()) {
                   if (done.error().code == ErrorCode::lease_lost) {
                     spdlog::warn("resolution {}: lease lost, stopping without writing", rid(self));
                   } else {
                     // The run cannot go on without its checkpoints; the lease expires and
                     // another claim recovers the resolution (crash semantics).
                     spdlog::error("resolution {}: checkpoint failed: {}", rid(self), done.error().message);
                   }
                   stop(self);
                   return;
                 }
                 next();
               });
}

void finish(Self* self) {
  auto& st = self->state;
  st.finishing = true;
  st.engine->finish(deps(self).now(), st.shutting_down);
  auto changes = st.engine->take_changes();
  report_transitions(self, changes);
  release(self, service::to_change(*st.resolution, changes, &st.written_task),
          st.events.collect(*st.resolution, changes));
}

// One transition batch: decide what starts now (engine.md §4.6), write the results applied
// so far together with the steps just marked RUNNING, and only then start the executions —
// so a crash never loses a result, and a step that was running when the instance died is
// known as RUNNING (crash recovery, engine.md §10.5). Results arriving during the write are
// applied at once and go into the next batch.
void advance(Self* self) {
  auto& st = self->state;
  if (st.stopped || st.finishing) return;
  if (st.writing) {
    st.dirty = true;
    return;
  }
  st.dirty = false;
  auto executions = std::make_shared<std::vector<engine::Execution>>(
      st.engine->next_executions(st.shutting_down));
  if (executions->empty() && (st.engine->in_flight() == 0 || st.grace_over)) {
    finish(self);
    return;
  }
  checkpoint(self, [self, executions] {
    auto& s = self->state;
    for (auto& e : *executions) {
      spawn_step_actor(self, StepActorArgs{std::move(e), caf::actor_cast<caf::actor>(self),
                                           s.args.deps, s.cancelled});
    }
    if (s.dirty) advance(self);
  });
}

void on_result(Self* self, uint64_t id, actions::ActionResult& result) {
  auto& st = self->state;
  if (st.stopped || st.finishing) return;
  auto applied = st.engine->apply_result(id, std::move(result), deps(self).now());
  if (!applied) spdlog::error("resolution {}: {}", rid(self), applied.error().message);
  advance(self);
}

void begin(Self* self) {
  auto& st = self->state;
  engine::EngineContext ctx;
  ctx.tmpl = st.tmpl.get();
  ctx.registry = deps(self).options.registry;
  ctx.config_items = deps(self).options.config_items;
  ctx.region = deps(self).options.region;
  ctx.instance_id = st.args.lease.instance_id;
  // We hold a fresh lease, so a resolution stored as running was left so by a holder that
  // died or stalled: it goes through crash recovery (engine.md §4.2.3, §10.5).
  if (st.resolution->state == rs::kRunning || st.resolution->state == rs::kAutorunning ||
      st.resolution->state == rs::kRetry) {
    st.resolution->state = std::string(rs::kCrashed);
  }
  st.engine = std::make_unique<ResolutionEngine>(*st.resolution, ctx);
  auto begun = st.engine->begin_run(deps(self).now());
  if (!begun) {
    report_start(self, begun.error());
    release_unchanged(self);
    return;
  }
  report_start(self, {});
  if (*begun == engine::BeginOutcome::blocked_for_check) {
    auto changes = st.engine->take_changes();
    report_transitions(self, changes);
    st.finishing = true;
    release(self, service::to_change(*st.resolution, changes, &st.written_task),
            st.events.collect(*st.resolution, changes));
    return;
  }
  advance(self);
}

void load(Self* self) {
  auto store = deps(self).options.store;
  auto lookup = deps(self).options.templates;
  auto id = rid(self);
  struct Loaded {
    Result<ResolutionState> resolution = Error::internal("not loaded");
    Result<std::shared_ptr<const model::TaskTemplate>> tmpl = Error::internal("not loaded");
  };
  run_blocking(self, *deps(self).store_io,
               [store, lookup, id] {
                 Loaded l;
                 l.resolution = service::load_resolution_state(*store, id);
                 if (l.resolution) l.tmpl = lookup(l.resolution->task.template_name);
                 return l;
               },
               [self](Loaded loaded) {
                 if (!loaded.resolution || !loaded.tmpl) {
                   const auto& err = !loaded.resolution ? loaded.resolution.error() : loaded.tmpl.error();
                   spdlog::error("resolution {}: cannot load: {}", rid(self), err.message);
                   report_start(self, err);
                   release_unchanged(self);
                   return;
                 }
                 self->state.resolution = std::make_unique<ResolutionState>(std::move(*loaded.resolution));
                 self->state.written_task = self->state.resolution->task;
                 self->state.events.reset(*self->state.resolution);
                 self->state.tmpl = std::move(*loaded.tmpl);
                 begin(self);
               });
}

caf::behavior task_actor(Self* self, TaskActorArgs args) {
  self->state.args = std::move(args);
  self->send(self, start_atom::value);
  return {
      handle_continuation(),
      [self](start_atom) { load(self); },
      [self](result_atom, uint64_t id, actions::ActionResult& result) { on_result(self, id, result); },
      [self](lease_lost_atom) {
        spdlog::warn("resolution {}: lease lost (heartbeat), stopping without writing", rid(self));
        stop(self);
      },
      [self](shutdown_atom, int64_t grace_ms) {
        auto& st = self->state;
        st.shutting_down = true;
        st.cancelled->store(true);
        if (!st.engine || st.finishing) return;
        advance(self);
        self->delayed_send(self, std::chrono::milliseconds(grace_ms), continue_atom::value,
                           Continuation([self] {
                             auto& s = self->state;
                             s.grace_over = true;
                             if (s.stopped || s.finishing) return;
                             advance(self);
                           }));
      },
  };
}

}  // namespace

caf::actor spawn_task_actor(caf::event_based_actor* parent, TaskActorArgs args) {
  return parent->spawn<caf::monitored>(task_actor, std::move(args));
}

}  // namespace utask::actors

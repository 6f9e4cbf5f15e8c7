#include "actors/step_actor.h"

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/blocking.h"
#include "actors/messages.h"

namespace utask::actors {
namespace {

struct StepActorState {
  static inline const char* name = "step";
};
using Self = caf::stateful_actor<StepActorState>;

// Runs on an action I/O thread.
actions::ActionResult execute(const StepActorArgs& args) {
  const auto& e = args.execution;
  auto& limiter = *args.deps->resources;
  if (!limiter.acquire(e.resources, args.cancelled.get())) return engine::resources_unavailable();
  auto request = e.request();
  request.cancelled = args.cancelled.get();
  request.services = args.deps->options.services;
  auto result = e.action->execute(request);
  limiter.release(e.resources);
  return result;
}

caf::behavior step_actor(Self* self, std::shared_ptr<StepActorArgs> args) {
  auto start = [self, args] {
    run_blocking(self, *args->deps->action_io, [args] { return execute(*args); },
                 [self, args](actions::ActionResult result) {
                   self->send(args->task, result_atom::value, args->execution.id, std::move(result));
                   self->quit();
                 });
  };
  if (args->execution.delay.count() > 0) {
    self->delayed_send(self, args->execution.delay, start_atom::value);
  } else {
    self->send(self, start_atom::value);
  }
  return {
      handle_continuation(),
      [start](start_atom) { start(); },
  };
}

}  // namespace

void spawn_step_actor(caf::event_based_actor* parent, StepActorArgs args) {
  parent->spawn(step_actor, std::make_shared<StepActorArgs>(std::move(args)));
}

}  // namespace utask::actors

#pragma once
// The step actor: carries one execution (an action call prepared by the engine) to its result.
// It waits the step's execution_delay with a timer (no thread held), then on an action I/O
// thread acquires the execution's resources, runs the action and releases them, and sends
// (result_atom, id, ActionResult) to its task actor. One step actor per execution; foreach
// children are executions like any other. Included by src/actors/*.cc only.

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <atomic>
#include <memory>

#include "actions/action.h"
#include "actors/runtime_deps.h"
#include "engine/execution.h"

namespace utask::actors {

struct StepActorArgs {
  engine::Execution execution;
  caf::actor task;  // where the result goes
  std::shared_ptr<const RuntimeDeps> deps;
  std::shared_ptr<std::atomic<bool>> cancelled;  // the task's: set on shutdown or lease loss
};

void spawn_step_actor(caf::event_based_actor* parent, StepActorArgs args);

}  // namespace utask::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(utask::actions::ActionResult)

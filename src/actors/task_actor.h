#pragma once
// The task actor: runs one resolution under one lease, from its claim to the release.
//
// Invariants:
//  - One task actor per resolution per instance, and only it mutates the resolution's state
//    (the engine's ResolutionState); step actors only return results.
//  - Each batch of transitions is checkpointed before new executions start: results that
//    arrive while a checkpoint is being written are applied and go into the next one.
//  - A checkpoint or release refused with lease_lost means another instance holds the
//    resolution now: the actor stops at once, without any further write.
//  - Store calls and action executions run on the I/O pools (blocking.h); the actor never
//    blocks a scheduler thread.
// Included by src/actors/*.cc only (CAF types).

#include <caf/fwd.hpp>

#include <memory>
#include <string>

#include "actors/runtime_deps.h"
#include "persistence/records.h"

namespace utask::actors {

struct TaskActorArgs {
  persistence::Lease lease;
  persistence::ClaimReason reason = persistence::ClaimReason::autorun;
  std::string claimed_state;
  std::shared_ptr<const RuntimeDeps> deps;
  // An explicit run (POST /resolution/:id/run) reports the start phase to `starter`
  // (a Continuation receiving Result<void>), then continues in the background.
  std::function<void(Result<void>)> on_started;
};

// Spawns a task actor linked to nothing and monitored by `parent` (the supervisor): its
// down message tells the supervisor the run is over.
caf::actor spawn_task_actor(caf::event_based_actor* parent, TaskActorArgs args);

}  // namespace utask::actors

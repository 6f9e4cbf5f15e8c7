#pragma once
// The supervisor: one per instance. It claims runnable resolutions from the store (autorun,
// retries, wake-ups and recoveries of dead holders: one claim query, docs/storage.md §4.2),
// spawns a task actor for each within max_concurrent_executions, renews the instance's leases
// with a heartbeat and stops the task actors whose lease was lost, and runs the garbage
// collector. Explicit runs (POST /resolution/:id/run) come in as (run_atom, id, callback).
//
// Polling (engine.md §10.2): at once after a successful claim, then 1 s, 2 s … up to
// max_poll_interval while nothing is claimable; a wake_atom polls at once. Claims happen one
// at a time. Included by src/actors/*.cc only.

#include <caf/fwd.hpp>

#include <memory>

#include "actors/runtime_deps.h"

namespace utask::actors {

caf::actor spawn_supervisor(caf::actor_system& system, std::shared_ptr<const RuntimeDeps> deps);

}  // namespace utask::actors

#pragma once
// What every actor of a runtime shares: set when the runtime starts, constant afterwards
// (the pools and the limiter provide their own synchronisation).

#include <memory>

#include "actors/io_pool.h"
#include "actors/resource_limiter.h"
#include "actors/runtime.h"
#include "persistence/group_commit.h"

namespace utask::actors {

struct RuntimeDeps {
  RuntimeOptions options;
  std::unique_ptr<IoPool> store_io;   // store calls (claims, loads, checkpoints)
  std::unique_ptr<IoPool> action_io;  // action executions (may block for long)
  std::unique_ptr<ResourceLimiter> resources;
  // Checkpoints and releases of every task actor, group-committed (called on store_io).
  std::unique_ptr<persistence::GroupCommit> commits;

  engine::Time now() const {
    if (options.clock) return options.clock();
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  }
  void transition(const std::string& resolution_id, const std::string& step,
                  const std::string& state) const {
    if (options.on_transition) options.on_transition(Transition{resolution_id, step, state});
  }
};

}  // namespace utask::actors

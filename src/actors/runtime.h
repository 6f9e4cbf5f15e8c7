#pragma once
// The execution runtime of one instance: a CAF actor system with the supervisor, its task and
// step actors, and the I/O pool for blocking work. The only way in from the outside (the
// API, `utask serve`, `utask run`); no CAF in this header.
//
// Thread safety: every method may be called from any thread.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "actors/supervisor_options.h"
#include "engine/step_state.h"
#include "model/error.h"
#include "model/json.h"
#include "model/task_template.h"

namespace utask::actions {
class ActionRegistry;
class ActionServices;
}
namespace utask::persistence {
class Store;
}
namespace utask::service {
class Notifier;
}

namespace utask::actors {

// The template of a task, by name: the loaded library first, else the store's definition (a
// template removed from the directory but still referenced). not_found when neither has it.
using TemplateLookup =
    std::function<Result<std::shared_ptr<const model::TaskTemplate>>(const std::string& name)>;

// One transition, for `utask run --watch` and tests: a step or the resolution changed state.
struct Transition {
  std::string resolution_id;
  std::string step;  // empty: the resolution itself
  std::string state;
};

struct RuntimeOptions {
  persistence::Store* store = nullptr;                     // required; outlives the runtime
  const actions::ActionRegistry* registry = nullptr;       // required; outlives the runtime
  TemplateLookup templates;                                // required
  // What subtask, batch and callback reach tasks and callbacks through (executions get it
  // as ExecutionRequest::services); null: those actions fail their step.
  actions::ActionServices* services = nullptr;             // outlives the runtime
  Json config_items = Json::object();                      // `.config` of templates
  std::string region = "default";
  int64_t instance_id = 0;                                 // registered by the caller
  SupervisorOptions supervisor;
  // utask-cfg resource_limits and resource_acquire_timeout (engine.md §10.6).
  std::map<std::string, int64_t> resource_limits;
  std::chrono::nanoseconds resource_acquire_timeout{std::chrono::minutes(1)};
  size_t scheduler_threads = 2;   // CAF workers (never blocked)
  size_t io_threads = 16;         // store calls and action executions
  // Checkpoint groups committed at once (persistence/group_commit.h): several on a server
  // database with a connection pool, 1 for SQLite's single writer.
  size_t commit_lanes = 4;  // see commit_lanes_for()
  std::function<engine::Time()> clock;                     // default: system clock
  // Asked before every claim: while it answers true (maintenance mode, api.md §4) the
  // collectors claim nothing and look again at the next poll; wake() when it turns false.
  // Called on an actor thread: must be cheap and must not block. Optional.
  std::function<bool()> collectors_paused;
  std::function<void(const Transition&)> on_transition;    // optional; called off-actor
  // Called when a run ends (the lease released), with the resolution's state.
  std::function<void(const std::string& resolution_id, const std::string& state)> on_run_end;
  // Task events of each committed checkpoint (actions.md §8.2); null: none. Outlives the runtime.
  service::Notifier* notifier = nullptr;
};

// Checkpoint lanes for a store (each lane commits one group at a time; a write takes an idle
// lane, so groups form only when every lane is busy).
// - SQLite: one lane per I/O thread, i.e. no grouping. In WAL mode with synchronous=NORMAL a
//   commit costs no fsync, so a group saves little and its hand-offs cost more
//   (bench/checkpoint, 8 writers: 21.2k checkpoints/s on 1 lane, 27.7k on 8).
// - A server database: one lane per core of this machine, within half the connection pool
//   (the other half serves claims, loads and the API). Each lane's leader seals and builds its
//   group's statements: on 2 cores 4 lanes made the engine benchmark's burst slower (271-295
//   tasks/s) than 2 (321-353).
size_t commit_lanes_for(bool sqlite, size_t pool_size, size_t io_threads);

class Runtime {
 public:
  // Starts the actor system and the supervisor (which starts polling at once).
  static Result<std::unique_ptr<Runtime>> start(RuntimeOptions options);
  ~Runtime();  // shutdown() if not done
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Work was created or woken (a task, a resolution, a wake-up): poll now instead of waiting
  // for the next poll interval.
  void wake();

  // POST /resolution/:id/run: leases the resolution now and runs it, waiting up to `wait`
  // for the start phase (api.md §5.6.4). Errors: not_found; conflict (`Can't run resolution:
  // cancelled` / `already running` / `already done`, or a live lease elsewhere).
  Result<void> run_now(const std::string& resolution_id,
                       std::chrono::milliseconds wait = std::chrono::seconds(5));

  // Stops claiming, lets running resolutions finish their executions for `grace`, then ends
  // them (engine.md §10.7) and releases their leases. Blocking; idempotent.
  void shutdown(std::chrono::milliseconds grace = std::chrono::seconds(3));

  // Resolutions currently held by this instance.
  size_t running() const;

  struct Impl;

 private:
  explicit Runtime(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace utask::actors

#include "actors/runtime.h"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <mutex>
#include <thread>

#include "actors/messages.h"
#include "actors/runtime_deps.h"
#include "actors/supervisor_actor.h"

namespace utask::actors {

struct Runtime::Impl {
  explicit Impl(std::unique_ptr<caf::actor_system_config> config)
      : cfg(std::move(config)), system(*cfg) {}

  // Constant after start. The config outlives the system (declared first).
  std::unique_ptr<caf::actor_system_config> cfg;
  caf::actor_system system;
  std::shared_ptr<RuntimeDeps> deps;
  caf::actor supervisor;

  std::mutex mu;
  bool stopped = false;  // guarded by mu
};

namespace {

std::unique_ptr<caf::actor_system_config> make_config(const RuntimeOptions& options) {
  auto cfg = std::make_unique<caf::actor_system_config>();
  cfg->set("scheduler.max-threads", std::max<size_t>(1, options.scheduler_threads));
  cfg->set("logger.verbosity", caf::atom("quiet"));
  cfg->set("logger.console", caf::atom("none"));
  return cfg;
}

}  // namespace

size_t commit_lanes_for(bool sqlite, size_t pool_size, size_t io_threads) {
  if (sqlite) return std::max<size_t>(1, io_threads);
  const size_t cores = std::max(2u, std::thread::hardware_concurrency());
  return std::min(cores, pool_size / 2 + 1);
}

Result<std::unique_ptr<Runtime>> Runtime::start(RuntimeOptions options) {
  if (!options.store || !options.registry || !options.templates) {
    return Error::internal("runtime: store, registry and template lookup are required");
  }
  auto impl = std::make_unique<Impl>(make_config(options));
  auto deps = std::make_shared<RuntimeDeps>();
  deps->store_io = std::make_unique<IoPool>(std::max<size_t>(4, options.io_threads));
  deps->action_io = std::make_unique<IoPool>(std::max<size_t>(2, options.io_threads));
  deps->resources = std::make_unique<ResourceLimiter>(options.resource_limits,
                                                      options.resource_acquire_timeout);
  deps->options = std::move(options);
  deps->commits = std::make_unique<persistence::GroupCommit>(*deps->options.store, 128,
                                                           deps->options.commit_lanes);
  impl->deps = deps;
  impl->supervisor = spawn_supervisor(impl->system, deps);
  return std::unique_ptr<Runtime>(new Runtime(std::move(impl)));
}

Runtime::Runtime(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Runtime::~Runtime() {
  shutdown();
  // The pools join their threads before the actor system goes: no continuation targets a
  // dead system.
  impl_->deps->action_io.reset();
  impl_->deps->store_io.reset();
}

void Runtime::wake() { caf::anon_send(impl_->supervisor, wake_atom::value); }

Result<void> Runtime::run_now(const std::string& resolution_id, std::chrono::milliseconds wait) {
  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto future = promise->get_future();
  auto once = std::make_shared<std::once_flag>();
  StartCallback cb = [promise, once](Result<void> outcome) {
    std::call_once(*once, [&] { promise->set_value(std::move(outcome)); });
  };
  caf::anon_send(impl_->supervisor, run_atom::value, resolution_id, cb);
  if (future.wait_for(wait) != std::future_status::ready) return {};  // continues in background
  auto outcome = future.get();
  if (!outcome.ok() && outcome.error().code == ErrorCode::conflict &&
      outcome.error().message.find("Can't run resolution") == std::string::npos) {
    // acquire_lease: another instance holds a live lease on it.
    return Error{ErrorCode::conflict, "Can't run resolution: already running", {}};
  }
  return outcome;
}

void Runtime::shutdown(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  DoneCallback cb = [done] { done->set_value(); };
  caf::anon_send(impl_->supervisor, shutdown_atom::value, static_cast<int64_t>(grace.count()), cb);
  // Grace for the executions, then time for the final writes.
  if (future.wait_for(grace + std::chrono::seconds(30)) != std::future_status::ready) {
    spdlog::error("runtime: runs did not stop in time; their leases will expire");
  }

}

size_t Runtime::running() const {
  // Asked of the supervisor synchronously: a short round trip.
  caf::scoped_actor self{impl_->system};
  size_t n = 0;
  self->request(impl_->supervisor, std::chrono::seconds(5), count_atom::value)
      .receive([&](size_t count) { n = count; }, [](caf::error&) {});
  return n;
}

}  // namespace utask::actors

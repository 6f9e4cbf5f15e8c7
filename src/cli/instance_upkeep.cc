#include "cli/instance_upkeep.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <string>

#include "build_info.h"

namespace utask::cli {
namespace {

using Clock = std::chrono::steady_clock;

persistence::Timestamp system_now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

persistence::Instance this_process() {
  char host[HOST_NAME_MAX + 1] = {};
  gethostname(host, sizeof host - 1);
  persistence::Instance self;
  self.hostname = host;
  self.pid = getpid();
  self.version = build_info::kVersion;
  self.started = system_now();
  return self;
}

Result<int64_t> register_self(persistence::Store& store) {
  auto instance = store.register_instance(this_process());
  if (!instance) return instance.error();
  return instance->id;
}

}  // namespace

std::chrono::nanoseconds InstanceUpkeep::gc_interval(std::chrono::nanoseconds expiration) {
  return std::clamp<std::chrono::nanoseconds>(expiration, std::chrono::minutes(1),
                                              std::chrono::hours(24));
}

Result<std::unique_ptr<InstanceUpkeep>> InstanceUpkeep::start(persistence::Store& store,
                                                              const UpkeepOptions& options) {
  auto id = register_self(store);
  if (!id) return id.error();
  spdlog::info("registered as instance {}", *id);
  std::unique_ptr<InstanceUpkeep> upkeep(new InstanceUpkeep(store, options, *id));
  upkeep->collect_garbage();
  upkeep->thread_ = std::thread([u = upkeep.get()] { u->run(); });
  return upkeep;
}

InstanceUpkeep::InstanceUpkeep(persistence::Store& store, const UpkeepOptions& options, int64_t id)
    : store_(store), options_(options), id_(id) {}

InstanceUpkeep::~InstanceUpkeep() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t InstanceUpkeep::instance_id() const {
  std::lock_guard lock(mu_);
  return id_;
}

void InstanceUpkeep::run() {
  const auto beat_every = std::max<Clock::duration>(options_.lease_ttl / 3, std::chrono::seconds(1));
  const auto gc_every = gc_interval(options_.completed_task_expiration);
  auto next_beat = Clock::now() + beat_every;
  auto next_gc = Clock::now() + gc_every;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_until(lock, std::min(next_beat, next_gc), [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    const auto now = Clock::now();
    if (now >= next_beat) {
      heartbeat();
      next_beat = now + beat_every;
    }
    if (now >= next_gc) {
      collect_garbage();
      next_gc = now + gc_every;
    }
    lock.lock();
  }
}

void InstanceUpkeep::heartbeat() {
  const int64_t id = instance_id();
  auto leases = store_.heartbeat(id);
  if (leases) return;
  if (leases.error().code != ErrorCode::not_found) {
    spdlog::warn("heartbeat of instance {} failed: {}", id, leases.error().message);
    return;
  }
  // The fleet collected our row: we were declared dead. Come back under a new id.
  auto again = register_self(store_);
  if (!again) {
    spdlog::error("instance {} was declared dead and registering again failed: {}", id,
                  again.error().message);
    return;
  }
  spdlog::warn("instance {} was declared dead by the fleet; registered again as instance {}", id,
               *again);
  std::lock_guard lock(mu_);
  id_ = *again;
}

void InstanceUpkeep::collect_garbage() {
  if (options_.gc_paused && options_.gc_paused()) {
    spdlog::info("garbage collection skipped: maintenance mode");
    return;
  }
  const auto older_than =
      system_now() - std::chrono::duration_cast<std::chrono::microseconds>(
                         options_.completed_task_expiration);
  auto report = store_.collect_garbage(older_than);
  if (!report) {
    spdlog::warn("garbage collection failed: {}", report.error().message);
    return;
  }
  spdlog::info("garbage collection: {} finished task(s), {} empty batch(es), {} dead instance(s) "
               "removed",
               report->tasks, report->batches, report->instances);
}

}  // namespace utask::cli

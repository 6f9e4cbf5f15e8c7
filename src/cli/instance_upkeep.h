#pragma once
// The server's chores on its store while it runs (docs/storage.md §4.1, §6): the instance row
// (registered at start, heartbeat every lease_ttl / 3, registered again if the fleet declared
// this process dead) and the garbage collection of finished tasks (at start, then every
// min(24 h, completed_task_expiration)). One background thread; stopped by the destructor.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "model/error.h"
#include "persistence/store.h"

namespace utask::cli {

struct UpkeepOptions {
  std::chrono::seconds lease_ttl{60};
  // Finished tasks older than this are deleted (utask-cfg completed_task_expiration).
  std::chrono::nanoseconds completed_task_expiration{std::chrono::hours(720)};
  // While it answers true (maintenance mode, config.md §6) garbage is not collected; the
  // heartbeat goes on. Empty: never paused.
  std::function<bool()> gc_paused;
};

class InstanceUpkeep {
 public:
  // Registers the instance and collects garbage once (both logged), then starts the thread.
  // Errors: registering failed (the server must not start without an instance id). A failed
  // collection is logged, not fatal: it is retried at the next interval.
  static Result<std::unique_ptr<InstanceUpkeep>> start(persistence::Store& store,
                                                       const UpkeepOptions& options);
  ~InstanceUpkeep();
  InstanceUpkeep(const InstanceUpkeep&) = delete;
  InstanceUpkeep& operator=(const InstanceUpkeep&) = delete;

  int64_t instance_id() const;

  // One round of each chore, as the thread runs them on schedule (tests call them directly).
  // heartbeat(): renews the instance's leases; when the row is gone (declared dead), registers
  // again and instance_id() changes. collect_garbage(): finished tasks older than the
  // expiration. Failures are logged, never fatal.
  void heartbeat();
  void collect_garbage();

  // How often garbage is collected: min(24 h, expiration), at least one minute so an
  // expiration of 0 does not spin.
  static std::chrono::nanoseconds gc_interval(std::chrono::nanoseconds completed_task_expiration);

 private:
  InstanceUpkeep(persistence::Store& store, const UpkeepOptions& options, int64_t id);
  void run();

  persistence::Store& store_;
  const UpkeepOptions options_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  int64_t id_;             // guarded by mu_ (changes when registered again)
  std::thread thread_;
};

}  // namespace utask::cli

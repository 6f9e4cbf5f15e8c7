#pragma once
// The admin console (issue 6): service::AdminConsole implemented by one CAF actor in a small
// actor system of its own, so it exists before the engine's runtime (whose supervisor asks
// it whether maintenance mode pauses the collectors) and outlives nothing it depends on.
// No CAF in this header.
//
// The actor owns the administrative state:
// - maintenance mode, persisted in the store (setting `maintenance_mode`) so every instance
//   on the same store agrees; the actor re-reads it every `refresh_interval` and publishes
//   it to an atomic that request threads read for free;
// - key rotation, run in the background in batches of `rotation_batch_rows` rows
//   (Store::rotate_keys on an I/O thread, never on the actor's), with its progress taken from
//   what the store reports after each batch. One rotation at a time per instance; the stored
//   progress makes a rotation resumable on any instance after a failure or a restart.
//
// Thread safety: every method may be called from any thread.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "model/error.h"
#include "model/json.h"
#include "service/admin_console.h"

namespace utask::persistence {
class Store;
}

namespace utask::actors {

// The setting key of maintenance mode in the store (JSON `true` / `false`).
inline constexpr const char* kMaintenanceSetting = "maintenance_mode";

struct AdminConsoleOptions {
  persistence::Store* store = nullptr;  // required; outlives the console
  std::chrono::milliseconds refresh_interval{1000};
  size_t rotation_batch_rows = 500;
  // `utask serve --maintenance-mode`: written to the store at start (true switches maintenance
  // on for every instance). Without it the stored value stands.
  bool start_in_maintenance = false;
  // Called from the console's thread whenever the maintenance flag it sees changes (set here
  // or seen on the store), with the new value. Must not block. Optional.
  std::function<void(bool on)> on_maintenance_change;
  // Called on an I/O thread before each rotation batch; may block (tests hold a rotation open
  // with it to observe it running). Optional.
  std::function<void()> before_rotation_batch;
};

class AdminConsoleActor final : public service::AdminConsole {
 public:
  // Reads (and with start_in_maintenance writes) the shared flag before returning, so the
  // first request already sees it. Errors: the store's (the console does not start).
  static Result<std::unique_ptr<AdminConsoleActor>> start(AdminConsoleOptions options);
  // Stops the actor; a rotation batch in flight finishes first (its progress is stored).
  ~AdminConsoleActor() override;
  AdminConsoleActor(const AdminConsoleActor&) = delete;
  AdminConsoleActor& operator=(const AdminConsoleActor&) = delete;

  bool maintenance_mode() const override;
  // Writes the shared flag, then this instance sees it at once (others within one refresh).
  Result<void> set_maintenance_mode(bool on, const std::string& by) override;
  // conflict `a key rotation is already running (started by <who> at <time>)` while one runs.
  Result<void> start_key_rotation(const std::string& by) override;
  // {"running", "done", "rows_done", "rows_total", "table", "target_key_id", "started_by",
  //  "started_at", "finished_at", "errors": [string]}; rows_total is rows_done plus the rows
  // still to scan (an upper bound that shrinks as rows already under the newest key pass).
  Json key_rotation_status() const override;

  // Re-reads the shared flag now and returns once seen (tests; the actor does it on its own
  // every refresh_interval).
  void refresh();
  // Blocks until no rotation runs on this instance, at most `timeout`; false on timeout.
  bool wait_for_rotation(std::chrono::milliseconds timeout) const;

  struct Impl;

 private:
  explicit AdminConsoleActor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace utask::actors

#pragma once
// The instance's administrative state (issue 6, "Admin console"): maintenance mode, shared by
// every instance on the same store, and background key rotation. The admin console actor
// (src/actors/admin_console_actor.h) implements it; the HTTP layer sees only this interface.
//
// Thread safety: every method may be called concurrently from request threads.

#include <string>

#include "model/error.h"
#include "model/json.h"

namespace utask::service {

class AdminConsole {
 public:
  virtual ~AdminConsole() = default;
  // Cheap (a cached value refreshed from the store): asked on every write request.
  virtual bool maintenance_mode() const = 0;
  virtual Result<void> set_maintenance_mode(bool on, const std::string& by) = 0;
  // Starts a key rotation in the background; conflict when one is already running.
  virtual Result<void> start_key_rotation(const std::string& by) = 0;
  // {"running": bool, "rows_done": n, "rows_total": n, "errors": [...], "started_at", ...}
  virtual Json key_rotation_status() const = 0;
};

}  // namespace utask::service

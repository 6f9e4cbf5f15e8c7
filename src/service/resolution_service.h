#pragma once
// Resolutions as users ask for them (api.md §5.6): creation, reads (stripped for viewers who
// are not managers), operators' edits and explicit runs. The pure checks are the engine's
// (engine/operator_edits.h); this layer authorises, loads, persists under a precondition on
// the state it saw (a concurrent change gives conflict), and comments.
//
// Error codes map to statuses as in task_service.h.
//
// Thread safety: stateless over the context; every method may be called concurrently.

#include <chrono>
#include <optional>
#include <string>

#include "model/error.h"
#include "model/json.h"
#include "service/authorization.h"
#include "service/context.h"

namespace utask::service {

// Starts runs; the actors' Runtime implements it (the service never depends on actors).
class RunStarter {
 public:
  virtual ~RunStarter() = default;
  // Leases the resolution and starts it, waiting a bounded time for the start phase.
  // Errors: not_found; conflict (`Can't run resolution: cancelled` / `already running` /
  // `already done`, or a live lease elsewhere).
  virtual Result<void> run_now(const std::string& resolution_id) = 0;
  // Work was created or woken: poll now.
  virtual void wake() = 0;
};

struct CreateResolutionRequest {
  std::string task_id;
  Json resolver_inputs = Json::object();
  bool start_over = false;
};

// PUT /resolution/:id: each present member replaces what is stored.
struct UpdateResolutionRequest {
  std::optional<Json> steps;  // object name → Step (api.md §6.5): the whole step map
  std::optional<Json> resolver_inputs;
};

class ResolutionService {
 public:
  explicit ResolutionService(const ServiceContext& context) : ctx_(context) {}

  // POST /resolution (§5.6.1): 404; start_over without resolution (400); 403; admin added to
  // the task's resolvers; start_over rights (403) and states (400); WONTFIX (400
  // `Failed to create Resolution: Task is in state WONTFIX`); resolver inputs (400
  // `Failed to create Resolution: ...`); an existing resolution (400). State TO_AUTORUN;
  // wakes the runner. Returns the resolution JSON with steps.
  Result<Json> create_resolution(const Caller& caller, const CreateResolutionRequest& request);

  // GET /resolution/:id (§5.6.2): 404, 403 `Can't display resolution details`; stripped for
  // non-managers.
  Result<Json> get_resolution(const Caller& caller, const std::string& resolution_id);
  // GET /resolution/:id/step/:name (§5.6.8).
  Result<Json> get_step(const Caller& caller, const std::string& resolution_id,
                        const std::string& step_name);

  // PUT /resolution/:id (§5.6.3): admin (401); PAUSED (400); each step validated like a
  // template step (400 `invalid step <name>: <detail>`) and its state checked (400
  // `step "<name>": invalid state provided: "<state>" is not allowed`).
  Result<void> update_resolution(const Caller& caller, const std::string& resolution_id,
                                 const UpdateResolutionRequest& request);
  // PUT /resolution/:id/step/:name (§5.6.9).
  Result<void> update_step(const Caller& caller, const std::string& resolution_id,
                           const std::string& step_name, const Json& step);

  // POST /resolution/:id/run (§5.6.4): 404, 403; the comment `manually ran resolution` is
  // written first (kept when the run is refused); then RunStarter::run_now. Without a runner,
  // internal.
  Result<void> run(const Caller& caller, const std::string& resolution_id);
  // POST /resolution/:id/pause (§5.6.5). force: admin only (403 `Not an admin user`), any
  // state, and the lease of a running holder is revoked (its next write fails).
  Result<void> pause(const Caller& caller, const std::string& resolution_id, bool force);
  // POST /resolution/:id/extend (§5.6.6).
  Result<void> extend(const Caller& caller, const std::string& resolution_id);
  // POST /resolution/:id/cancel (§5.6.7): resolution and task CANCELLED; a lease still held
  // (a run ending) is revoked.
  Result<void> cancel(const Caller& caller, const std::string& resolution_id);
  // PUT /resolution/:id/step/:name/state (§5.6.10): 404 step, PAUSED (400), 403, state (400).
  Result<void> set_step_state(const Caller& caller, const std::string& resolution_id,
                              const std::string& step_name, const std::string& state);

 private:
  const ServiceContext& ctx_;
};

}  // namespace utask::service

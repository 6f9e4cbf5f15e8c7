#include "actors/supervisor_actor.h"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "actors/blocking.h"
#include "actors/messages.h"
#include "actors/task_actor.h"
#include "persistence/store.h"

namespace utask::actors {
namespace {

struct Running {
  std::string resolution_id;
  bool recovery = false;
  caf::actor actor;
};

struct SupervisorState {
  // Set at spawn.
  std::shared_ptr<const RuntimeDeps> deps;

  // Changed only in handlers.
  int64_t instance_id = 0;
  std::map<caf::actor_addr, Running> running;
  bool claiming = false;
  // A poll came while a claim was in flight (a wake-up, a run's end): that claim may have read
  // before the new work was committed, so an empty answer polls again at once, not after the
  // idle back-off.
  bool poll_again = false;
  int empty_polls = 0;
  bool poll_scheduled = false;
  bool stopping = false;
  DoneCallback on_stopped;

  static inline const char* name = "supervisor";
};
using Self = caf::stateful_actor<SupervisorState>;

// The most resolutions one claim leases.
constexpr size_t kClaimBatch = 32;

const SupervisorOptions& opts(Self* self) { return self->state.deps->options.supervisor; }
persistence::Store& store(Self* self) { return *self->state.deps->options.store; }

int64_t recoveries(Self* self) {
  int64_t n = 0;
  for (const auto& [addr, r] : self->state.running) n += r.recovery ? 1 : 0;
  return n;
}

bool at_capacity(Self* self) {
  const auto max = opts(self).max_concurrent_executions;
  return max >= 0 && static_cast<int64_t>(self->state.running.size()) >= max;
}

void start_task(Self* self, const persistence::Claim& claim, StartCallback on_started) {
  TaskActorArgs args;
  args.lease = claim.lease;
  args.reason = claim.reason;
  args.claimed_state = claim.state;
  args.deps = self->state.deps;
  args.on_started = std::move(on_started);
  auto actor = spawn_task_actor(self, std::move(args));
  self->state.running[actor.address()] =
      Running{claim.lease.resolution_id, claim.reason == persistence::ClaimReason::recovery, actor};
}

void schedule_poll(Self* self);
void maybe_stopped(Self* self);

void poll(Self* self) {
  auto& outer = self->state;
  if (outer.claiming) outer.poll_again = true;
  if (outer.stopping || outer.claiming || !opts(self).collectors_enabled || at_capacity(self)) return;
  if (const auto& paused = outer.deps->options.collectors_paused; paused && paused()) {
    ++outer.empty_polls;  // look again later; a wake when the pause ends polls at once
    schedule_poll(self);
    return;
  }
  persistence::ClaimKinds kinds;
  const auto max_crashed = opts(self).max_concurrent_executions_from_crashed;
  kinds.recovery = max_crashed < 0 || recoveries(self) < max_crashed;
  // As many as there are free slots, at most kClaimBatch at a time (other instances get their
  // share of a burst); while recoveries are bounded, no more than the recovery slots left, since
  // any of the claimed rows may be a recovery.
  size_t batch = kClaimBatch;
  if (const auto max = opts(self).max_concurrent_executions; max >= 0) {
    batch = std::min<size_t>(batch, static_cast<size_t>(max) - outer.running.size());
  }
  if (kinds.recovery && max_crashed >= 0) {
    batch = std::min<size_t>(batch, static_cast<size_t>(max_crashed - recoveries(self)));
  }
  outer.claiming = true;
  outer.poll_again = false;
  auto* db = &store(self);
  const auto instance = outer.instance_id;
  run_blocking(self, *outer.deps->store_io,
               [db, instance, kinds, batch] { return db->claim(instance, kinds, batch); },
               [self](Result<std::vector<persistence::Claim>> claims) {
                 auto& st = self->state;
                 st.claiming = false;
                 if (st.stopping) {
                   // Claimed during shutdown: give them back untouched.
                   if (claims) {
                     auto* s = &store(self);
                     for (const auto& c : *claims) {
                       auto lease = c.lease;
                       st.deps->store_io->post([s, lease] { (void)s->release(lease, {}); });
                     }
                   }
                   maybe_stopped(self);
                   return;
                 }
                 if (!claims) {
                   spdlog::warn("claiming work failed: {}", claims.error().message);
                   ++st.empty_polls;
                   schedule_poll(self);
                   return;
                 }
                 if (claims->empty()) {
                   if (std::exchange(st.poll_again, false)) {
                     poll(self);
                     return;
                   }
                   ++st.empty_polls;
                   schedule_poll(self);
                   return;
                 }
                 st.empty_polls = 0;
                 for (const auto& c : *claims) {
                   spdlog::debug("claimed resolution {}", c.lease.resolution_id);
                   start_task(self, c, nullptr);
                 }
                 poll(self);
               });
}

void schedule_poll(Self* self) {
  auto& st = self->state;
  if (st.poll_scheduled || st.stopping) return;
  st.poll_scheduled = true;
  const auto delay = std::min<std::chrono::seconds>(std::chrono::seconds(st.empty_polls),
                                                    opts(self).max_poll_interval);
  self->delayed_send(self, std::max<std::chrono::milliseconds>(delay, std::chrono::milliseconds(1)),
                     poll_atom::value);
}

void heartbeat(Self* self) {
  auto& outer = self->state;
  auto* db = &store(self);
  const auto instance = outer.instance_id;
  run_blocking(self, *outer.deps->store_io, [db, instance] { return db->heartbeat(instance); },
               [self](Result<std::vector<persistence::Lease>> leases) {
                 auto& st = self->state;
                 if (!leases) {
                   if (leases.error().code != ErrorCode::not_found) {
                     spdlog::warn("heartbeat failed: {}", leases.error().message);
                     return;
                   }
                   // The fleet declared this instance dead: every lease is gone.
                   spdlog::error("this instance was declared dead; stopping its runs and registering again");
                   for (auto& [addr, r] : st.running) self->send(r.actor, lease_lost_atom::value);
                   return;
                 }
                 std::set<std::string> held;
                 for (const auto& l : *leases) held.insert(l.resolution_id);
                 for (auto& [addr, r] : st.running) {
                   if (!held.count(r.resolution_id)) self->send(r.actor, lease_lost_atom::value);
                 }
               });
}

void collect_garbage(Self* self) {
  auto& st = self->state;
  auto* s = &store(self);
  const auto expiry = opts(self).completed_task_expiration;
  const auto threshold = st.deps->now() - std::chrono::duration_cast<std::chrono::microseconds>(expiry);
  run_blocking(self, *st.deps->store_io, [s, threshold] { return s->collect_garbage(threshold); },
               [](Result<persistence::GcReport> report) {
                 if (!report) {
                   spdlog::warn("garbage collection failed: {}", report.error().message);
                 } else if (report->tasks + report->batches + report->instances > 0) {
                   spdlog::info("garbage collection: {} task(s), {} batch(es), {} instance(s) removed",
                                report->tasks, report->batches, report->instances);
                 }
               });
}

void maybe_stopped(Self* self) {
  auto& st = self->state;
  if (st.stopping && st.running.empty() && !st.claiming) {
    if (st.on_stopped) st.on_stopped();
    st.on_stopped = nullptr;
    self->quit();
  }
}

caf::behavior supervisor(Self* self, std::shared_ptr<const RuntimeDeps> deps) {
  self->state.deps = std::move(deps);
  self->state.instance_id = self->state.deps->options.instance_id;
  self->set_down_handler([self](caf::down_msg& down) {
    self->state.running.erase(down.source);
    maybe_stopped(self);
    poll(self);
  });
  const auto beat = std::max<std::chrono::seconds>(opts(self).lease_ttl / 3, std::chrono::seconds(1));
  const auto gc_every = std::min<std::chrono::nanoseconds>(std::chrono::hours(24),
                                                           opts(self).completed_task_expiration);
  self->send(self, poll_atom::value);
  self->delayed_send(self, beat, heartbeat_atom::value);
  self->send(self, gc_atom::value);
  return {
      handle_continuation(),
      [self](poll_atom) {
        self->state.poll_scheduled = false;
        poll(self);
      },
      [self](count_atom) { return self->state.running.size(); },
      [self](wake_atom) {
        self->state.empty_polls = 0;
        poll(self);
      },
      [self, beat](heartbeat_atom) {
        if (self->state.stopping) return;
        heartbeat(self);
        self->delayed_send(self, beat, heartbeat_atom::value);
      },
      [self, gc_every](gc_atom) {
        if (self->state.stopping || !opts(self).collect_garbage) return;
        collect_garbage(self);
        self->delayed_send(self, std::chrono::duration_cast<std::chrono::seconds>(gc_every), gc_atom::value);
      },
      [self](run_atom, const std::string& resolution_id, StartCallback& on_started) {
        auto& st = self->state;
        if (st.stopping) {
          on_started(Error{ErrorCode::transient, "instance is shutting down", {}});
          return;
        }
        auto* s = &store(self);
        const auto instance = st.instance_id;
        run_blocking(self, *st.deps->store_io,
                     [s, resolution_id, instance] { return s->acquire_lease(resolution_id, instance); },
                     [self, on_started](Result<persistence::Lease> lease) mutable {
                       if (!lease) {
                         on_started(lease.error());
                         return;
                       }
                       persistence::Claim claim;
                       claim.lease = *lease;
                       claim.reason = persistence::ClaimReason::wake;
                       start_task(self, claim, std::move(on_started));
                     });
      },
      [self](shutdown_atom, int64_t grace_ms, DoneCallback& on_stopped) {
        auto& st = self->state;
        st.stopping = true;
        st.on_stopped = std::move(on_stopped);
        for (auto& [addr, r] : st.running) self->send(r.actor, shutdown_atom::value, grace_ms);
        maybe_stopped(self);
      },
  };
}

}  // namespace

caf::actor spawn_supervisor(caf::actor_system& system, std::shared_ptr<const RuntimeDeps> deps) {
  return system.spawn(supervisor, std::move(deps));
}

}  // namespace utask::actors

#pragma once
// How an instance's supervisor schedules work (from utask-cfg, engine.md §10); no CAF here.

#include <chrono>
#include <cstdint>

namespace utask::actors {

struct SupervisorOptions {
  // Resolutions run at once by this instance (engine.md §4.3); 0 stops processing.
  int64_t max_concurrent_executions = 100;
  // Of which recovered from a dead holder (engine.md §10.2, instance collector).
  int64_t max_concurrent_executions_from_crashed = 20;
  // Lease renewal: every lease_ttl / 3 (docs/storage.md §4.1).
  std::chrono::seconds lease_ttl{60};
  // Garbage collection of finished tasks older than this, at start and every min(24 h, it).
  std::chrono::nanoseconds completed_task_expiration{std::chrono::hours(720)};
  // Polling when nothing is claimable: 1 s, 2 s … up to this (engine.md §10.2: 10 s).
  std::chrono::seconds max_poll_interval{10};
  // The garbage collector; off when something else collects (serve's instance upkeep).
  bool collect_garbage = true;
  // Maintenance mode: no collector claims anything (explicit runs are refused by the API).
  bool collectors_enabled = true;
};

}  // namespace utask::actors

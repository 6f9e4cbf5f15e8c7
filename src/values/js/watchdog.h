#pragma once
// One thread that runs callbacks at deadlines: the timeouts of JS evaluations. A single
// thread serves every evaluation (rather than one thread per call) because evaluations are
// frequent and short, and a timer needs no more than a sleeping thread.
//
// Thread safety: every method may be called from any thread. A callback runs on the
// watchdog thread with the internal mutex held, so when disarm() returns the callback has
// either finished or will never run: callers may free what it touches right after. Callbacks
// must therefore be short and must not call back into the watchdog.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace utask::values::js {

class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;

  Watchdog();
  ~Watchdog();  // pending callbacks never run
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Schedules `on_expiry` at `deadline` (at once if it has passed). Returns a ticket for disarm.
  uint64_t arm(Clock::time_point deadline, std::function<void()> on_expiry);

  // Cancels the ticket. Returns true if its callback ran (the deadline passed first).
  bool disarm(uint64_t ticket);

 private:
  struct Entry {
    Clock::time_point deadline;
    std::function<void()> on_expiry;
  };

  void run();

  // State below is protected by mutex_.
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<uint64_t, Entry> pending_;
  std::set<uint64_t> fired_;  // tickets whose callback ran and that were not disarmed yet
  uint64_t next_ticket_ = 1;
  bool stopping_ = false;

  std::thread thread_;  // last: starts once the state above exists
};

}  // namespace utask::values::js

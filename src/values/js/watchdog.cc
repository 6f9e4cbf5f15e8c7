#include "values/js/watchdog.h"

#include <utility>

namespace utask::values::js {

Watchdog::Watchdog() : thread_([this] { run(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

uint64_t Watchdog::arm(Clock::time_point deadline, std::function<void()> on_expiry) {
  uint64_t ticket;
  {
    std::lock_guard lock(mutex_);
    ticket = next_ticket_++;
    pending_.emplace(ticket, Entry{deadline, std::move(on_expiry)});
  }
  wake_.notify_all();
  return ticket;
}

bool Watchdog::disarm(uint64_t ticket) {
  std::lock_guard lock(mutex_);
  if (pending_.erase(ticket) > 0) return false;
  return fired_.erase(ticket) > 0;
}

void Watchdog::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // Few evaluations run at once (one per isolate): a linear scan beats a second index.
    auto earliest = pending_.end();
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      if (earliest == pending_.end() || it->second.deadline < earliest->second.deadline) earliest = it;
    }
    if (earliest == pending_.end()) {
      wake_.wait(lock);
      continue;
    }
    if (Clock::now() < earliest->second.deadline) {
      wake_.wait_until(lock, earliest->second.deadline);
      continue;  // re-scan: a nearer deadline may have been armed, or this one disarmed
    }
    earliest->second.on_expiry();
    fired_.insert(earliest->first);
    pending_.erase(earliest);
  }
}

}  // namespace utask::values::js

#pragma once
// Named counting semaphores for `resource_limits` (engine.md §10.6): n > 0 allows n holders,
// 0 is a dead resource (never acquired), unlisted names are unlimited. Acquisition of a set
// of names is all-or-nothing, in sorted order (no deadlock between two sets), waiting up to a
// timeout. Used on I/O threads only: it blocks.
//
// Thread safety: every method may be called concurrently.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace utask::actors {

class ResourceLimiter {
 public:
  ResourceLimiter(std::map<std::string, int64_t> limits, std::chrono::nanoseconds timeout);

  // Takes every resource of `names` (sorted, unique) or none. False on timeout, on a dead
  // resource, or when `cancelled` becomes true while waiting (checked every 100 ms).
  bool acquire(const std::vector<std::string>& names, const std::atomic<bool>* cancelled = nullptr);
  void release(const std::vector<std::string>& names);

  // A limited resource's holders now (for /metrics and tests); 0 for unlimited names.
  int64_t in_use(const std::string& name) const;

 private:
  bool limited(const std::string& name) const { return limits_.count(name) > 0; }

  const std::map<std::string, int64_t> limits_;
  const std::chrono::nanoseconds timeout_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::map<std::string, int64_t> used_;  // guarded by mu_
};

}  // namespace utask::actors

#include "actors/resource_limiter.h"

namespace utask::actors {

ResourceLimiter::ResourceLimiter(std::map<std::string, int64_t> limits,
                                 std::chrono::nanoseconds timeout)
    : limits_(std::move(limits)), timeout_(timeout) {}

bool ResourceLimiter::acquire(const std::vector<std::string>& names, const std::atomic<bool>* cancelled) {
  std::vector<std::string> wanted;
  for (const auto& n : names) {
    if (!limited(n)) continue;
    if (limits_.at(n) <= 0) return false;  // dead resource: fails at once
    wanted.push_back(n);
  }
  if (wanted.empty()) return true;
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  std::unique_lock lock(mu_);
  for (;;) {
    bool free = true;
    for (const auto& n : wanted) free = free && used_[n] < limits_.at(n);
    if (free) {
      for (const auto& n : wanted) ++used_[n];
      return true;
    }
    if (cancelled && cancelled->load()) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    freed_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(
                              deadline - now, std::chrono::milliseconds(100)));
  }
}

void ResourceLimiter::release(const std::vector<std::string>& names) {
  {
    std::lock_guard lock(mu_);
    for (const auto& n : names) {
      if (!limited(n)) continue;
      auto it = used_.find(n);
      if (it != used_.end() && it->second > 0) --it->second;
    }
  }
  freed_.notify_all();
}

int64_t ResourceLimiter::in_use(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = used_.find(name);
  return it == used_.end() ? 0 : it->second;
}

}  // namespace utask::actors

#include "persistence/group_commit.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace utask::persistence {

struct GroupCommit::Writer {
  const LeasedWrite* write;
  Result<void> result;
  bool done = false;
  std::condition_variable cv;
};

namespace {

std::vector<Result<void>> commit_with_retries(Store& store, const std::vector<LeasedWrite>& writes) {
  std::vector<Result<void>> results;
  for (int attempt = 0;; ++attempt) {
    results = store.write_leased(writes);
    const bool transaction_failed =
        std::all_of(results.begin(), results.end(), [](const Result<void>& r) {
          return !r.ok() && r.error().code == ErrorCode::transient;
        });
    if (!transaction_failed || attempt >= 3) return results;
    std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
  }
}

}  // namespace

Result<void> GroupCommit::write(const LeasedWrite& write) {
  Writer self{&write, {}, false, {}};
  std::unique_lock lock(mu_);
  queue_.push_back(&self);
  while (!self.done && queue_.front() != &self) self.cv.wait(lock);
  if (self.done) return self.result;

  // This caller leads a group: itself and every writer queued behind it.
  std::vector<Writer*> group;
  for (auto it = queue_.begin(); it != queue_.end() && group.size() < max_batch_; ++it) group.push_back(*it);
  std::vector<LeasedWrite> writes;
  writes.reserve(group.size());
  for (auto* w : group) writes.push_back(*w->write);
  lock.unlock();
  auto results = commit_with_retries(store_, writes);
  lock.lock();

  ++groups_;
  writes_ += group.size();
  for (size_t i = 0; i < group.size(); ++i) {
    queue_.pop_front();
    group[i]->result = std::move(results[i]);
    group[i]->done = true;
    if (group[i] != &self) group[i]->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next group's leader
  return self.result;
}

size_t GroupCommit::groups() const {
  std::lock_guard lock(mu_);
  return groups_;
}

size_t GroupCommit::writes() const {
  std::lock_guard lock(mu_);
  return writes_;
}

}  // namespace utask::persistence

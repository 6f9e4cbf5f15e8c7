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

GroupCommit::GroupCommit(Store& store, size_t max_batch, size_t lanes)
    : store_(store), max_batch_(std::max<size_t>(1, max_batch)) {
  for (size_t i = 0; i < std::max<size_t>(1, lanes); ++i) lanes_.push_back(std::make_unique<Lane>());
}

Result<void> GroupCommit::write(const LeasedWrite& write) {
  Lane& lane = *lanes_[next_lane_.fetch_add(1, std::memory_order_relaxed) % lanes_.size()];
  auto& queue = lane.queue;
  Writer self{&write, {}, false, {}};
  std::unique_lock lock(lane.mu);
  queue.push_back(&self);
  while (!self.done && queue.front() != &self) self.cv.wait(lock);
  if (self.done) return self.result;

  // This caller leads a group: itself and every writer queued behind it.
  std::vector<Writer*> group;
  for (auto it = queue.begin(); it != queue.end() && group.size() < max_batch_; ++it) group.push_back(*it);
  std::vector<LeasedWrite> writes;
  writes.reserve(group.size());
  for (auto* w : group) writes.push_back(*w->write);
  lock.unlock();
  auto results = commit_with_retries(store_, writes);
  lock.lock();

  ++lane.groups;
  lane.writes += group.size();
  for (size_t i = 0; i < group.size(); ++i) {
    queue.pop_front();
    group[i]->result = std::move(results[i]);
    group[i]->done = true;
    if (group[i] != &self) group[i]->cv.notify_one();
  }
  if (!queue.empty()) queue.front()->cv.notify_one();  // the next group's leader
  return self.result;
}

size_t GroupCommit::groups() const {
  size_t n = 0;
  for (const auto& lane : lanes_) {
    std::lock_guard lock(lane->mu);
    n += lane->groups;
  }
  return n;
}

size_t GroupCommit::writes() const {
  size_t n = 0;
  for (const auto& lane : lanes_) {
    std::lock_guard lock(lane->mu);
    n += lane->writes;
  }
  return n;
}

}  // namespace utask::persistence

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
  Lane& lane = pick_lane();
  auto& queue = lane.queue;
  Writer self{&write, {}, false, {}};
  std::unique_lock lock(lane.mu);
  queue.push_back(&self);
  lane.queued.fetch_add(1, std::memory_order_relaxed);
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
  lane.queued.fetch_sub(group.size(), std::memory_order_relaxed);
  for (size_t i = 0; i < group.size(); ++i) {
    queue.pop_front();
    group[i]->result = std::move(results[i]);
    group[i]->done = true;
    if (group[i] != &self) group[i]->cv.notify_one();
  }
  if (!queue.empty()) queue.front()->cv.notify_one();  // the next group's leader
  return self.result;
}

// An idle lane when there is one, so a write never waits behind another while a connection
// could commit it at once (on Postgres, concurrent commits already share their WAL flush);
// otherwise the lane with the fewest writers queued, where it joins the next group. The scan
// starts at a rotating lane so idle lanes are used evenly.
GroupCommit::Lane& GroupCommit::pick_lane() {
  const size_t n = lanes_.size();
  const size_t start = next_lane_.fetch_add(1, std::memory_order_relaxed);
  Lane* best = nullptr;
  size_t best_queued = 0;
  for (size_t i = 0; i < n; ++i) {
    Lane& lane = *lanes_[(start + i) % n];
    const size_t queued = lane.queued.load(std::memory_order_relaxed);
    if (queued == 0) return lane;
    if (!best || queued < best_queued) best = &lane, best_queued = queued;
  }
  return *best;
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

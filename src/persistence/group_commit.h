#pragma once
// Group commit of leased writes (checkpoints and releases), after LevelDB's write queue
// (DBImpl::Write): each caller queues its write and waits; the caller at the front of the
// queue takes every write queued behind it (up to max_batch) and commits them in one
// transaction (Store::write_leased), then wakes their callers with their own results. Idle,
// a write goes alone at once; under load one commit — one fsync — serves many transitions.
//
// Thread safety: write() may be called from any number of threads; it blocks its caller.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

#include "model/error.h"
#include "persistence/store.h"

namespace utask::persistence {

class GroupCommit {
 public:
  // REQUIRES: `store` outlives this object.
  explicit GroupCommit(Store& store, size_t max_batch = 128) : store_(store), max_batch_(max_batch) {}

  // Writes `write` (fenced by its lease) in the next group; its own result. A group whose
  // transaction fails for a transient reason is retried (3 times, 50/100/200 ms) first.
  Result<void> write(const LeasedWrite& write);

  // Groups committed and writes in them, since construction (for benchmarks and metrics).
  size_t groups() const;
  size_t writes() const;

 private:
  struct Writer;

  Store& store_;
  const size_t max_batch_;

  mutable std::mutex mu_;
  std::deque<Writer*> queue_;  // guarded by mu_; the front one is committing or about to
  size_t groups_ = 0;          // guarded by mu_
  size_t writes_ = 0;          // guarded by mu_
};

}  // namespace utask::persistence

#pragma once
// Group commit of leased writes (checkpoints and releases), after LevelDB's write queue
// (DBImpl::Write): each caller queues its write and waits; the caller at the front of the
// queue takes every write queued behind it (up to max_batch) and commits them in one
// transaction (Store::write_leased), then wakes their callers with their own results. Idle,
// a write goes alone at once; under load one commit — one fsync — serves many transitions.
//
// Lanes: `lanes` independent queues, each with its own leader, so several groups commit at
// once — a server database (Postgres, with a pool) runs them in parallel, while one lane suits
// SQLite's single writer. A write takes an idle lane when there is one and otherwise joins the
// shortest queue, so groups form only when every lane is busy; a caller that has one write in
// flight at a time (a task actor) keeps its order.
//
// Thread safety: write() may be called from any number of threads; it blocks its caller.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>
#include <atomic>

#include "model/error.h"
#include "persistence/store.h"

namespace utask::persistence {

class GroupCommit {
 public:
  // REQUIRES: `store` outlives this object.
  explicit GroupCommit(Store& store, size_t max_batch = 128, size_t lanes = 1);

  // Writes `write` (fenced by its lease) in the next group; its own result. A group whose
  // transaction fails for a transient reason is retried (3 times, 50/100/200 ms) first.
  Result<void> write(const LeasedWrite& write);

  // Groups committed and writes in them, since construction (for benchmarks and metrics).
  size_t groups() const;
  size_t writes() const;

 private:
  struct Writer;
  struct Lane {
    std::mutex mu;
    std::deque<Writer*> queue;  // guarded by mu; the front one is committing or about to
    size_t groups = 0;          // guarded by mu
    size_t writes = 0;          // guarded by mu
    std::atomic<size_t> queued{0};  // queue.size(), readable without mu (pick_lane)
  };

  Lane& pick_lane();

  Store& store_;
  const size_t max_batch_;
  std::vector<std::unique_ptr<Lane>> lanes_;  // constant after construction
  std::atomic<size_t> next_lane_{0};
};

}  // namespace utask::persistence

#pragma once
// Evaluations run in worker processes, each with one V8 isolate, so that what V8 itself cannot
// contain stays out of the server: some built-ins abort the whole process on an oversized
// allocation (`s.split('')` of a 2^28-character string), and a built-in does not notice
// termination, so one call over a huge sparse array runs for minutes. A worker that crashes is
// replaced; one that misses its deadline by more than a grace period is killed.
//
// Workers are forked from the calling process on demand (V8 is only ever initialised in them),
// serve one evaluation at a time over a socket pair, and exit when their socket closes.
//
// Thread safety: evaluate() may be called from any number of threads; at most max_workers
// evaluations run at once, the others wait.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "values/js/js_engine.h"

namespace utask::values::js {

class WorkerPool {
 public:
  explicit WorkerPool(const JsEngineOptions& options);
  ~WorkerPool();  // closes the workers' sockets, kills and reaps them
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // As InProcessEngine::evaluate, in a worker.
  Result<std::string> evaluate(std::string_view source, std::chrono::nanoseconds timeout, bool json_form);

  size_t started() const;
  size_t alive() const;

 private:
  struct Worker {
    int pid = -1;
    int fd = -1;  // our end of the socket pair
  };

  Result<Worker> acquire();
  void release(Worker worker);
  void discard(Worker worker);  // kills (if needed), reaps, forgets
  Result<Worker> spawn();

  // Constant after construction.
  const JsEngineOptions options_;

  // State below is protected by mutex_.
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::vector<Worker> idle_;
  size_t alive_ = 0;  // idle + busy + being spawned
  size_t started_ = 0;
};

}  // namespace utask::values::js

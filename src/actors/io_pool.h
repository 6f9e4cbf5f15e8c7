#pragma once
// A fixed pool of threads for blocking work: store calls and action executions. CAF's
// scheduler threads never block (ARCHITECTURE: "blocking work never blocks CAF's scheduler
// threads"); an actor posts the work here and gets its result back as a message
// (actors/blocking.h). No CAF in this header.
//
// Thread safety: post() may be called from any thread. Work items must not throw (a thrown
// exception is caught and logged: it would otherwise end the process).

#include <cstddef>
#include <functional>
#include <memory>

namespace utask::actors {

class IoPool {
 public:
  explicit IoPool(size_t threads);
  ~IoPool();  // waits for every posted item
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  void post(std::function<void()> work);
  size_t threads() const { return threads_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  size_t threads_;
};

}  // namespace utask::actors

#pragma once
// A bounded pool of V8 isolates, each with a capped heap and capped array buffers, and the
// once-per-process V8 initialisation. Internal to values/js (see js_engine.h).

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "model/error.h"

namespace v8 {
class Isolate;
}

namespace utask::values::js {

class CappedAllocator;  // a v8::ArrayBuffer::Allocator with a byte budget (isolate_pool.cc)

struct IsolateLimits {
  size_t heap_bytes = 0;
  size_t array_buffer_bytes = 0;
};

// One isolate and what lives and dies with it.
struct PooledIsolate {
  v8::Isolate* isolate = nullptr;
  std::unique_ptr<CappedAllocator> allocator;  // must outlive the isolate
  // Set by the near-heap-limit callback, which also terminates the running script: the heap
  // may be full of live objects, so the isolate must not be reused.
  std::atomic<bool> heap_exhausted{false};

  PooledIsolate();
  ~PooledIsolate();  // disposes the isolate; REQUIRES: no thread has it entered
};

// Initialises V8 (platform, flags) once per process; any thread may call it, any number of
// times. The platform lives until the process exits.
void ensure_v8_initialized();

class IsolatePool {
 public:
  // REQUIRES: max_isolates >= 1.
  IsolatePool(size_t max_isolates, IsolateLimits limits);
  ~IsolatePool();  // REQUIRES: every acquired isolate was released
  IsolatePool(const IsolatePool&) = delete;
  IsolatePool& operator=(const IsolatePool&) = delete;

  // An idle isolate, or a new one while fewer than max_isolates exist; otherwise waits for a
  // release. Fails (internal) only if V8 cannot create an isolate.
  Result<std::unique_ptr<PooledIsolate>> acquire();

  // Returns an isolate to the pool, or disposes it when it is not `reusable`.
  void release(std::unique_ptr<PooledIsolate> isolate, bool reusable);

  size_t created() const { return created_.load(); }
  size_t alive() const;

 private:
  Result<std::unique_ptr<PooledIsolate>> create();

  // Constant after construction.
  const size_t max_isolates_;
  const IsolateLimits limits_;

  std::atomic<size_t> created_{0};

  // State below is protected by mutex_.
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<PooledIsolate>> idle_;
  size_t alive_ = 0;  // idle + in use + being created
};

}  // namespace utask::values::js

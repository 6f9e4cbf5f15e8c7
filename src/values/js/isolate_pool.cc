#include "values/js/isolate_pool.h"

#include <libplatform/libplatform.h>
#include <v8.h>

#include <algorithm>
#include <utility>

namespace utask::values::js {

// The array buffer allocator of one isolate: V8's default one with a byte budget, because
// typed arrays live outside the heap and its cap would not see them. Over budget, Allocate
// returns nullptr and the script gets a RangeError ("Array buffer allocation failed").
// V8 may free buffers from its GC threads, hence the atomic counter.
// (libnode is built without RTTI, so this file is compiled with -fno-rtti: see README.md.)
class CappedAllocator final : public v8::ArrayBuffer::Allocator {
 public:
  explicit CappedAllocator(size_t budget) : budget_(budget), inner_(v8::ArrayBuffer::Allocator::NewDefaultAllocator()) {}

  void* Allocate(size_t length) override {
    if (!reserve(length)) return nullptr;
    void* data = inner_->Allocate(length);
    if (data == nullptr) used_ -= length;
    return data;
  }
  void* AllocateUninitialized(size_t length) override {
    if (!reserve(length)) return nullptr;
    void* data = inner_->AllocateUninitialized(length);
    if (data == nullptr) used_ -= length;
    return data;
  }
  void Free(void* data, size_t length) override {
    inner_->Free(data, length);
    used_ -= length;
  }

 private:
  bool reserve(size_t length) {
    size_t used = used_.load();
    do {
      if (length > budget_ || used > budget_ - length) return false;
    } while (!used_.compare_exchange_weak(used, used + length));
    return true;
  }

  const size_t budget_;
  std::unique_ptr<v8::ArrayBuffer::Allocator> inner_;
  std::atomic<size_t> used_{0};
};

namespace {

// Called by V8 (on the thread running the script) when the heap nears its cap. Letting V8 go
// past the cap would abort the process, so: terminate the script and grant enough room for
// the termination to unwind. A single allocation may be large (a string or an array of up to
// 1 GiB); the margin covers what V8 can allocate in one piece.
size_t on_near_heap_limit(void* data, size_t current_limit, size_t /*initial_limit*/) {
  auto* pooled = static_cast<PooledIsolate*>(data);
  pooled->heap_exhausted = true;
  pooled->isolate->TerminateExecution();
  constexpr size_t kMargin = size_t{1} << 30;
  return current_limit + std::max(current_limit, kMargin);
}

}  // namespace

PooledIsolate::PooledIsolate() = default;

PooledIsolate::~PooledIsolate() {
  if (isolate != nullptr) isolate->Dispose();
}

void ensure_v8_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    // WebAssembly memories are reserved outside both caps; templates have no use for them.
    static const char kFlags[] = "--no-expose-wasm";
    v8::V8::SetFlagsFromString(kFlags, sizeof(kFlags) - 1);
    // Two workers for concurrent GC and compilation: the machine is shared with the engine.
    // Never destroyed: isolates of the shared engine live until the process exits.
    static v8::Platform* platform = v8::platform::NewDefaultPlatform(2).release();
    v8::V8::InitializePlatform(platform);
    v8::V8::Initialize();
  });
}

IsolatePool::IsolatePool(size_t max_isolates, IsolateLimits limits)
    : max_isolates_(std::max<size_t>(max_isolates, 1)), limits_(limits) {
  ensure_v8_initialized();
}

IsolatePool::~IsolatePool() = default;

size_t IsolatePool::alive() const {
  std::lock_guard lock(mutex_);
  return alive_;
}

Result<std::unique_ptr<PooledIsolate>> IsolatePool::acquire() {
  {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [this] { return !idle_.empty() || alive_ < max_isolates_; });
    if (!idle_.empty()) {
      auto pooled = std::move(idle_.back());
      idle_.pop_back();
      return pooled;
    }
    ++alive_;  // reserve the slot; creating takes milliseconds, outside the lock
  }
  auto created = create();
  if (!created) {
    {
      std::lock_guard lock(mutex_);
      --alive_;
    }
    released_.notify_one();
  }
  return created;
}

void IsolatePool::release(std::unique_ptr<PooledIsolate> isolate, bool reusable) {
  if (!reusable) {
    isolate.reset();  // dispose outside the lock
    std::lock_guard lock(mutex_);
    --alive_;
  } else {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(isolate));
  }
  released_.notify_one();
}

Result<std::unique_ptr<PooledIsolate>> IsolatePool::create() {
  auto pooled = std::make_unique<PooledIsolate>();
  pooled->allocator = std::make_unique<CappedAllocator>(limits_.array_buffer_bytes);
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = pooled->allocator.get();
  params.constraints.ConfigureDefaultsFromHeapSize(0, limits_.heap_bytes);
  pooled->isolate = v8::Isolate::New(params);
  if (pooled->isolate == nullptr) return Error::internal("cannot create a JavaScript isolate");
  pooled->isolate->AddNearHeapLimitCallback(&on_near_heap_limit, pooled.get());
  // Atomics.wait would block the thread out of the watchdog's reach.
  pooled->isolate->SetAllowAtomicsWait(false);
  ++created_;
  return pooled;
}

}  // namespace utask::values::js

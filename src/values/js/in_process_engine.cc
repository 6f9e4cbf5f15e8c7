#include "values/js/in_process_engine.h"

#include <pthread.h>
#include <v8.h>

#include <algorithm>
#include <string>
#include <utility>

#include "model/json.h"
#include "values/js/error_text.h"
#include "values/js/isolate_pool.h"
#include "values/js/otto_json.h"
#include "values/js/watchdog.h"

namespace utask::values::js {
namespace {

// Limits the JS stack to V8's usual budget below the current frame, but never closer than a
// reserve to the end of this thread's stack: V8 only knows the budget, not the thread's real
// size, and a caller's thread may have a small stack.
void set_stack_limit(v8::Isolate* isolate) {
  constexpr uintptr_t kBudget = 984 * 1024;  // V8's default --stack-size
  constexpr uintptr_t kReserve = 128 * 1024;  // for C++ frames below the JS limit
  // The lowest address of this thread's stack; looked up once per thread (for the main
  // thread, glibc reads /proc/self/maps to find it).
  thread_local uintptr_t stack_low = [] {
    uintptr_t low = 0;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return low;
    void* addr = nullptr;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) low = reinterpret_cast<uintptr_t>(addr);
    pthread_attr_destroy(&attr);
    return low;
  }();
  if (stack_low == 0) return;
  auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uintptr_t limit = here > kBudget ? here - kBudget : 0;
  uintptr_t floor = stack_low + kReserve;
  isolate->SetStackLimit(limit > floor ? limit : floor);
}

std::string to_utf8(v8::Isolate* isolate, v8::Local<v8::String> s) {
  std::string out(s->Utf8Length(isolate), '\0');
  s->WriteUtf8(isolate, out.data(), static_cast<int>(out.size()), nullptr,
               v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  return out;
}

// The outcome of running a program inside an entered context, before the reasons of a
// termination (deadline or memory) are known.
struct Attempt {
  enum class Kind { value, error, terminated } kind = Kind::terminated;
  std::string text;  // the value (String() or JSON text), or the error message
};

class Runner {
 public:
  Runner(v8::Isolate* isolate, v8::Local<v8::Context> context, size_t max_result_chars)
      : isolate_(isolate), context_(context), catcher_(isolate), max_result_chars_(max_result_chars) {}

  Attempt run(std::string_view source, bool json_form) {
    if (!install_prelude()) return failure();
    v8::Local<v8::String> code;
    if (!v8::String::NewFromUtf8(isolate_, source.data(), v8::NewStringType::kNormal, static_cast<int>(source.size()))
             .ToLocal(&code)) {
      return failure();
    }
    v8::Local<v8::Script> script;
    if (!v8::Script::Compile(context_, code).ToLocal(&script)) return syntax_failure();
    v8::Local<v8::Value> completion;
    if (!script->Run(context_).ToLocal(&completion)) return failure();
    v8::Local<v8::String> text;
    if (json_form) {
      if (completion->IsUndefined() || completion->IsFunction() || completion->IsSymbol()) {
        return {Attempt::Kind::value, "null"};
      }
      if (!v8::JSON::Stringify(context_, completion).ToLocal(&text)) return failure();
    } else if (!completion->ToString(context_).ToLocal(&text)) {
      return failure();
    }
    if (static_cast<size_t>(text->Length()) > max_result_chars_) {
      return {Attempt::Kind::error, std::string(kOutOfMemoryText) + " (result of " + std::to_string(text->Length()) +
                                        " characters)"};
    }
    return {Attempt::Kind::value, to_utf8(isolate_, text)};
  }

 private:
  // Makes the context behave as the original's where programs could tell (otto_json.h).
  // V8 caches the compiled prelude per isolate, so this costs little after the first time.
  bool install_prelude() {
    v8::Local<v8::String> code;
    v8::Local<v8::Script> script;
    return v8::String::NewFromUtf8(isolate_, kOttoJsonPrelude).ToLocal(&code) &&
           v8::Script::Compile(context_, code).ToLocal(&script) && !script->Run(context_).IsEmpty();
  }

  bool terminating() const { return catcher_.HasTerminated() || isolate_->IsExecutionTerminating(); }

  // An uncaught exception, as the original printed it: the thrown value as a string.
  Attempt failure() {
    if (terminating() || !catcher_.HasCaught()) return {};
    v8::Local<v8::Value> exception = catcher_.Exception();
    catcher_.Reset();
    v8::Local<v8::String> text;
    if (!exception->ToString(context_).ToLocal(&text)) {
      // A thrown object whose toString throws or runs out of time.
      if (terminating()) return {};
      return {Attempt::Kind::error, "Uncaught exception"};
    }
    return {Attempt::Kind::error, otto_error_text(to_utf8(isolate_, text))};
  }

  // A program that does not compile, in the original's form:
  // "(anonymous): Line 1:8 Unexpected identifier 'error'" (column 1-based).
  Attempt syntax_failure() {
    if (terminating() || !catcher_.HasCaught()) return {};
    v8::Local<v8::Message> message = catcher_.Message();
    Attempt attempt = failure();
    if (attempt.kind != Attempt::Kind::error || message.IsEmpty()) return attempt;
    constexpr std::string_view kPrefix = "SyntaxError: ";
    if (attempt.text.starts_with(kPrefix)) attempt.text.erase(0, kPrefix.size());
    int line = message->GetLineNumber(context_).FromMaybe(0);
    int column = message->GetStartColumn(context_).FromMaybe(0) + 1;
    attempt.text = "(anonymous): Line " + std::to_string(line) + ":" + std::to_string(column) + " " + attempt.text;
    return attempt;
  }

  v8::Isolate* isolate_;
  v8::Local<v8::Context> context_;
  v8::TryCatch catcher_;
  size_t max_result_chars_;
};

}  // namespace

class InProcessEngine::State {
 public:
  explicit State(const JsEngineOptions& o)
      : options(o), pool(o.max_workers, {o.heap_limit_bytes, o.array_buffer_limit_bytes}) {}

  const JsEngineOptions options;
  IsolatePool pool;
  Watchdog watchdog;
};

InProcessEngine::InProcessEngine(const JsEngineOptions& options) : state_(std::make_unique<State>(options)) {}

InProcessEngine::~InProcessEngine() = default;

size_t InProcessEngine::isolates_created() const { return state_->pool.created(); }

size_t InProcessEngine::isolates_alive() const { return state_->pool.alive(); }

Result<std::string> InProcessEngine::evaluate(std::string_view source, std::chrono::nanoseconds timeout,
                                              bool json_form) {
  IsolatePool& pool = state_->pool;
  Watchdog& watchdog = state_->watchdog;
  // Programs and results are strings in the capped heap; refuse those that could not fit
  // rather than let V8 find out in the middle of an allocation.
  const size_t max_chars = state_->options.heap_limit_bytes / 4;
  if (timeout <= std::chrono::nanoseconds::zero()) return Error::invalid_input(std::string(kTimedOutText));
  // Go durations reach 292 years; a deadline that far would overflow the clock.
  timeout = std::min<std::chrono::nanoseconds>(timeout, std::chrono::hours(24 * 365));
  if (source.size() > max_chars || source.size() > static_cast<size_t>(v8::String::kMaxLength)) {
    return Error::invalid_input(std::string(kOutOfMemoryText) + " (program of " + std::to_string(source.size()) +
                                " bytes)");
  }
  auto acquired = pool.acquire();
  if (!acquired) return acquired.error();
  std::unique_ptr<PooledIsolate> pooled = std::move(acquired.value());
  v8::Isolate* isolate = pooled->isolate;

  Attempt attempt;
  bool timed_out = false;
  {
    v8::Locker locker(isolate);
    v8::Isolate::Scope isolate_scope(isolate);
    set_stack_limit(isolate);
    v8::HandleScope handles(isolate);
    // A queue per context: promise jobs a program leaves behind die with it.
    auto microtasks = v8::MicrotaskQueue::New(isolate, v8::MicrotasksPolicy::kExplicit);
    uint64_t ticket = watchdog.arm(Watchdog::Clock::now() + timeout, [isolate] { isolate->TerminateExecution(); });
    v8::Local<v8::Context> context = v8::Context::New(isolate, nullptr, {}, {}, {}, microtasks.get());
    if (!context.IsEmpty()) {
      v8::Context::Scope context_scope(context);
      Runner runner(isolate, context, max_chars);
      attempt = runner.run(source, json_form);
    }
    timed_out = watchdog.disarm(ticket);
    // A termination requested too late to stop the program must not hit the next one.
    if (timed_out || pooled->heap_exhausted) isolate->CancelTerminateExecution();
    if (!context.IsEmpty()) context->DetachGlobal();
    isolate->ContextDisposedNotification();
  }

  const bool exhausted = pooled->heap_exhausted;
  pool.release(std::move(pooled), !exhausted);
  if (exhausted) return Error::invalid_input(std::string(kOutOfMemoryText));
  switch (attempt.kind) {
    case Attempt::Kind::value:
      return std::move(attempt.text);
    case Attempt::Kind::error:
      return Error::invalid_input(std::move(attempt.text));
    case Attempt::Kind::terminated:
      break;
  }
  if (timed_out) return Error::invalid_input(std::string(kTimedOutText));
  return Error::internal("JavaScript evaluation stopped without a reason");
}

}  // namespace utask::values::js

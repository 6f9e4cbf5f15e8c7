#pragma once
// JavaScript evaluation for template variables (engine.md §7.6), on V8.
//
// A program is evaluated in a fresh global context (only the standard library is defined, so
// nothing leaks between evaluations) and yields its completion value: the value of the last
// expression statement, as `eval` would return it (`2 + 2;` gives 4). The original ran
// programs in an ES5 interpreter; V8 runs every ES5 program it accepted, and more.
//
// Evaluations run in worker processes (worker_pool.h), forked on demand and reused, each
// with one V8 isolate (a V8 heap); contexts are cheap and made per evaluation. Every
// evaluation is bounded:
//   - time: a watchdog terminates the script at the deadline (infinite loops, catastrophic
//     regular expressions); termination is only noticed by JS code, so a worker stuck in one
//     call of a built-in (`new Array(1e8).fill(0)`) is killed a grace period later;
//   - memory: each isolate's heap and its array buffers are capped; a script that reaches the
//     cap is terminated, and its isolate is thrown away rather than reused;
//   - stack: deep recursion raises a RangeError;
//   - crashes: V8 aborts its process on some oversized allocations (`s.split('')` of a
//     2^28-character string); that costs a worker, which is replaced.
// Nothing a program does can hang or crash the calling process. WebAssembly is not exposed
// (its memories would escape the caps), Atomics.wait is refused.
//
// Known differences with the original's interpreter: src/values/js/README.md.
//
// Thread safety: evaluate() may be called from any number of threads at once; at most
// `max_workers` evaluations run in parallel, the others wait for a free worker.
//
// V8 stays behind this header: only src/values/js/*.cc include it.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "model/error.h"
#include "model/json_fwd.h"

namespace utask::values::js {

struct JsEngineOptions {
  size_t max_workers = 4;                    // evaluations that run at once (one process each)
  size_t heap_limit_bytes = 64 << 20;        // old-generation cap of each isolate
  size_t array_buffer_limit_bytes = 64 << 20;  // typed arrays, outside the heap
};

class JsEngine {
 public:
  explicit JsEngine(JsEngineOptions options = {});
  ~JsEngine();
  JsEngine(const JsEngine&) = delete;
  JsEngine& operator=(const JsEngine&) = delete;

  // The process-wide engine with default options. Never destroyed: its workers exit when the
  // process does (their socket closes).
  static JsEngine& shared();

  // Evaluates `source` (UTF-8) within `timeout` (a non-positive timeout expires at once) and
  // returns its completion value converted as JS's String() does: "4",
  // "0.30000000000000004", "[object Object]", "1,2,x", "undefined", "null", "true". This is
  // what `eval` yields in the original.
  // Errors, all with code invalid_input (the program is at fault), carry the texts the
  // original gave where it had one:
  //   - an uncaught exception: the thrown value as a string ("Error: boom", "42"), the
  //     commonest V8 texts worded as the original's (error_text.h:
  //     "ReferenceError: 'foo' is not defined");
  //   - a syntax error: "(anonymous): Line <line>:<column> <message>";
  //   - the deadline: "Recovered from unsafe JS eval: Timed out variable evaluation";
  //   - the memory cap: "Recovered from unsafe JS eval: Memory limit exceeded in variable
  //     evaluation"; a source or a result too large for the cap gives a similar message;
  //   - a worker that died: "Recovered from unsafe JS eval: the JavaScript engine stopped
  //     (signal 5: Trace/breakpoint trap)".
  // A worker or an isolate that cannot be created gives an internal error.
  Result<std::string> evaluate(std::string_view source, std::chrono::nanoseconds timeout);

  // Same, but returns the completion value as JSON, by JSON.stringify's rules (undefined,
  // functions and symbols give null; a cycle or a BigInt is an error, as in JS).
  Result<Json> evaluate_json(std::string_view source, std::chrono::nanoseconds timeout);

  // For tests and metrics: worker processes started since construction, and alive now.
  size_t workers_started() const;
  size_t workers_alive() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace utask::values::js

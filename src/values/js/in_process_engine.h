#pragma once
// The engine proper: evaluation on V8 isolates of the calling process, with the semantics and
// bounds described in js_engine.h. It runs inside each worker process (worker_pool.h), or
// directly in the caller's process when JsEngineOptions::worker_processes is off.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "model/error.h"
#include "values/js/js_engine.h"

namespace utask::values::js {

inline constexpr std::string_view kTimedOutText = "Recovered from unsafe JS eval: Timed out variable evaluation";
inline constexpr std::string_view kOutOfMemoryText =
    "Recovered from unsafe JS eval: Memory limit exceeded in variable evaluation";

class InProcessEngine {
 public:
  explicit InProcessEngine(const JsEngineOptions& options);
  ~InProcessEngine();
  InProcessEngine(const InProcessEngine&) = delete;
  InProcessEngine& operator=(const InProcessEngine&) = delete;

  // The text of the completion value: String(value), or its JSON text when json_form.
  Result<std::string> evaluate(std::string_view source, std::chrono::nanoseconds timeout, bool json_form);

  size_t isolates_created() const;
  size_t isolates_alive() const;

 private:
  class State;
  std::unique_ptr<State> state_;
};

}  // namespace utask::values::js

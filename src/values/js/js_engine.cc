#include "values/js/js_engine.h"

#include "model/json.h"
#include "values/js/worker_pool.h"

namespace utask::values::js {

class JsEngine::Impl {
 public:
  explicit Impl(const JsEngineOptions& options) : workers(options) {}
  WorkerPool workers;
};

JsEngine::JsEngine(JsEngineOptions options) : impl_(std::make_unique<Impl>(options)) {}

JsEngine::~JsEngine() = default;

JsEngine& JsEngine::shared() {
  static JsEngine* engine = new JsEngine();  // never deleted, see the header
  return *engine;
}

Result<std::string> JsEngine::evaluate(std::string_view source, std::chrono::nanoseconds timeout) {
  return impl_->workers.evaluate(source, timeout, false);
}

Result<Json> JsEngine::evaluate_json(std::string_view source, std::chrono::nanoseconds timeout) {
  auto text = impl_->workers.evaluate(source, timeout, true);
  if (!text) return text.error();
  return parse_json(*text);
}

size_t JsEngine::workers_started() const { return impl_->workers.started(); }

size_t JsEngine::workers_alive() const { return impl_->workers.alive(); }

}  // namespace utask::values::js

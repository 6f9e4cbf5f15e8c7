#pragma once
// The service layer's RunStarter (service/resolution_service.h) over a Runtime: how the API
// and the actions start and wake runs without knowing about actors. No CAF here.

#include "actors/runtime.h"
#include "service/resolution_service.h"

namespace utask::actors {

class RuntimeRunStarter final : public service::RunStarter {
 public:
  // Bind the runtime once it has started (services are built before it).
  void bind(Runtime* runtime) { runtime_ = runtime; }

  Result<void> run_now(const std::string& resolution_id) override {
    if (!runtime_) return Error{ErrorCode::transient, "the engine is not running", {}};
    return runtime_->run_now(resolution_id);
  }
  void wake() override {
    if (runtime_) runtime_->wake();
  }

 private:
  Runtime* runtime_ = nullptr;
};

}  // namespace utask::actors

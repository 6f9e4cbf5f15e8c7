#pragma once
// ActionServices (actions/action_services.h) over the Store and the TaskService: how subtask,
// batch and callback reach tasks and callbacks. Plus the call of a callback URL
// (POST /unsecured/callback/:id, actions.md §14), which shares the callback's encoding.
//
// Thread safety: stateless over the context; every method may be called concurrently.

#include <string>
#include <string_view>

#include "actions/action_services.h"
#include "config/callback_config.h"
#include "service/context.h"
#include "service/task_service.h"

namespace utask::service {

class ActionServicesImpl final : public actions::ActionServices {
 public:
  // `context` and `callbacks` must outlive this object.
  ActionServicesImpl(const ServiceContext& context, config::CallbackConfig callbacks)
      : ctx_(context), tasks_(context), callbacks_(std::move(callbacks)) {}

  Result<actions::TaskView> create_child_task(const actions::ChildTaskRequest& request) override;
  Result<actions::BatchWave> create_batch_wave(const actions::BatchWaveRequest& request) override;
  Result<actions::TaskView> get_task(const std::string& task_id) override;
  Result<std::vector<std::string>> batch_task_states(const std::string& batch_id) override;
  Result<void> add_run_max(const std::string& resolution_id, int delta) override;
  Result<actions::CallbackView> create_callback(const actions::NewCallbackRequest& request) override;
  Result<actions::CallbackView> get_callback(const std::string& callback_id) override;
  std::string callback_url(std::string_view callback_id, std::string_view token) const override;
  Result<bool> template_exists(const std::string& template_name) override;

 private:
  const ServiceContext& ctx_;
  TaskService tasks_;
  config::CallbackConfig callbacks_;
};

// POST /unsecured/callback/:id?t=<token> (api.md §5.8), after binding: unknown id or wrong
// token → not_found `failed to load callback from public id: callback not found`; already
// called → conflict `callback has already been resolved`; task not BLOCKED, RUNNING or
// WAITING → conflict `related task is not in a valid state: <STATE>`; a body failing the
// stored schema → invalid_input `unable to validate body: <detail>`. Then the body is stored
// with called = now and the resolution woken in one transaction, and the runner is woken.
Result<void> resolve_callback(const ServiceContext& context, const std::string& callback_id,
                              const std::string& token, const Json& body);

}  // namespace utask::service

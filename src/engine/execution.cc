#include "engine/execution.h"

namespace utask::engine {

actions::ExecutionRequest Execution::request() const {
  actions::ExecutionRequest r;
  r.base_configuration = base_configuration;
  r.configuration = configuration;
  r.context = context;
  r.task_id = task_id;
  r.resolution_id = resolution_id;
  r.step_name = step_name;
  return r;
}

actions::ActionResult resources_unavailable() {
  actions::ActionResult r;
  r.output = "{}";
  r.metadata = "";
  r.error = actions::ActionError{actions::ErrorKind::not_provisioned, "failed to acquire resources"};
  return r;
}

}  // namespace utask::engine

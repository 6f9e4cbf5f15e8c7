#include "actions/script/script_action.h"

#include <filesystem>

#include "actions/script/process_runner.h"
#include "actions/script/script_config.h"
#include "actions/script/script_util.h"
#include "model/go_duration.h"

namespace utask::actions {
namespace {

std::string context_string(const Json& context, const char* key, const std::string& fallback) {
  if (context.is_object()) {
    auto it = context.find(key);
    if (it != context.end() && it->is_string() && !it->get<std::string>().empty()) {
      return it->get<std::string>();
    }
  }
  return fallback;
}

Json metadata_of(const ProcessOutcome& run) {
  return Json{{"exit_code", std::to_string(run.exit_code)},
              {"process_state", run.process_state},
              {"output", run.output},
              {"execution_time", model::format_go_duration(run.elapsed)},
              {"error", run.error}};
}

}  // namespace

Result<void> ScriptAction::validate(const Json& base, const Json& configuration) const {
  auto config = decode_script_config(base, configuration);
  if (!config) return config.error();
  return check_script_config(*config, scripts_path_, true);
}

Json ScriptAction::context_template(std::string_view) const {
  return Json{{"task_id", "{{ .task.task_id }}"}, {"resolution_id", "{{ .task.resolution_id }}"}};
}

std::vector<std::string> ScriptAction::resources(const Json& configuration) const {
  std::string file;
  if (configuration.is_object()) {
    auto it = configuration.find("file_path");
    if (it != configuration.end() && it->is_string()) file = it->get<std::string>();
  }
  return {"fork", "script:" + file};
}

ActionResult ScriptAction::execute(const ExecutionRequest& request) const {
  auto config = decode_script_config(request.base_configuration, request.configuration);
  if (!config) return ActionResult::failure(ErrorKind::client, config.error().message);
  if (auto checked = check_script_config(*config, scripts_path_, false); !checked) {
    return ActionResult::failure(ErrorKind::client, checked.error().message);
  }

  const auto folder = std::filesystem::absolute(scripts_path_);
  ProcessSpec spec;
  spec.program = (folder / config->file_path).lexically_normal().string();
  spec.args = config->argv;
  spec.working_directory = folder.string();
  spec.environment["UTASK_TASK_ID"] = context_string(request.context, "task_id", request.task_id);
  spec.environment["UTASK_RESOLUTION_ID"] =
      context_string(request.context, "resolution_id", request.resolution_id);
  spec.environment["UTASK_STEP_NAME"] = request.step_name;
  for (const auto& [k, v] : config->environment) spec.environment[k] = v;
  spec.stdin_data = config->stdin_data;
  spec.timeout = script_timeout(*config);
  spec.cancelled = request.cancelled;

  const ProcessOutcome run = run_process(spec);
  ActionResult result;
  result.metadata = metadata_of(run);
  if (run.cancelled) {
    result.error = ActionError{ErrorKind::not_provisioned, "interrupted"};
    return result;
  }

  const std::string mode = config->output_mode.empty() ? std::string(scriptutil::kModeManualLastLine)
                                                      : config->output_mode;
  auto output = scriptutil::parse_result(
      scriptutil::select_result(run.output, mode, config->output_manual_delimiters));
  if (run.exit_code != 0) {
    // The exit code decides; an unparsable result is then no extra error.
    if (output) result.output = std::move(*output);
    result.error = scriptutil::exit_code_error(run.exit_code, config->exit_codes_unrecoverable, run.error);
    return result;
  }
  if (!output) {
    result.error = ActionError{ErrorKind::server, output.error().message};
    return result;
  }
  result.output = std::move(*output);
  return result;
}

}  // namespace utask::actions

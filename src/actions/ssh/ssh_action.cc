#include "actions/ssh/ssh_action.h"

#include "actions/script/script_util.h"
#include "actions/ssh/ssh_config.h"
#include "actions/ssh/ssh_script.h"
#include "actions/ssh/ssh_session.h"

namespace utask::actions {
namespace {

// Go's ssh.ExitError text, the cause quoted by exit code errors.
std::string exit_cause(const SshSessionOutcome& run) {
  std::string text = "Process exited with status " + std::to_string(run.exit_code);
  if (!run.exit_signal.empty()) text += " from signal " + run.exit_signal;
  if (!run.exit_msg.empty()) text += ". Reason: " + run.exit_msg;
  return text;
}

// A private key text at all: its parsing proper happens at authentication.
bool looks_like_private_key(const std::string& key) {
  return key.find("-----BEGIN ") != std::string::npos && key.find("PRIVATE KEY-----") != std::string::npos;
}

}  // namespace

Result<void> SshAction::validate(const Json& base, const Json& configuration) const {
  auto config = decode_ssh_config(base, configuration);
  if (!config) return config.error();
  return check_ssh_config(*config, true);
}

std::vector<std::string> SshAction::resources(const Json& configuration) const {
  std::vector<std::string> out = {"socket"};
  auto config = decode_ssh_config(nullptr, configuration);
  if (!config) return out;
  out.push_back("url:" + config->target);
  for (const auto& hop : config->hops) out.push_back("url:" + hop);
  return out;
}

ActionResult SshAction::execute(const ExecutionRequest& request) const {
  auto config = decode_ssh_config(request.base_configuration, request.configuration);
  if (!config) return ActionResult::failure(ErrorKind::client, config.error().message);
  if (auto checked = check_ssh_config(*config, false); !checked) {
    return ActionResult::failure(ErrorKind::client, checked.error().message);
  }
  if (!looks_like_private_key(config->ssh_key)) {
    return ActionResult::failure(ErrorKind::client, "ssh plugin: private key: ssh: no key found");
  }
  const std::string mode = ssh_output_mode(*config);
  const SshInvocation invocation =
      ssh_invocation(config->target, config->hops, ssh_script_text(config->script, mode, config->result));
  auto address = split_ssh_address(invocation.dial);
  if (!address) return ActionResult::failure(ErrorKind::client, "ssh plugin: host port: " + address.error().message);

  SshSessionSpec spec;
  spec.host = address->host;
  spec.port = address->port;
  spec.user = config->user;
  spec.private_key = config->ssh_key;
  spec.passphrase = config->ssh_key_passphrase;
  spec.host_key = config->host_key;
  spec.command = invocation.command;
  spec.stdin_data = invocation.stdin_data;
  spec.connect_timeout = connect_timeout_;
  spec.session_timeout = ssh_timeout(*config);
  spec.cancelled = request.cancelled;
  const SshSessionOutcome run = run_ssh_session(spec);

  switch (run.failure) {
    case SshFailure::none: break;
    case SshFailure::private_key: return ActionResult::failure(ErrorKind::client, run.error);
    case SshFailure::cancelled: return ActionResult::failure(ErrorKind::not_provisioned, run.error);
    case SshFailure::connection:
    case SshFailure::timeout: return ActionResult::failure(ErrorKind::server, run.error);
  }

  ActionResult result;
  result.metadata = Json{{"output", run.output},
                         {"exit_code", std::to_string(run.exit_code)},
                         {"exit_signal", run.exit_signal},
                         {"exit_msg", run.exit_msg}};
  auto output = scriptutil::parse_result(scriptutil::select_result(run.output, mode, config->output_manual_delimiters));
  if (run.exit_code != 0) {
    // The exit code decides; an unparsable result is then no extra error.
    if (output) result.output = std::move(*output);
    result.error = scriptutil::exit_code_error(run.exit_code, config->exit_codes_unrecoverable, exit_cause(run));
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

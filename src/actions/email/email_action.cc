#include "actions/email/email_action.h"

#include <ctime>

#include "actions/email/email_config.h"
#include "actions/email/email_message.h"
#include "actions/email/smtp_sender.h"

namespace utask::actions {

Result<void> EmailAction::validate(const Json& base, const Json& configuration) const {
  auto config = decode_email_config(base, configuration);
  if (!config) return config.error();
  return check_email_config(*config, true);
}

std::vector<std::string> EmailAction::resources(const Json& configuration) const {
  std::string host;
  if (configuration.is_object()) {
    auto it = configuration.find("smtp_hostname");
    if (it != configuration.end() && it->is_string()) host = it->get<std::string>();
  }
  return {"socket", "url:" + host};
}

ActionResult EmailAction::execute(const ExecutionRequest& request) const {
  auto config = decode_email_config(request.base_configuration, request.configuration);
  if (!config) return ActionResult::failure(ErrorKind::client, config.error().message);
  if (auto checked = check_email_config(*config, false); !checked) {
    return ActionResult::failure(ErrorKind::client, checked.error().message);
  }

  EmailMessage message{config->from_address, config->from_name, config->to, config->subject, config->body};
  SmtpDelivery delivery;
  delivery.hostname = config->smtp_hostname;
  delivery.port = email_port(*config);
  delivery.username = config->smtp_username;
  delivery.password = config->smtp_password;
  delivery.skip_tls_verify = email_skip_tls_verify(*config);
  delivery.ca_file = options_.ca_file;
  delivery.envelope_from = config->from_address;
  for (const auto& to : config->to) delivery.envelope_to.push_back(envelope_address(to));
  delivery.message = compose_email(message, std::time(nullptr));
  delivery.timeout = options_.timeout;
  delivery.cancelled = request.cancelled;

  const SmtpOutcome sent = send_smtp(delivery);
  if (sent.cancelled) return ActionResult::failure(ErrorKind::not_provisioned, sent.error);
  if (!sent.error.empty()) return ActionResult::failure(ErrorKind::server, "can't send email: " + sent.error);
  ActionResult result;
  result.output = Json{{"from_address", config->from_address},
                       {"to", config->to},
                       {"subject", config->subject},
                       {"body", config->body}};
  if (!config->from_name.empty()) result.output["from_name"] = config->from_name;
  return result;
}

}  // namespace utask::actions

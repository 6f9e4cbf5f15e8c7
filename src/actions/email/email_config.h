#pragma once
// The configuration of `email` (actions.md §12), decoded from base configuration +
// configuration, and its checks. Shared by load-time validation (strings holding "{{" skipped)
// and execution (everything checked on the rendered values).

#include <cstdint>
#include <string>
#include <vector>

#include "model/error.h"
#include "model/json.h"

namespace utask::actions {

struct EmailConfig {
  std::string smtp_username;  // "" = no authentication
  std::string smtp_password;  // secret
  std::string smtp_port;      // uint16 text
  std::string smtp_hostname;
  std::string smtp_skip_tls_verify;  // boolean text, "" = false
  std::string from_address;
  std::string from_name;
  std::vector<std::string> to;
  std::string subject;
  std::string body;
};

Result<EmailConfig> decode_email_config(const Json& base, const Json& configuration);

// Every rule, with the original's messages (`smtp_port is missing`, `can't parse smtp_port
// field "<v>": strconv.ParseUint: parsing "<v>": invalid syntax`, ...); with
// `defer_templates`, strings holding "{{" are skipped.
Result<void> check_email_config(const EmailConfig& config, bool defer_templates);

// REQUIRES: checked config.
uint16_t email_port(const EmailConfig& config);
bool email_skip_tls_verify(const EmailConfig& config);

}  // namespace utask::actions

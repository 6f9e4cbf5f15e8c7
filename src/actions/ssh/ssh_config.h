#pragma once
// The configuration of `ssh` (actions.md §9), decoded from base configuration + configuration,
// and its checks. Shared by load-time validation (strings holding "{{" skipped) and execution
// (everything checked on the rendered values).

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "model/error.h"
#include "model/json.h"

namespace utask::actions {

struct SshConfig {
  std::string user;
  std::string target;             // host or host:port
  std::vector<std::string> hops;  // bastions, first one dialled
  std::string script;
  std::string output_mode;  // "" = auto-result
  std::map<std::string, std::string> result;
  std::vector<std::string> output_manual_delimiters;
  std::string ssh_key;  // secret
  std::string ssh_key_passphrase;  // secret
  std::vector<std::string> exit_codes_unrecoverable;
  std::string timeout;  // Go duration text; "" = 5m
  // Ours, not the original's: the expected key of the host dialled (SHA256:<fingerprint> or
  // "<type> <base64>"); "" accepts any host key, as the original does.
  std::string host_key;
};

inline constexpr std::chrono::minutes kDefaultSshTimeout{5};
inline constexpr size_t kMaxSshHops = 10;

// Decoding errors use the original's texts (`failed to unmarshal configuration: json: cannot
// unmarshal number into Go struct field Config.user of type string`).
Result<SshConfig> decode_ssh_config(const Json& base, const Json& configuration);

// Every rule of the configuration, with the original's messages; with `defer_templates`,
// strings holding "{{" are skipped (they are checked again once rendered).
Result<void> check_ssh_config(const SshConfig& config, bool defer_templates);

// The output mode in force (auto-result when unset).
std::string ssh_output_mode(const SshConfig& config);
// The session timeout: kDefaultSshTimeout when empty. REQUIRES: checked config.
std::chrono::nanoseconds ssh_timeout(const SshConfig& config);

}  // namespace utask::actions

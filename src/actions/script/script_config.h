#pragma once
// The configuration of `script` (actions.md §11), decoded from base configuration +
// configuration, and its checks. Shared by load-time validation (deferred strings skipped)
// and execution (everything checked on the rendered values).

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "model/error.h"
#include "model/json.h"

namespace utask::actions {

struct ScriptConfig {
  std::string file_path;
  std::vector<std::string> argv;
  std::map<std::string, std::string> environment;  // non-string values as text
  std::string stdin_data;
  std::string timeout;      // Go duration text; "" = 2m
  std::string output_mode;  // "" = manual-lastline
  std::vector<std::string> output_manual_delimiters;
  std::vector<std::string> exit_codes_unrecoverable;
};

inline constexpr std::chrono::minutes kDefaultScriptTimeout{2};

// Decoding errors use the original's texts (`failed to unmarshal configuration: json: cannot
// unmarshal number into Go struct field Config.argv of type string`).
Result<ScriptConfig> decode_script_config(const Json& base, const Json& configuration);

// Every rule of the configuration; with `defer_templates`, strings holding "{{" are skipped
// (they are checked again once rendered). `scripts_path` locates file_path.
Result<void> check_script_config(const ScriptConfig& config, const std::string& scripts_path,
                                 bool defer_templates);

// The timeout to apply: kDefaultScriptTimeout when empty. REQUIRES: checked config.
std::chrono::nanoseconds script_timeout(const ScriptConfig& config);

}  // namespace utask::actions

#include "actions/script/script_config.h"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include <filesystem>

#include "actions/catalog.h"
#include "actions/config_lists.h"
#include "actions/script/script_util.h"
#include "model/go_duration.h"

namespace utask::actions {
namespace {

namespace fs = std::filesystem;

const std::vector<ConfigField> kFields = {
    {"file_path", FieldType::string},   {"argv", FieldType::any},
    {"environment", FieldType::object}, {"stdin", FieldType::string},
    {"timeout", FieldType::string},     {"output_mode", FieldType::string},
    {"output_manual_delimiters", FieldType::any},
    {"exit_codes_unrecoverable", FieldType::any},
};

// The text an environment value stands for: strings as they are, numbers as written,
// booleans true/false, null empty, anything else compact JSON.
std::string env_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return to_json_text(v);
}

bool deferred(const std::string& s, bool defer) { return defer && s.find("{{") != std::string::npos; }

std::vector<std::string> literal_entries(const std::vector<std::string>& values, bool defer) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    if (!deferred(v, defer)) out.push_back(v);
  }
  return out;
}

Result<void> check_file(const std::string& file_path, const std::string& scripts_path) {
  const fs::path relative = fs::path(file_path).lexically_normal();
  if (relative.is_absolute() || relative.empty() || *relative.begin() == "..") {
    return Error::invalid_template("file_path \"" + file_path +
                                   "\" must be a path inside the scripts folder");
  }
  const std::string path = (fs::path(scripts_path) / file_path).string();
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    std::string reason = std::strerror(errno);
    if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
    return Error::invalid_template("can't stat \"" + path + "\": stat " + path + ": " + reason);
  }
  if ((st.st_mode & 0111) == 0 || S_ISDIR(st.st_mode)) {
    return Error::invalid_template(path + " is not executable");
  }
  return {};
}

Result<void> check_timeout(const std::string& timeout) {
  if (timeout.empty()) return {};
  if (timeout[0] == '-') return Error::invalid_template("timeout must be positive");
  auto d = model::parse_go_duration(timeout);
  if (!d) {
    return Error::invalid_template("can't parse timeout field \"" + timeout + "\": " + d.error().message);
  }
  return {};
}

Result<void> check_output_mode(const ScriptConfig& c, bool defer) {
  const std::string mode = c.output_mode.empty() ? std::string(scriptutil::kModeManualLastLine) : c.output_mode;
  if (deferred(mode, defer)) return {};
  if (mode != scriptutil::kModeDisabled && mode != scriptutil::kModeManualDelimiters &&
      mode != scriptutil::kModeManualLastLine) {
    return Error::invalid_template("invalid value \"" + mode +
                                   "\" for output_mode, allowed values are: disabled, "
                                   "manual-delimiters, manual-lastline");
  }
  if (mode != scriptutil::kModeManualDelimiters) {
    if (!c.output_manual_delimiters.empty()) {
      return Error::invalid_template(
          "invalid parameter \"output_manual_delimiters\", output_mode is configured to \"" + mode + "\"");
    }
    return {};
  }
  const auto& d = c.output_manual_delimiters;
  if (d.size() == 2 && (deferred(d[0], defer) || deferred(d[1], defer))) return {};
  return scriptutil::validate_delimiters(d);
}

}  // namespace

Result<ScriptConfig> decode_script_config(const Json& base, const Json& configuration) {
  auto decoded = decode_typed_configuration(base, configuration, kFields);
  if (!decoded) return decoded.error();
  const Json& j = *decoded;
  ScriptConfig c;
  c.file_path = j.value("file_path", "");
  c.stdin_data = j.value("stdin", "");
  c.timeout = j.value("timeout", "");
  c.output_mode = j.value("output_mode", "");
  if (auto it = j.find("environment"); it != j.end() && it->is_object()) {
    for (const auto& [k, v] : it->items()) c.environment[k] = env_text(v);
  }
  auto argv = decode_string_list(j, "argv");
  if (!argv) return argv.error();
  c.argv = std::move(*argv);
  auto delimiters = decode_string_list(j, "output_manual_delimiters");
  if (!delimiters) return delimiters.error();
  c.output_manual_delimiters = std::move(*delimiters);
  auto codes = decode_string_list(j, "exit_codes_unrecoverable");
  if (!codes) return codes.error();
  c.exit_codes_unrecoverable = std::move(*codes);
  return c;
}

Result<void> check_script_config(const ScriptConfig& c, const std::string& scripts_path,
                                 bool defer_templates) {
  if (c.file_path.empty()) return Error::invalid_template("file is missing");
  if (!deferred(c.file_path, defer_templates)) {
    if (auto r = check_file(c.file_path, scripts_path); !r) return r;
  }
  if (!deferred(c.timeout, defer_templates)) {
    if (auto r = check_timeout(c.timeout); !r) return r;
  }
  if (auto r = check_output_mode(c, defer_templates); !r) return r;
  return scriptutil::validate_exit_codes(literal_entries(c.exit_codes_unrecoverable, defer_templates));
}

std::chrono::nanoseconds script_timeout(const ScriptConfig& c) {
  if (c.timeout.empty()) return kDefaultScriptTimeout;
  auto d = model::parse_go_duration(c.timeout);
  return d ? *d : std::chrono::nanoseconds(kDefaultScriptTimeout);
}

}  // namespace utask::actions

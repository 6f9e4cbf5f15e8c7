#include "actions/ssh/ssh_config.h"

#include "actions/catalog.h"
#include "actions/config_lists.h"
#include "actions/script/script_util.h"
#include "actions/ssh/ssh_host_key.h"
#include "model/go_duration.h"

namespace utask::actions {
namespace {

const std::vector<ConfigField> kFields = {
    {"user", FieldType::string},
    {"target", FieldType::string},
    {"hops", FieldType::any},
    {"script", FieldType::string},
    {"output_mode", FieldType::string},
    {"result", FieldType::object},
    {"output_manual_delimiters", FieldType::any},
    {"ssh_key", FieldType::string},
    {"ssh_key_passphrase", FieldType::string},
    {"exit_codes_unrecoverable", FieldType::any},
    {"timeout", FieldType::string},
    {"host_key", FieldType::string},
};

bool deferred(const std::string& s, bool defer) { return defer && s.find("{{") != std::string::npos; }

std::vector<std::string> literal_entries(const std::vector<std::string>& values, bool defer) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    if (!deferred(v, defer)) out.push_back(v);
  }
  return out;
}

Result<void> check_timeout(const std::string& timeout) {
  if (timeout.empty()) return {};
  auto d = model::parse_go_duration(timeout);
  if (!d) {
    return Error::invalid_template("can't parse timeout field \"" + timeout + "\": " + d.error().message);
  }
  if (d->count() <= 0) return Error::invalid_template("timeout must be positive");
  return {};
}

Result<void> check_output_mode(const SshConfig& c, bool defer) {
  const std::string mode = ssh_output_mode(c);
  if (deferred(mode, defer)) return {};
  if (mode != scriptutil::kModeAutoResult && mode != scriptutil::kModeDisabled &&
      mode != scriptutil::kModeManualDelimiters && mode != scriptutil::kModeManualLastLine) {
    return Error::invalid_template("invalid value \"" + mode +
                                   "\" for output_mode, allowed values are: auto-result, disabled, "
                                   "manual-delimiters, manual-lastline");
  }
  if (mode != scriptutil::kModeManualDelimiters && !c.output_manual_delimiters.empty()) {
    return Error::invalid_template(
        "invalid parameter \"output_manual_delimiters\", output_mode is configured to \"" + mode + "\"");
  }
  if (mode != scriptutil::kModeAutoResult && !c.result.empty()) {
    return Error::invalid_template("invalid parameter \"result\", output_mode is configured to \"" + mode + "\"");
  }
  if (mode != scriptutil::kModeManualDelimiters) return {};
  const auto& d = c.output_manual_delimiters;
  if (d.size() == 2 && (deferred(d[0], defer) || deferred(d[1], defer))) return {};
  return scriptutil::validate_delimiters(d);
}

}  // namespace

Result<SshConfig> decode_ssh_config(const Json& base, const Json& configuration) {
  auto decoded = decode_typed_configuration(base, configuration, kFields);
  if (!decoded) return decoded.error();
  const Json& j = *decoded;
  SshConfig c;
  c.user = j.value("user", "");
  c.target = j.value("target", "");
  c.script = j.value("script", "");
  c.output_mode = j.value("output_mode", "");
  c.ssh_key = j.value("ssh_key", "");
  c.ssh_key_passphrase = j.value("ssh_key_passphrase", "");
  c.timeout = j.value("timeout", "");
  c.host_key = j.value("host_key", "");
  if (auto it = j.find("result"); it != j.end() && it->is_object()) {
    for (const auto& [k, v] : it->items()) {
      if (v.is_null()) {
        c.result[k] = "";
      } else if (v.is_string()) {
        c.result[k] = v.get<std::string>();
      } else {
        return Error::invalid_template(std::string("failed to unmarshal configuration: json: cannot unmarshal ") +
                                       go_json_kind(v) + " into Go struct field Config.result of type string");
      }
    }
  }
  for (auto [field, target] : {std::pair{"hops", &c.hops},
                               std::pair{"output_manual_delimiters", &c.output_manual_delimiters},
                               std::pair{"exit_codes_unrecoverable", &c.exit_codes_unrecoverable}}) {
    auto list = decode_string_list(j, field);
    if (!list) return list.error();
    *target = std::move(*list);
  }
  return c;
}

Result<void> check_ssh_config(const SshConfig& c, bool defer_templates) {
  if (c.user.empty()) return Error::invalid_template("missing ssh username");
  if (c.target.empty()) return Error::invalid_template("missing ssh target");
  if (c.ssh_key.empty()) return Error::invalid_template("missing ssh key");
  if (c.hops.size() > kMaxSshHops) return Error::invalid_template("ssh too many hops (max 10)");
  if (!deferred(c.timeout, defer_templates)) {
    if (auto r = check_timeout(c.timeout); !r) return r;
  }
  if (auto r = check_output_mode(c, defer_templates); !r) return r;
  if (auto r = scriptutil::validate_exit_codes(literal_entries(c.exit_codes_unrecoverable, defer_templates)); !r) {
    return r;
  }
  if (!c.host_key.empty() && !deferred(c.host_key, defer_templates)) {
    if (auto key = ExpectedHostKey::parse(c.host_key); !key) return key.error();
  }
  return {};
}

std::string ssh_output_mode(const SshConfig& c) {
  return c.output_mode.empty() ? std::string(scriptutil::kModeAutoResult) : c.output_mode;
}

std::chrono::nanoseconds ssh_timeout(const SshConfig& c) {
  if (c.timeout.empty()) return kDefaultSshTimeout;
  auto d = model::parse_go_duration(c.timeout);
  return d ? *d : std::chrono::nanoseconds(kDefaultSshTimeout);
}

}  // namespace utask::actions

#include "config/configuration.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>

#include "model/go_duration.h"
#include "config/redact.h"
#include "config/template_items.h"

namespace utask::config {
namespace {

std::string trim(std::string s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::vector<std::string> values_of(const std::vector<Item>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.value);
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "(none)" : out;
}

const char* source_name(CallbackConfig::Source s) {
  switch (s) {
    case CallbackConfig::Source::item: return "callback-config item";
    case CallbackConfig::Source::utask_base_url: return "utask-cfg base_url";
    case CallbackConfig::Source::listen_address: return "derived from the listen address";
  }
  return "";
}

}  // namespace

Result<std::string> configuration_from(const Environment& env) {
  auto v = lookup(env, "CONFIGURATION_FROM");
  if (!v || trim(*v).empty())
    return Error::invalid_config(std::string("CONFIGURATION_FROM is not set: ") + kConfigurationFromHelp,
                                 "CONFIGURATION_FROM");
  return *v;
}

Result<Configuration> load_configuration(std::string_view spec, const Environment& env,
                                         const Settings& settings) {
  auto store = Configstore::from_spec(spec, env);
  if (!store) return store.error();
  return load_configuration(std::move(*store), settings);
}

Result<Configuration> load_configuration(Configstore store, const Settings& settings) {
  Configuration c;
  auto& w = c.warnings;

  auto cfg_item = store.read(kUtaskCfgItem, &w);
  if (!cfg_item)
    return Error::invalid_config(
        "configuration item \"utask-cfg\" not found: it is required (a JSON object with at least "
        "admin_usernames or admin_groups)",
        kUtaskCfgItem);
  auto utask = parse_utask_config(cfg_item->value, &w);
  if (!utask) return utask.error();
  c.utask = std::move(*utask);

  if (auto db = store.read(c.utask.database_config.config_name, &w)) c.database = trim(db->value);

  auto ring = storage_key_ring(values_of(store.items(kEncryptionKeyItem)));
  if (!ring) return ring.error();
  c.storage_keys = std::move(*ring);

  if (auto item = store.read(kBasicAuthItem, &w)) {
    auto auth = parse_basic_auth(item->value);
    if (!auth) return auth.error();
    c.basic_auth = std::move(*auth);
  }
  if (auto item = store.read(kGroupsAuthItem, &w)) {
    auto groups = parse_groups_auth(item->value);
    if (!groups) return groups.error();
    c.groups_auth = std::move(*groups);
  }

  std::optional<std::string> callback_value;
  if (auto item = store.read(kCallbackConfigItem, &w)) callback_value = item->value;
  auto callback = resolve_callback_config(callback_value, c.utask.base_url, settings.listen_address,
                                          settings.http_port);
  if (!callback) return callback.error();
  c.callback = std::move(*callback);

  auto creds = resolve_webhook_credentials(c.utask.notify,
                                           values_of(store.items("notify-webhook-credentials")));
  if (!creds) return creds.error();

  c.template_items = template_visible_items(store, c.utask.concealed_secrets, &w);
  // An item read twice (e.g. utask-cfg, then for templates) reports its tie once.
  std::vector<std::string> unique;
  for (auto& msg : w)
    if (std::find(unique.begin(), unique.end(), msg) == unique.end()) unique.push_back(std::move(msg));
  w = std::move(unique);
  for (const auto& msg : w) spdlog::warn("{}", msg);
  c.store = std::move(store);
  return c;
}

std::string Configuration::redacted_summary() const {
  std::ostringstream out;
  out << "configuration:";
  for (const auto& p : store.providers())
    out << "\n  provider " << p.name << ": " << p.items.size() << " item(s)";
  out << "\n  application_name: " << utask.application_name
      << "\n  admin_usernames: " << joined(utask.admin_usernames)
      << "\n  admin_groups: " << joined(utask.admin_groups)
      << "\n  database: " << (database.empty() ? "(no item)" : redact_connection_string(database))
      << " [item " << utask.database_config.config_name << ", max_open_conns "
      << utask.database_config.max_open_conns << ", max_idle_conns "
      << utask.database_config.max_idle_conns << ", conn_max_lifetime "
      << utask.database_config.conn_max_lifetime << "s]";
  if (storage_keys) {
    out << "\n  storage keys: " << storage_keys->keys.size() << " (current: "
        << to_string(storage_keys->current().cipher) << ", timestamp "
        << storage_keys->current().timestamp << ")";
  } else {
    out << "\n  storage keys: none configured";
  }
  std::vector<std::string> users;
  for (const auto& [user, _] : basic_auth) users.push_back(user);
  out << "\n  basic-auth users: " << (users.empty() ? "(off)" : joined(users));
  std::vector<std::string> groups;
  for (const auto& [group, members] : groups_auth)
    groups.push_back(group + " (" + std::to_string(members.size()) + ")");
  out << "\n  groups-auth: " << joined(groups)
      << "\n  callback base: " << callback.base_url << callback.path_prefix << " ["
      << source_name(callback.source) << "]";
  std::vector<std::string> backends;
  for (const auto& [name, b] : utask.notify.backends) backends.push_back(name + " (" + to_string(b.type) + ")");
  out << "\n  notify backends: " << joined(backends)
      << "\n  completed_task_expiration: " << model::format_go_duration(utask.completed_task_expiration)
      << "\n  resource_acquire_timeout: " << model::format_go_duration(utask.resource_acquire_timeout)
      << "\n  max_concurrent_executions: " << utask.max_concurrent_executions
      << " (from crashed: " << utask.max_concurrent_executions_from_crashed << ", delay "
      << model::format_go_duration(utask.delay_between_crashed_tasks_resolution) << ")";
  std::vector<std::string> limits;
  for (const auto& [name, n] : utask.resource_limits) limits.push_back(name + "=" + std::to_string(n));
  out << "\n  resource_limits: " << joined(limits)
      << "\n  steps_compression_algorithm: " << utask.steps_compression_algorithm
      << "\n  max_body_bytes: " << utask.max_body_bytes
      << "\n  concealed from templates: " << joined(utask.concealed_secrets);
  std::vector<std::string> visible;
  for (const auto& [key, _] : template_items) visible.push_back(key);
  out << "\n  visible to templates: " << joined(visible);
  return out.str();
}

}  // namespace utask::config

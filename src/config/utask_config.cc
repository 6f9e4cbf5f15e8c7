#include "config/utask_config.h"

#include <algorithm>

#include "config/fields.h"
#include "config/item.h"
#include "config/notify_parse.h"

namespace utask::config {
namespace {

using detail::fail;
using detail::Fields;

DatabaseConfig parse_database_config(const Fields& f) {
  DatabaseConfig d;
  // Negative values fall back to the defaults (original behaviour).
  auto non_negative_or = [&](const char* name, int64_t def) {
    int64_t v = f.integer(name, def);
    return v < 0 ? def : v;
  };
  d.max_open_conns = non_negative_or("max_open_conns", d.max_open_conns);
  d.max_idle_conns = non_negative_or("max_idle_conns", d.max_idle_conns);
  d.conn_max_lifetime = non_negative_or("conn_max_lifetime", d.conn_max_lifetime);
  std::string name = f.string("config_name");
  if (!name.empty()) d.config_name = normalize_key(name);
  return d;
}

std::map<std::string, int64_t> parse_resource_limits(const Fields& f) {
  std::map<std::string, int64_t> out;
  for (auto it = f.json().begin(); it != f.json().end(); ++it) {
    int64_t v = f.integer(it.key(), 0);
    if (v < 0) fail(f.path(it.key()), "a resource limit must be a non-negative integer, got " + std::to_string(v));
    out[it.key()] = v;
  }
  return out;
}

int64_t clamp_body_bytes(int64_t v) {
  if (v == 0) return kDefaultMaxBodyBytes;
  return std::clamp(v, kMinMaxBodyBytes, kMaxMaxBodyBytes);
}

UtaskConfig parse_fields(const Fields& f, std::vector<std::string>& warnings) {
  UtaskConfig c;
  c.application_name = f.string("application_name");
  c.admin_usernames = f.strings("admin_usernames");
  c.admin_groups = f.strings("admin_groups");
  c.completed_task_expiration = f.duration("completed_task_expiration", c.completed_task_expiration);
  c.notify = detail::parse_notify(f, warnings);
  c.database_config = parse_database_config(f.object("database_config"));
  for (const auto& key : f.strings("concealed_secrets")) c.concealed_secrets.push_back(normalize_key(key));
  c.resource_limits = parse_resource_limits(f.object("resource_limits"));
  c.resource_acquire_timeout = f.duration("resource_acquire_timeout", c.resource_acquire_timeout);

  c.max_concurrent_executions = f.integer("max_concurrent_executions", c.max_concurrent_executions);
  if (c.max_concurrent_executions < 0) c.max_concurrent_executions = kUnlimited;
  c.max_concurrent_executions_from_crashed =
      f.integer("max_concurrent_executions_from_crashed", c.max_concurrent_executions_from_crashed);
  if (c.max_concurrent_executions_from_crashed < 0) c.max_concurrent_executions_from_crashed = kUnlimited;
  if (c.max_concurrent_executions_from_crashed > c.max_concurrent_executions)
    fail("max_concurrent_executions_from_crashed",
         "max_concurrent_executions_from_crashed can't be greater than max_concurrent_executions (" +
             std::to_string(c.max_concurrent_executions_from_crashed) + " > " +
             std::to_string(c.max_concurrent_executions) + "; -1 means unlimited)");

  c.delay_between_crashed_tasks_resolution =
      f.duration("delay_between_crashed_tasks_resolution", c.delay_between_crashed_tasks_resolution,
                 /*seconds_allowed=*/true);
  c.base_url = f.string("base_url");
  c.dashboard_path_prefix = f.string("dashboard_path_prefix");
  c.dashboard_api_path_prefix = f.string("dashboard_api_path_prefix");
  c.dashboard_sentry_dsn = f.string("dashboard_sentry_dsn");
  c.template_functions_allow_env = f.boolean("template_functions_allow_env", false);

  std::string alg = f.string("steps_compression_algorithm");
  if (alg.empty()) alg = "noop";
  if (alg != "noop" && alg != "gzip")
    fail("steps_compression_algorithm", alg + " compression algorithm not found (known: noop, gzip)");
  c.steps_compression_algorithm = alg;

  c.max_body_bytes = clamp_body_bytes(f.object("server_options").integer("max_body_bytes", 0));

  if (c.admin_usernames.empty() && c.admin_groups.empty())
    fail("admin_usernames", "Admin user list can't be empty (set admin_usernames or admin_groups)");
  return c;
}

}  // namespace

bool UtaskConfig::is_admin_user(std::string_view user) const {
  return std::find(admin_usernames.begin(), admin_usernames.end(), user) != admin_usernames.end();
}

Result<UtaskConfig> parse_utask_config(std::string_view value, std::vector<std::string>* warnings) {
  auto json = detail::parse_item_json(kUtaskCfgItem, value);
  if (!json) return json.error();
  std::vector<std::string> found;
  try {
    if (!json->is_object())
      return detail::item_error(kUtaskCfgItem, "",
                                std::string("expected a JSON object, got ") + detail::type_name(*json));
    UtaskConfig c = parse_fields(Fields(*json, ""), found);
    if (warnings != nullptr) warnings->insert(warnings->end(), found.begin(), found.end());
    return c;
  } catch (const detail::FieldError& e) {
    return detail::item_error(kUtaskCfgItem, e);
  }
}

}  // namespace utask::config

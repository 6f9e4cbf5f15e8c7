#pragma once
// The `utask-cfg` item: global settings (spec config.md §5). Field names are matched exactly,
// then case-insensitively; unknown fields (including the removed resolver_usernames,
// resolver_groups, editor_path_prefix, concurrency_rate_limit) are ignored.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/notify_config.h"
#include "model/error.h"

namespace utask::config {

inline constexpr const char* kUtaskCfgItem = "utask-cfg";
// Marks an unlimited max_concurrent_executions(_from_crashed); any negative value reads as this.
inline constexpr int64_t kUnlimited = -1;
inline constexpr int64_t kDefaultMaxBodyBytes = 262144;
inline constexpr int64_t kMinMaxBodyBytes = 1024;
inline constexpr int64_t kMaxMaxBodyBytes = 10485760;

struct DatabaseConfig {
  int64_t max_open_conns = 50;     // 0 = unlimited
  int64_t max_idle_conns = 30;     // 0 = none kept idle
  int64_t conn_max_lifetime = 60;  // seconds, 0 = unlimited
  std::string config_name = "database";  // normalised key of the connection-string item
};

struct UtaskConfig {
  std::string application_name;
  std::vector<std::string> admin_usernames;
  std::vector<std::string> admin_groups;
  std::chrono::nanoseconds completed_task_expiration{std::chrono::hours(720)};
  NotifyConfig notify;
  DatabaseConfig database_config;
  std::vector<std::string> concealed_secrets;      // normalised keys
  std::map<std::string, int64_t> resource_limits;  // >= 0; 0 marks a dead resource
  std::chrono::nanoseconds resource_acquire_timeout{std::chrono::minutes(1)};
  int64_t max_concurrent_executions = 100;             // 0 stops processing, kUnlimited
  int64_t max_concurrent_executions_from_crashed = 20;  // kUnlimited allowed
  std::chrono::nanoseconds delay_between_crashed_tasks_resolution{std::chrono::seconds(1)};
  std::string base_url;
  std::string dashboard_path_prefix;
  std::string dashboard_api_path_prefix;
  std::string dashboard_sentry_dsn;
  std::string steps_compression_algorithm = "noop";  // "noop" or "gzip"; "" reads as noop
  int64_t max_body_bytes = kDefaultMaxBodyBytes;     // server_options.max_body_bytes, clamped
  // Our addition: sprig's env/expandenv may read the server's environment only when true.
  bool template_functions_allow_env = false;

  bool is_admin_user(std::string_view user) const;
};

// Parses and validates the item's value. Errors name the field, e.g.
// `configuration item "utask-cfg": field "completed_task_expiration": invalid duration "3 days": ...`.
// Rules beyond types: durations non-negative; resource limits non-negative;
// max_concurrent_executions_from_crashed <= max_concurrent_executions (negatives read as -1);
// a known compression algorithm; at least one admin username or group.
// `warnings` (optional) receives non-fatal findings.
Result<UtaskConfig> parse_utask_config(std::string_view value,
                                       std::vector<std::string>* warnings = nullptr);

}  // namespace utask::config

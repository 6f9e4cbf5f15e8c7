#pragma once
// Everything the server needs from its configuration, parsed and validated in one go
// (spec config.md §2 steps 2–3 and 8, §4, §5, §7). A broken configuration yields one error
// naming the item and the field; nothing secret (passwords, keys, the database password) is
// ever put in an error, a warning or the summary.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/auth_items.h"
#include "config/callback_config.h"
#include "config/configstore.h"
#include "config/encryption_keys.h"
#include "config/environment.h"
#include "config/settings.h"
#include "config/utask_config.h"
#include "model/error.h"

namespace utask::config {

struct Configuration {
  UtaskConfig utask;            // utask.notify holds the notification settings
  std::string database;         // connection string of the database item; empty = no item
  std::optional<KeyRing> storage_keys;  // nullopt: no `storage` key configured (one is generated later)
  BasicAuth basic_auth;         // empty = basic auth off
  GroupsAuth groups_auth;
  CallbackConfig callback;
  std::map<std::string, std::string> template_items;  // raw values; see template_items.h
  std::vector<std::string> warnings;  // non-fatal findings, already logged
  Configstore store;            // for later lookups (plugins, actions reading credentials)

  // Multi-line description safe to log: names, counts, sources; never a secret.
  std::string redacted_summary() const;
};

// CONFIGURATION_FROM from `env`, or an error saying how to set it.
Result<std::string> configuration_from(const Environment& env);

// Builds the configstore from `configuration_from` (see Configstore::from_spec) and loads.
Result<Configuration> load_configuration(std::string_view configuration_from, const Environment& env,
                                         const Settings& settings);

// Loads from an existing store, e.g. after init plugins added providers. Reads utask-cfg
// (required), the database item named by database_config.config_name, every encryption-key
// item, basic-auth, groups-auth, callback-config (falling back to utask-cfg.base_url, then to
// http://<listen address>:<port>), notify-webhook-credentials, and the template-visible items.
// Warnings (priority ties, unknown notify backends) are logged and kept in `warnings`.
Result<Configuration> load_configuration(Configstore store, const Settings& settings);

}  // namespace utask::config

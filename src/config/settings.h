#pragma once
// Process settings: what the command line (or its environment twin) says. Configuration
// *items* (utask-cfg, database, encryption-key, ...) live in config/configuration.h.

#include <cstdint>
#include <string>
#include <vector>

namespace utask::config {

enum class LogFormat { text, json };

struct Settings {
  std::string init_path = "./init";            // --init-path, INIT
  std::string plugins_path = "./plugins";      // --plugins-path, PLUGINS
  std::vector<std::string> templates_paths{"./templates"};  // --templates-path, TEMPLATES (a:b)
  std::string functions_path = "./functions";  // --functions-path, FUNCTIONS
  std::string scripts_path = "./scripts";      // --scripts-path, SCRIPTS
  std::string region = "default";              // --region, REGION
  uint32_t http_port = 8081;                   // --http-port, SERVER_PORT
  std::string listen_address = "127.0.0.1";    // --listen-address, LISTEN_ADDRESS
  std::string db;                              // --db, UTASK_DB; empty = `database` item or SQLite
  bool debug = false;                          // --debug, DEBUG
  bool maintenance_mode = false;               // --maintenance-mode, MAINTENANCE_MODE
  LogFormat log_format = LogFormat::text;      // --log-format, LOGS_FORMAT
  // How long a resolution stays leased by an instance that stopped heartbeating (its crash
  // is noticed after at most this); heartbeats come every third of it.
  uint32_t lease_ttl_seconds = 60;             // --lease-ttl, LEASE_TTL
};

// The SQLite file used when neither --db nor a `database` item names a store.
inline constexpr const char* kDefaultSqliteFile = "utask.db";

}  // namespace utask::config

// `utask migrate [--db URL]`: brings the database the server would open to this binary's schema
// version and prints the version before and after. The database is resolved as `utask serve`
// does: --db / UTASK_DB, else the `database` item when CONFIGURATION_FROM is set, else
// sqlite:utask.db. A database newer than the binary is refused with the store's message.
// Migrating encrypts nothing, so it needs no storage key and never creates a key file.

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "cli/command.h"
#include "cli/store_setup.h"
#include "config/configuration.h"
#include "config/redact.h"
#include "persistence/store.h"

namespace utask::cli {
namespace {

struct Target {
  std::string url;
  config::DatabaseConfig database;
};

// CONFIGURATION_FROM is optional here: --db alone is enough to migrate.
Result<Target> migration_target(const config::Settings& settings) {
  const auto env = config::process_environment();
  Target target;
  if (config::lookup(env, "CONFIGURATION_FROM") && settings.db.empty()) {
    auto from = config::configuration_from(env);
    if (!from) return from.error();
    auto cfg = config::load_configuration(*from, env, settings);
    if (!cfg) return cfg.error();
    target.database = cfg->utask.database_config;
    target.url = store_location(settings, cfg->database);
  } else {
    target.url = store_location(settings, "");
  }
  return target;
}

int migrate(const config::Settings& settings) {
  auto target = migration_target(settings);
  if (!target) {
    spdlog::error("configuration: {}", target.error().message);
    return 1;
  }
  auto ring = ephemeral_key_ring();
  if (!ring) {
    spdlog::error("{}", ring.error().message);
    return 1;
  }
  const auto options =
      store_options(target->url, *ring, target->database, persistence::MigrationMode::apply);
  const auto shown = config::redact_connection_string(target->url);
  auto before = persistence::stored_schema_version(options);
  if (!before) {
    spdlog::error("store {}: {}", shown, before.error().message);
    return 1;
  }
  fmt::print("database: {}\nschema version before: {}\n", shown, *before);
  std::fflush(stdout);
  auto store = persistence::open_store(options);
  if (!store) {
    spdlog::error("store {}: {}", shown, store.error().message);
    return 1;
  }
  auto after = (*store)->schema_version();
  if (!after) {
    spdlog::error("store {}: {}", shown, after.error().message);
    return 1;
  }
  fmt::print("schema version after: {} (this binary: {})\n", *after,
             persistence::latest_schema_version());
  return 0;
}

}  // namespace

void add_migrate_command(CLI::App& app, CommandLine& cl) {
  auto* cmd = app.add_subcommand(
      "migrate", "Apply the pending schema migrations to the store (--db, else the `database` "
                 "item, else ./utask.db) and print the schema version before and after");
  cmd->callback([&cl] { cl.exit_code = migrate(cl.settings); });
}

}  // namespace utask::cli

// `utask serve` (and `utask` alone): the server's start-up sequence (config.md §2). Today it
// loads and checks everything a server needs — configuration, functions, templates — reports
// what it found, and waits for SIGINT/SIGTERM; the store, the engine and the HTTP API join this
// sequence as their layers land.

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <pthread.h>

#include "cli/command.h"
#include "cli/template_library.h"
#include "config/configuration.h"
#include "config/redact.h"

namespace utask::cli {
namespace {

// Which store the server uses: --db, else the `database` item, else the embedded SQLite file.
std::string store_location(const config::Settings& settings, const config::Configuration& cfg) {
  if (!settings.db.empty()) return settings.db;
  if (!cfg.database.empty()) return cfg.database;
  return std::string("sqlite:") + config::kDefaultSqliteFile;
}

int wait_for_stop_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  int sig = 0;
  sigwait(&set, &sig);
  spdlog::info("received {}, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, CommandLine& cl) {
  auto* cmd = app.add_subcommand("serve", "Start the server (the default command)");
  cmd->callback([&cl] { cl.exit_code = serve(cl.settings); });
}

int serve(const config::Settings& settings) {
  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only sigwait() sees them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  const auto env = config::process_environment();
  auto from = config::configuration_from(env);
  if (!from) {
    spdlog::error("configuration: {}", from.error().message);
    return 1;
  }
  auto cfg = config::load_configuration(*from, env, settings);
  if (!cfg) {
    spdlog::error("configuration: {}", cfg.error().message);
    return 1;
  }
  spdlog::info("configuration loaded:\n{}", cfg->redacted_summary());

  auto library = load_template_library(settings);
  for (const auto& line : library.problems) {
    if (line.warning) spdlog::warn("{}", line.text);
    else spdlog::error("{}", line.text);
  }
  if (library.error_count > 0) {
    spdlog::error("{} invalid template(s) or function(s): not starting", library.error_count);
    return 1;
  }
  spdlog::info("{} template(s) and {} function(s) loaded from {} and {}", library.templates.size(),
               library.registry.functions().size(), fmt::join(settings.templates_paths, ":"),
               settings.functions_path);
  spdlog::info("store: {}", config::redact_connection_string(store_location(settings, *cfg)));
  if (settings.maintenance_mode) spdlog::warn("maintenance mode: writes will be refused");
  spdlog::info("ready (region {}); the HTTP API on {}:{} comes with the API layer", settings.region,
               settings.listen_address, settings.http_port);
  return wait_for_stop_signal();
}

}  // namespace utask::cli

#include "cli/cli.h"

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/logging.h"

namespace utask::cli {
namespace {

// Global flags: each has the environment twin of the original (no prefix), flag winning.
void add_global_flags(CLI::App& app, config::Settings& s) {
  app.add_option("--init-path", s.init_path, "Folder of init plugins")->envname("INIT")->capture_default_str();
  app.add_option("--plugins-path", s.plugins_path, "Folder of action plugins")
      ->envname("PLUGINS")->capture_default_str();
  app.add_option("--templates-path", s.templates_paths,
                 "Folders of task templates, colon-separated")
      ->envname("TEMPLATES")->delimiter(':')->capture_default_str();
  app.add_option("--functions-path", s.functions_path, "Folder of function definitions")
      ->envname("FUNCTIONS")->capture_default_str();
  app.add_option("--scripts-path", s.scripts_path, "Folder of scripts for the script action")
      ->envname("SCRIPTS")->capture_default_str();
  app.add_option("--region", s.region, "Region label, .task.region in templates")
      ->envname("REGION")->capture_default_str();
  app.add_option("--http-port", s.http_port, "HTTP port")
      ->envname("SERVER_PORT")->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& port) {
            // Same message as the original for 0 or past 65535.
            unsigned long value = 0;
            try { value = std::stoul(port); } catch (const std::exception&) {}
            return value >= 1 && value <= 65535 ? std::string() : "Incorrect HTTP port range: " + port;
          },
          "1..65535"));
  app.add_option("--listen-address", s.listen_address, "Address the HTTP server binds")
      ->envname("LISTEN_ADDRESS")->capture_default_str();
  app.add_option("--db", s.db,
                 "Store: sqlite:PATH or postgres://... (default: the `database` item, else ./utask.db)")
      ->envname("UTASK_DB");
  app.add_flag("--debug", s.debug, "Debug log level")->envname("DEBUG");
  app.add_flag("--maintenance-mode", s.maintenance_mode, "Refuse every write (reads still work)")
      ->envname("MAINTENANCE_MODE");
  app.add_option("--lease-ttl", s.lease_ttl_seconds,
                 "Seconds before the resolutions of an instance that stopped are taken over")
      ->envname("LEASE_TTL")->capture_default_str()->check(CLI::Range(3u, 86400u));
  app.add_option("--log-format,--logs-format", s.log_format, "Log format: text or json")
      ->envname("LOGS_FORMAT")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, config::LogFormat>{{"text", config::LogFormat::text},
                                                   {"json", config::LogFormat::json},
                                                   {"gelf", config::LogFormat::json}},
          CLI::ignore_case));
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"µTask: a declarative automation engine.\n"
               "Without a sub-command, starts the server (same as `utask serve`)."};
  app.set_version_flag("--version", [] { return std::string("utask ") + "see `utask version`"; });
  CommandLine cl;
  add_global_flags(app, cl.settings);
  app.fallthrough();  // global flags are accepted after the sub-command too
  app.require_subcommand(0, 1);
  app.parse_complete_callback([&] { setup_logging(cl.settings.log_format, cl.settings.debug); });

  add_serve_command(app, cl);
  add_validate_command(app, cl);
  add_render_command(app, cl);
  add_run_command(app, cl);
  add_migrate_command(app, cl);
  add_version_command(app, cl);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (app.get_subcommands().empty()) return serve(cl.settings);
  return cl.exit_code;
}

}  // namespace utask::cli

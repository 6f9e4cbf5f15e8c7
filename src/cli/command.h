#pragma once
// What every sub-command shares: the process settings (global flags) and the exit code its
// callback sets. Each command lives in its own <name>_command.cc and registers itself here.

#include "config/settings.h"

namespace CLI {
class App;
}

namespace utask::cli {

struct CommandLine {
  config::Settings settings;
  int exit_code = 0;
};

void add_version_command(CLI::App& app, CommandLine& cl);
void add_serve_command(CLI::App& app, CommandLine& cl);
void add_validate_command(CLI::App& app, CommandLine& cl);
void add_render_command(CLI::App& app, CommandLine& cl);
void add_run_command(CLI::App& app, CommandLine& cl);
void add_migrate_command(CLI::App& app, CommandLine& cl);

// Runs the server (also what `utask` without a sub-command does).
int serve(const config::Settings& settings);

}  // namespace utask::cli

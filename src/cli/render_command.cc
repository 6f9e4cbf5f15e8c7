#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace utask::cli {

// Replaced by the renderer's command (values layer).
void add_render_command(CLI::App& app, CommandLine& cl) {
  auto* cmd = app.add_subcommand("render", "Render a template text with JSON data");
  cmd->callback([&cl] { cl.exit_code = 1; });
}

}  // namespace utask::cli

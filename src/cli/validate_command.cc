// `utask validate [PATH...]`: lints task templates as the server does when it imports them
// at startup (storage.md §8), without a database: the functions of --functions-path are loaded
// and linted first, then each PATH (a template file, or a folder whose `*.yaml` files are read,
// not recursively) — by default the --templates-path folders. Every problem is printed as
// `file: subject: message` (warnings start with `warning: `), then a summary line. Exit code
// 1 when any error was found, else 0.

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/template_library.h"

namespace utask::cli {
namespace {

int validate(const std::vector<std::string>& paths, const config::Settings& settings) {
  const auto lib = load_template_library(settings, paths);
  int warnings = 0;
  for (const auto& problem : lib.problems) {
    std::cout << problem.text << '\n';
    warnings += problem.warning;
  }
  std::cout << lib.template_files << " template(s), " << lib.registry.functions().size() << " function(s): "
            << lib.error_count << " error(s), " << warnings << " warning(s)\n";
  return lib.error_count > 0 ? 1 : 0;
}

}  // namespace

void add_validate_command(CLI::App& app, CommandLine& cl) {
  auto* cmd = app.add_subcommand(
      "validate",
      "Lint templates (files or folders; default: --templates-path) with the functions of "
      "--functions-path");
  auto paths = std::make_shared<std::vector<std::string>>();
  cmd->add_option("paths", *paths, "Template files or folders of templates");
  cmd->callback([&cl, paths] { cl.exit_code = validate(*paths, cl.settings); });
}

}  // namespace utask::cli

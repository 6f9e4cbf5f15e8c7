#include <CLI/CLI.hpp>
#include <iostream>

#include "build_info.h"
#include "cli/command.h"
#include "cli/library_versions.h"

namespace utask::cli {

// The first three lines are the original's; the library list follows for bug reports.
void add_version_command(CLI::App& app, CommandLine& cl) {
  auto* cmd = app.add_subcommand("version", "Print the version, the commit and the library versions");
  cmd->callback([&cl] {
    std::cout << "µTask overview\n"
              << "Version: " << build_info::kVersion << "\n"
              << "Commit: " << build_info::kCommit << "\n"
              << "Build: " << build_info::kBuildType << "\n";
    for (const auto& [name, version] : library_versions()) std::cout << "  " << name << " " << version << "\n";
    cl.exit_code = 0;
  });
}

}  // namespace utask::cli

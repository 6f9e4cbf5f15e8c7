#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>

#include "cli/command.h"

namespace utask::cli {

void add_serve_command(CLI::App& app, CommandLine& cl) {
  auto* cmd = app.add_subcommand("serve", "Start the server (the default command)");
  cmd->callback([&cl] { cl.exit_code = serve(cl.settings); });
}

int serve(const config::Settings& settings) {
  // Wait for SIGINT/SIGTERM.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  spdlog::info("serving (work in progress)");
  int sig = 0;
  sigwait(&set, &sig);
  spdlog::info("received signal {}, stopping", sig);
  return 0;
}

}  // namespace utask::cli

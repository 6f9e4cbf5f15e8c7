#pragma once
// The `utask` command line: serve (default), validate, version, and the commands that later
// layers add (render, run, migrate). Returns the process exit code.

namespace utask::cli {

int run(int argc, char** argv);

}  // namespace utask::cli

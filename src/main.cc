// µTask: the command line is the only entry point; see src/cli/.
#include "cli/cli.h"

int main(int argc, char** argv) { return utask::cli::run(argc, argv); }

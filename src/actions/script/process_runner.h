#pragma once
// Runs one local executable to its end, the way Go's exec.Cmd.CombinedOutput does for the
// original `script` action (actions.md §11): stdin fed, stdout and stderr captured together,
// killed when the timeout expires or the caller cancels. Reads and writes the pipes
// concurrently, so output of any size cannot block the child.
//
// The child runs in a process group of its own and a kill (timeout, cancellation) signals the
// whole group: a shell's children die with it and the pipe reaches end of file.
//
// Thread safety: run_process is reentrant; every call owns its I/O context.

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace utask::actions {

struct ProcessSpec {
  std::string program;    // path of the executable; relative to working_directory when relative
  std::vector<std::string> args;
  std::string working_directory;
  std::map<std::string, std::string> environment;  // over the inherited environment
  std::string stdin_data;
  std::chrono::nanoseconds timeout{0};  // zero: none
  const std::atomic<bool>* cancelled = nullptr;
};

struct ProcessOutcome {
  bool started = false;
  bool timed_out = false;
  bool cancelled = false;
  // Go's conventions: the exit status; -1 when killed by a signal; 1 when it never started.
  int exit_code = 0;
  std::string process_state;  // "exit status 3", "signal: killed", "<nil>" (never started)
  std::string error;          // "" on success, else "exit status 3", "signal: killed", "fork/exec ..."
  std::string output;         // stdout and stderr interleaved as written
  std::chrono::nanoseconds elapsed{0};
};

ProcessOutcome run_process(const ProcessSpec& spec);

}  // namespace utask::actions

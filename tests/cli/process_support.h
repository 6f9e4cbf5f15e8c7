#pragma once
// Runs the real `utask` binary (UTASK_EXE) as a child process for CLI tests: arguments,
// environment, working directory; reads its stderr until a line matches or a deadline passes.
// Every wait is bounded.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace utask::testing {

class ChildProcess {
 public:
  // Starts UTASK_EXE with `args`; the environment is exactly `env` (plus PATH).
  ChildProcess(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
               const std::string& working_dir);
  ~ChildProcess();  // kills the child if still running

  // Reads stderr until a line contains `text` (true) or the deadline / EOF (false).
  bool wait_for_stderr(const std::string& text, std::chrono::milliseconds deadline);
  // Sends `signal`, then waits for the exit (bounded); returns the exit status or -1.
  int stop(int signal, std::chrono::milliseconds deadline = std::chrono::seconds(10));
  // Waits for the exit without signalling; -1 on deadline (the child is then killed).
  int wait(std::chrono::milliseconds deadline = std::chrono::seconds(20));
  bool running();

  const std::string& stderr_text() const { return err_; }
  const std::string& stdout_text() const { return out_; }

 private:
  void drain(std::chrono::milliseconds budget);

  pid_t pid_ = -1;
  int err_fd_ = -1;
  int out_fd_ = -1;
  int status_ = -1;
  bool exited_ = false;
  std::string err_;
  std::string out_;
};

}  // namespace utask::testing

#include "process_support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

namespace utask::testing {

ChildProcess::ChildProcess(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                           const std::string& working_dir) {
  int err_pipe[2];
  int out_pipe[2];
  if (pipe(err_pipe) != 0 || pipe(out_pipe) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(err_pipe[1], 2);
    dup2(out_pipe[1], 1);
    close(err_pipe[0]);
    close(out_pipe[0]);
    if (chdir(working_dir.c_str()) != 0) _exit(127);
    std::vector<std::string> env_strings;
    if (const char* path = std::getenv("PATH")) env_strings.push_back(std::string("PATH=") + path);
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_strings{UTASK_EXE};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    execve(UTASK_EXE, argv.data(), envp.data());
    _exit(127);
  }
  close(err_pipe[1]);
  close(out_pipe[1]);
  err_fd_ = err_pipe[0];
  out_fd_ = out_pipe[0];
  fcntl(err_fd_, F_SETFL, O_NONBLOCK);
  fcntl(out_fd_, F_SETFL, O_NONBLOCK);
}

ChildProcess::~ChildProcess() {
  if (running()) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
  }
  if (err_fd_ >= 0) close(err_fd_);
  if (out_fd_ >= 0) close(out_fd_);
}

void ChildProcess::drain(std::chrono::milliseconds budget) {
  pollfd fds[2] = {{err_fd_, POLLIN, 0}, {out_fd_, POLLIN, 0}};
  if (poll(fds, 2, static_cast<int>(budget.count())) <= 0) return;
  char buf[4096];
  for (int i = 0; i < 2; ++i) {
    ssize_t n;
    while ((n = read(fds[i].fd, buf, sizeof buf)) > 0) (i == 0 ? err_ : out_).append(buf, n);
  }
}

bool ChildProcess::wait_for_stderr(const std::string& text, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (err_.find(text) != std::string::npos) return true;
    if (!running()) {
      drain(std::chrono::milliseconds(0));
      return err_.find(text) != std::string::npos;
    }
    drain(std::chrono::milliseconds(100));
  }
  return err_.find(text) != std::string::npos;
}

bool ChildProcess::running() {
  if (pid_ <= 0 || exited_) return false;
  if (waitpid(pid_, &status_, WNOHANG) == pid_) exited_ = true;
  return !exited_;
}

int ChildProcess::wait(std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (running() && std::chrono::steady_clock::now() < end) drain(std::chrono::milliseconds(50));
  if (running()) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
    exited_ = true;
    return -1;
  }
  drain(std::chrono::milliseconds(0));
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

int ChildProcess::stop(int signal, std::chrono::milliseconds deadline) {
  if (running()) kill(pid_, signal);
  return wait(deadline);
}

}  // namespace utask::testing

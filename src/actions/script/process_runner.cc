#include "actions/script/process_runner.h"

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/process/args.hpp>
#include <boost/process/async_pipe.hpp>
#include <boost/process/child.hpp>
#include <boost/process/env.hpp>
#include <boost/process/environment.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <boost/process/start_dir.hpp>
#include <cctype>
#include <cstring>
#include <memory>

namespace utask::actions {
namespace {

namespace asio = boost::asio;
namespace bp = boost::process;
using Clock = std::chrono::steady_clock;

// In the child between fork and exec: a process group of its own (so a kill reaches what it
// spawns), and the signal dispositions a fresh program expects (the server ignores SIGPIPE and
// its threads may block signals; both would otherwise be inherited through exec).
struct ChildSetup : bp::extend::handler {
  template <class Executor>
  void on_exec_setup(Executor&) const {
    setpgid(0, 0);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
  }
};

// Go's syscall.Signal.String(): the C library's description, lower-case first letter.
std::string signal_text(int sig) {
  std::string s = strsignal(sig) ? strsignal(sig) : ("signal " + std::to_string(sig));
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

// Go's syscall.Errno.Error(): strerror, lower-case first letter.
std::string errno_text(int err) {
  std::string s = std::strerror(err);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

void describe_status(int status, ProcessOutcome& out) {
  if (WIFEXITED(status)) {
    out.exit_code = WEXITSTATUS(status);
    out.process_state = "exit status " + std::to_string(out.exit_code);
    out.error = out.exit_code == 0 ? "" : out.process_state;
  } else if (WIFSIGNALED(status)) {
    out.exit_code = -1;
    out.process_state = "signal: " + signal_text(WTERMSIG(status));
    if (WCOREDUMP(status)) out.process_state += " (core dumped)";
    out.error = out.process_state;
  }
}

// One run: the pipes' handlers and a polling timer on a private I/O context. The timer checks
// the deadline, the cancellation flag and whether the child has ended (waitpid, no signal
// handler: SIGCHLD belongs to nobody in a library).
class Run {
 public:
  Run(const ProcessSpec& spec, ProcessOutcome& out)
      : spec_(spec), out_(out), in_(io_), pipe_(io_), timer_(io_) {}

  void start() {
    bp::environment env = boost::this_process::environment();
    for (const auto& [k, v] : spec_.environment) env[k] = v;
    std::error_code ec;
    const auto started_at = Clock::now();
    child_ = std::make_unique<bp::child>(
        bp::exe = spec_.program, bp::args = spec_.args, bp::start_dir = spec_.working_directory,
        env, bp::std_in < in_, (bp::std_out & bp::std_err) > pipe_, ChildSetup{}, ec);
    if (ec || !child_->valid()) {
      out_.started = false;
      out_.exit_code = 1;
      out_.process_state = "<nil>";
      out_.error = "fork/exec " + spec_.program + ": " + errno_text(ec ? ec.value() : ENOENT);
      out_.elapsed = Clock::now() - started_at;
      return;
    }
    out_.started = true;
    pid_ = child_->id();
    deadline_ = spec_.timeout.count() > 0 ? started_at + spec_.timeout : Clock::time_point::max();
    write_stdin();
    read_output();
    poll();
    io_.run();
    out_.elapsed = Clock::now() - started_at;
    describe_status(status_, out_);
  }

 private:
  void write_stdin() {
    if (spec_.stdin_data.empty()) {
      in_.close();
      return;
    }
    asio::async_write(in_, asio::buffer(spec_.stdin_data),
                      [this](const boost::system::error_code&, size_t) {
                        // A child that stops reading early is not an error (Go ignores EPIPE).
                        boost::system::error_code ignored;
                        in_.close(ignored);
                      });
  }

  void read_output() {
    pipe_.async_read_some(asio::buffer(chunk_), [this](const boost::system::error_code& ec, size_t n) {
      out_.output.append(chunk_.data(), n);
      if (ec) {
        eof_ = true;
        return;
      }
      read_output();
    });
  }

  void kill_group() {
    if (killed_) return;
    killed_ = true;
    ::kill(-pid_, SIGKILL);
    if (!exited_) ::kill(pid_, SIGKILL);  // when setpgid had not run yet
  }

  void poll() {
    if (!exited_) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exited_ = true;
        status_ = status;
        child_->detach();  // reaped here: the child object must not wait or kill
      }
    }
    if (exited_ && eof_) {
      boost::system::error_code ignored;
      in_.close(ignored);
      return;  // nothing left on the context: run() returns
    }
    if (Clock::now() >= deadline_) {
      if (!killed_) out_.timed_out = true;
      kill_group();
    } else if (spec_.cancelled && spec_.cancelled->load()) {
      out_.cancelled = true;
      kill_group();
    }
    interval_ = std::min(interval_ * 2, std::chrono::milliseconds(20));
    timer_.expires_after(interval_);
    timer_.async_wait([this](const boost::system::error_code&) { poll(); });
  }

  const ProcessSpec& spec_;
  ProcessOutcome& out_;
  asio::io_context io_;
  bp::async_pipe in_;
  bp::async_pipe pipe_;
  asio::steady_timer timer_;
  std::unique_ptr<bp::child> child_;
  std::array<char, 65536> chunk_{};
  Clock::time_point deadline_;
  std::chrono::milliseconds interval_{1};
  pid_t pid_ = -1;
  int status_ = 0;
  bool exited_ = false;
  bool eof_ = false;
  bool killed_ = false;
};

// Blocks SIGPIPE in the calling thread while it writes to a child that may have closed its
// stdin: the write then fails with EPIPE instead of killing the process. A SIGPIPE raised
// meanwhile is consumed before the previous mask returns.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, &previous_);
    was_blocked_ = sigismember(&previous_, SIGPIPE) == 1;
  }
  ~SigpipeGuard() {
    if (was_blocked_) return;
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe, nullptr, &zero) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t previous_{};
  bool was_blocked_ = false;
};

}  // namespace

ProcessOutcome run_process(const ProcessSpec& spec) {
  ProcessOutcome out;
  SigpipeGuard no_sigpipe;
  try {
    Run run(spec, out);
    run.start();
  } catch (const std::exception& e) {
    out.exit_code = 1;
    if (out.process_state.empty()) out.process_state = "<nil>";
    out.error = e.what();
  }
  return out;
}

}  // namespace utask::actions

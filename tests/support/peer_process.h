#pragma once
// A server process a test starts as its counterpart (sshd, an SMTP sink...): started with
// fork/exec, its stdout and stderr drained into a log by a detached reader (a full pipe would
// block it), ready when the log shows a marker line. Stopped (SIGTERM to its pid, then waited
// for) at destruction.
//
// Thread safety: one owner; log() may be called from any thread.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace utask::testing {

class PeerProcess {
 public:
  // Runs argv[0] (an absolute path) and waits up to `limit` for `marker` in its output.
  // Throws std::runtime_error with what it printed when it exits or stays silent.
  PeerProcess(const std::vector<std::string>& argv, const std::string& marker,
              std::chrono::seconds limit = std::chrono::seconds(10));
  ~PeerProcess();
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  std::string log() const;  // everything printed so far

 private:
  struct Log {
    mutable std::mutex mu;
    std::condition_variable changed;
    std::string text;
    bool closed = false;
  };
  pid_t pid_ = -1;
  std::shared_ptr<Log> log_ = std::make_shared<Log>();
};

// Runs `command` through /bin/sh and returns its standard output; throws std::runtime_error
// with the output when it fails.
std::string run_shell(const std::string& command);

// A port of 127.0.0.1 nothing listened on a moment ago.
int free_loopback_port();

}  // namespace utask::testing

#include "support/peer_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <stdexcept>
#include <thread>

namespace utask::testing {

PeerProcess::PeerProcess(const std::vector<std::string>& argv, const std::string& marker,
                         std::chrono::seconds limit) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(out[1], STDERR_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out[1]);
  auto log = log_;
  const int fd = out[0];
  std::thread([log, fd] {
    std::array<char, 1024> buf{};
    ssize_t n;
    while ((n = ::read(fd, buf.data(), buf.size())) > 0) {
      std::lock_guard lock(log->mu);
      log->text.append(buf.data(), static_cast<size_t>(n));
      log->changed.notify_all();
    }
    ::close(fd);
    std::lock_guard lock(log->mu);
    log->closed = true;
    log->changed.notify_all();
  }).detach();
  std::unique_lock lock(log_->mu);
  const bool ready = log_->changed.wait_for(lock, limit, [&] {
    return log_->closed || log_->text.find(marker) != std::string::npos;
  }) && log_->text.find(marker) != std::string::npos;
  if (!ready) {
    const std::string seen = log_->text;
    lock.unlock();
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    throw std::runtime_error(argv[0] + " did not start: " + seen);
  }
}

PeerProcess::~PeerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string PeerProcess::log() const {
  std::lock_guard lock(log_->mu);
  return log_->text;
}

std::string run_shell(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::string out;
  std::array<char, 512> buf{};
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  if (::pclose(pipe) != 0) throw std::runtime_error(command + " failed: " + out);
  return out;
}

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("no free loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace utask::testing

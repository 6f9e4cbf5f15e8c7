#include "values/js/worker_pool.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "values/js/in_process_engine.h"

namespace utask::values::js {
namespace {

// A worker's own deadline is the evaluation's; past it by this much, it is killed.
constexpr std::chrono::seconds kGrace{3};
constexpr int kWorkerFd = 3;
constexpr size_t kWorkerStack = 8 << 20;

// Frames: request = u64 timeout_ns, u8 json_form, u64 length, bytes;
//         response = u8 ok, u8 error code, u64 length, bytes.
bool write_all(int fd, const void* data, size_t size) {
  auto* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = send(fd, p, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Reads exactly `size` bytes; false on end of file, error, or when `deadline` passes.
bool read_all(int fd, void* data, size_t size, std::chrono::steady_clock::time_point deadline) {
  auto* p = static_cast<char*>(data);
  while (size > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd pfd{fd, POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(std::min<int64_t>(left.count() + 1, 60'000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return false;
    if (ready == 0) continue;  // re-check the deadline
    ssize_t n = read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

constexpr auto kForever = std::chrono::steady_clock::time_point::max();

[[noreturn]] void serve(const JsEngineOptions& options);

// The body of a forked worker. Never returns into the caller's frames.
[[noreturn]] void worker_main(int fd, const JsEngineOptions& options) {
  // The parent's handlers and mask mean nothing here; a dead parent shows as end of file.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD}) signal(sig, SIG_DFL);
  signal(SIGPIPE, SIG_IGN);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (fd != kWorkerFd) {
    dup2(fd, kWorkerFd);
    close(fd);
  }
  close_range(kWorkerFd + 1, ~0U, 0);  // the parent's files, sockets, other workers' sockets

  // Serve on a thread of known stack size: the forked thread's stack may be small.
  static JsEngineOptions own;
  own = options;
  own.max_workers = 1;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kWorkerStack);
  pthread_t server;
  if (pthread_create(&server, &attr, [](void*) -> void* { serve(own); }, nullptr) != 0) _exit(1);
  pthread_join(server, nullptr);
  _exit(0);
}

[[noreturn]] void serve(const JsEngineOptions& options) {
  InProcessEngine engine(options);
  for (;;) {
    uint64_t timeout_ns = 0;
    uint8_t json_form = 0;
    uint64_t length = 0;
    if (!read_all(kWorkerFd, &timeout_ns, sizeof timeout_ns, kForever) ||
        !read_all(kWorkerFd, &json_form, sizeof json_form, kForever) ||
        !read_all(kWorkerFd, &length, sizeof length, kForever)) {
      _exit(0);
    }
    std::string source(length, '\0');
    if (!read_all(kWorkerFd, source.data(), length, kForever)) _exit(0);
    auto result = engine.evaluate(source, std::chrono::nanoseconds(timeout_ns), json_form != 0);
    uint8_t ok = result.ok() ? 1 : 0;
    uint8_t code = result.ok() ? 0 : static_cast<uint8_t>(result.error().code);
    const std::string& text = result.ok() ? result.value() : result.error().message;
    uint64_t size = text.size();
    if (!write_all(kWorkerFd, &ok, 1) || !write_all(kWorkerFd, &code, 1) || !write_all(kWorkerFd, &size, sizeof size) ||
        !write_all(kWorkerFd, text.data(), text.size())) {
      _exit(0);
    }
  }
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* name = strsignal(sig);
    return "signal " + std::to_string(sig) + (name != nullptr ? std::string(": ") + name : std::string());
  }
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  return "unknown status";
}

}  // namespace

WorkerPool::WorkerPool(const JsEngineOptions& options) : options_(options) {}

WorkerPool::~WorkerPool() {
  std::lock_guard lock(mutex_);
  for (Worker& w : idle_) {
    close(w.fd);
    kill(w.pid, SIGKILL);
    waitpid(w.pid, nullptr, 0);
  }
}

size_t WorkerPool::started() const {
  std::lock_guard lock(mutex_);
  return started_;
}

size_t WorkerPool::alive() const {
  std::lock_guard lock(mutex_);
  return alive_;
}

Result<WorkerPool::Worker> WorkerPool::spawn() {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return Error::internal(std::string("cannot create a socket for a JavaScript worker: ") + std::strerror(errno));
  }
  pid_t pid = fork();
  if (pid < 0) {
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    return Error::internal(std::string("cannot start a JavaScript worker: ") + std::strerror(err));
  }
  if (pid == 0) {
    close(fds[0]);
    worker_main(fds[1], options_);
  }
  close(fds[1]);
  return Worker{pid, fds[0]};
}

Result<WorkerPool::Worker> WorkerPool::acquire() {
  {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [this] { return !idle_.empty() || alive_ < options_.max_workers; });
    if (!idle_.empty()) {
      Worker w = idle_.back();
      idle_.pop_back();
      return w;
    }
    ++alive_;  // reserve the slot; fork outside the lock
  }
  auto spawned = spawn();
  {
    std::lock_guard lock(mutex_);
    if (spawned) {
      ++started_;
    } else {
      --alive_;
    }
  }
  if (!spawned) released_.notify_one();
  return spawned;
}

void WorkerPool::release(Worker worker) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(worker);
  }
  released_.notify_one();
}

void WorkerPool::discard(Worker worker) {
  close(worker.fd);
  kill(worker.pid, SIGKILL);
  waitpid(worker.pid, nullptr, 0);
  {
    std::lock_guard lock(mutex_);
    --alive_;
  }
  released_.notify_one();
}

Result<std::string> WorkerPool::evaluate(std::string_view source, std::chrono::nanoseconds timeout, bool json_form) {
  if (timeout <= std::chrono::nanoseconds::zero()) return Error::invalid_input(std::string(kTimedOutText));
  // Go durations reach 292 years; a deadline that far would overflow the clock.
  timeout = std::min<std::chrono::nanoseconds>(timeout, std::chrono::hours(24 * 365));

  auto acquired = acquire();
  if (!acquired) return acquired.error();
  Worker worker = *acquired;

  uint64_t timeout_ns = static_cast<uint64_t>(timeout.count());
  uint8_t form = json_form ? 1 : 0;
  uint64_t length = source.size();
  if (!write_all(worker.fd, &timeout_ns, sizeof timeout_ns) || !write_all(worker.fd, &form, 1) ||
      !write_all(worker.fd, &length, sizeof length) || !write_all(worker.fd, source.data(), source.size())) {
    discard(worker);
    return Error::internal("cannot send a program to a JavaScript worker");
  }

  auto deadline = std::chrono::steady_clock::now() + timeout + kGrace;
  uint8_t ok = 0;
  uint8_t code = 0;
  uint64_t size = 0;
  std::string text;
  bool answered = read_all(worker.fd, &ok, 1, deadline) && read_all(worker.fd, &code, 1, deadline) &&
                  read_all(worker.fd, &size, sizeof size, deadline);
  if (answered) {
    text.resize(size);
    answered = read_all(worker.fd, text.data(), size, deadline);
  }
  if (!answered) {
    bool late = std::chrono::steady_clock::now() >= deadline;  // stuck in a built-in
    close(worker.fd);
    kill(worker.pid, SIGKILL);
    int status = 0;
    waitpid(worker.pid, &status, 0);
    {
      std::lock_guard lock(mutex_);
      --alive_;
    }
    released_.notify_one();
    if (late) return Error::invalid_input(std::string(kTimedOutText));
    return Error::invalid_input("Recovered from unsafe JS eval: the JavaScript engine stopped (" +
                                describe_exit(status) + ")");
  }
  release(worker);
  if (ok != 0) return text;
  return Error{static_cast<ErrorCode>(code), std::move(text), {}};
}

}  // namespace utask::values::js

#include "actions/ssh/ssh_session.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libssh2.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <type_traits>

#include "actions/ssh/ssh_host_key.h"

namespace utask::actions {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPollSlice{100};
constexpr long kTeardownTimeoutMs = 1000;

// The status Go's ssh package reports for a process killed by a signal: 128 + its number.
int signal_status(const std::string& name) {
  static const std::map<std::string, int> numbers = {
      {"ABRT", 6}, {"ALRM", 14}, {"FPE", 8},   {"HUP", 1},   {"ILL", 4},   {"INT", 2},   {"KILL", 9},
      {"PIPE", 13}, {"QUIT", 3}, {"SEGV", 11}, {"TERM", 15}, {"USR1", 10}, {"USR2", 12},
  };
  auto it = numbers.find(name);
  return 128 + (it == numbers.end() ? 0 : it->second);
}

std::string lower_first(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

enum class Wait { ready, timeout, cancelled };

bool is_cancelled(const std::atomic<bool>* cancelled) {
  return cancelled != nullptr && cancelled->load(std::memory_order_relaxed);
}

// Polls `fd` for `events` until ready, `deadline` or cancellation, in short slices.
Wait wait_fd(int fd, short events, Clock::time_point deadline, const std::atomic<bool>* cancelled) {
  for (;;) {
    if (is_cancelled(cancelled)) return Wait::cancelled;
    const auto now = Clock::now();
    if (now >= deadline) return Wait::timeout;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min(left, kPollSlice).count()) + 1);
    if (n > 0) return Wait::ready;
    if (n < 0 && errno != EINTR) return Wait::ready;  // the next libssh2 call reports the error
  }
}

class Socket {
 public:
  Socket() = default;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }
  void reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

std::string address_text(const sockaddr* sa, const std::string& port) {
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (sa->sa_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf.data(), buf.size());
    return "[" + std::string(buf.data()) + "]:" + port;
  }
  ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf.data(), buf.size());
  return std::string(buf.data()) + ":" + port;
}

struct Dialled {
  Wait wait = Wait::ready;
  std::string error;  // "" when connected
};

// A non-blocking TCP connection to the first address of host:port that answers, with Go's
// error texts (`dial tcp 127.0.0.1:1: connect: connection refused`).
Dialled dial(const SshSessionSpec& spec, Clock::time_point deadline, Socket& socket) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(spec.host.c_str(), spec.port.c_str(), &hints, &found); rc != 0) {
    return {Wait::ready, "dial tcp: lookup " + spec.host + ": " + lower_first(::gai_strerror(rc))};
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
  std::string error = "dial tcp: no address for " + spec.host;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    const std::string where = "dial tcp " + address_text(ai->ai_addr, spec.port);
    const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      error = where + ": socket: " + std::strerror(errno);
      continue;
    }
    socket.reset(fd);
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      const Wait w = wait_fd(fd, POLLOUT, deadline, spec.cancelled);
      if (w == Wait::cancelled) return {w, "interrupted"};
      if (w == Wait::timeout) return {w, where + ": i/o timeout"};
      int so_error = 0;
      socklen_t len = sizeof so_error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
      rc = so_error == 0 ? 0 : -1;
      errno = so_error;
    }
    if (rc == 0) return {};
    error = where + ": connect: " + lower_first(std::strerror(errno));
  }
  socket.reset(-1);
  return {Wait::ready, error};
}

// The libssh2 session and its channel, closed and freed on scope exit with a bounded blocking
// teardown (a non-blocking free could give up half way and leak).
class Ssh {
 public:
  explicit Ssh(int fd) : fd_(fd), session_(libssh2_session_init()) {
    if (session_ != nullptr) libssh2_session_set_blocking(session_, 0);
  }
  Ssh(const Ssh&) = delete;
  Ssh& operator=(const Ssh&) = delete;
  ~Ssh() {
    if (session_ == nullptr) return;
    libssh2_session_set_timeout(session_, kTeardownTimeoutMs);
    libssh2_session_set_blocking(session_, 1);
    if (channel_ != nullptr) libssh2_channel_free(channel_);
    if (handshaken_) libssh2_session_disconnect(session_, "done");
    libssh2_session_free(session_);
  }

  LIBSSH2_SESSION* session() const { return session_; }
  void set_channel(LIBSSH2_CHANNEL* c) { channel_ = c; }
  void set_handshaken() { handshaken_ = true; }

  std::string last_error() const {
    char* message = nullptr;
    int len = 0;
    libssh2_session_last_error(session_, &message, &len, 0);
    return message != nullptr ? std::string(message, static_cast<size_t>(len)) : "unknown error";
  }

  // Waits for the socket in the directions libssh2 is blocked on.
  Wait wait(Clock::time_point deadline, const std::atomic<bool>* cancelled) const {
    const int dir = libssh2_session_block_directions(session_);
    short events = 0;
    if (dir & LIBSSH2_SESSION_BLOCK_INBOUND) events |= POLLIN;
    if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND) events |= POLLOUT;
    return wait_fd(fd_, events == 0 ? POLLIN : events, deadline, cancelled);
  }

 private:
  int fd_;
  LIBSSH2_SESSION* session_;
  LIBSSH2_CHANNEL* channel_ = nullptr;
  bool handshaken_ = false;
};

// Calls `step` until it stops asking to be called again (LIBSSH2_ERROR_EAGAIN), waiting for the
// socket in between. Returns the call's result, or the wait's reason when it ends first.
template <class Step>
auto again(const Ssh& ssh, Clock::time_point deadline, const std::atomic<bool>* cancelled, Wait& why, Step step) {
  for (;;) {
    auto rc = step();
    if constexpr (std::is_pointer_v<decltype(rc)>) {
      if (rc != nullptr || libssh2_session_last_errno(ssh.session()) != LIBSSH2_ERROR_EAGAIN) return rc;
    } else {
      if (rc != LIBSSH2_ERROR_EAGAIN) return rc;
    }
    why = ssh.wait(deadline, cancelled);
    if (why != Wait::ready) return decltype(rc){};
  }
}

SshSessionOutcome fail(SshFailure failure, std::string error) {
  SshSessionOutcome out;
  out.failure = failure;
  out.error = std::move(error);
  return out;
}

SshSessionOutcome wait_failure(Wait why, const std::string& timeout_message) {
  if (why == Wait::cancelled) return fail(SshFailure::cancelled, "interrupted");
  return fail(SshFailure::timeout, timeout_message);
}

constexpr const char* kAuthRefused =
    "ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no "
    "supported methods remain";
constexpr const char* kSessionTimeout = "ssh session has not terminated before timeout";

// Handshake, host key and authentication; "" when the session is ready for channels.
SshSessionOutcome open_session(const SshSessionSpec& spec, Ssh& ssh, int fd, Clock::time_point deadline) {
  Wait why = Wait::ready;
  const int handshake = again(ssh, deadline, spec.cancelled, why, [&] { return libssh2_session_handshake(ssh.session(), fd); });
  if (why != Wait::ready) {
    auto out = wait_failure(why, "ssh: handshake failed: i/o timeout");
    if (out.failure == SshFailure::timeout) out.failure = SshFailure::connection;
    return out;
  }
  if (handshake != 0) return fail(SshFailure::connection, "ssh: handshake failed: " + ssh.last_error());
  ssh.set_handshaken();

  if (!spec.host_key.empty()) {
    auto expected = ExpectedHostKey::parse(spec.host_key);
    if (!expected) return fail(SshFailure::private_key, expected.error().message);
    size_t len = 0;
    int type = 0;
    const char* blob = libssh2_session_hostkey(ssh.session(), &len, &type);
    const char* digest = libssh2_hostkey_hash(ssh.session(), LIBSSH2_HOSTKEY_HASH_SHA256);
    if (blob == nullptr || digest == nullptr) {
      return fail(SshFailure::connection, "ssh: handshake failed: no host key");
    }
    const std::string_view sha256(digest, 32);
    if (!expected->matches(std::string_view(blob, len), sha256)) {
      return fail(SshFailure::connection, "ssh: handshake failed: host key mismatch: the server presented " +
                                              sha256_fingerprint_text(sha256));
    }
  }

  const char* passphrase = spec.passphrase.empty() ? nullptr : spec.passphrase.c_str();
  const int auth = again(ssh, deadline, spec.cancelled, why, [&] {
    return libssh2_userauth_publickey_frommemory(ssh.session(), spec.user.data(), spec.user.size(), nullptr, 0,
                                                 spec.private_key.data(), spec.private_key.size(), passphrase);
  });
  if (why != Wait::ready) {
    auto out = wait_failure(why, "ssh: handshake failed: i/o timeout");
    if (out.failure == SshFailure::timeout) out.failure = SshFailure::connection;
    return out;
  }
  switch (auth) {
    case 0: return {};
    case LIBSSH2_ERROR_AUTHENTICATION_FAILED:
    case LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED: return fail(SshFailure::connection, kAuthRefused);
    case LIBSSH2_ERROR_SOCKET_SEND:
    case LIBSSH2_ERROR_SOCKET_RECV:
    case LIBSSH2_ERROR_SOCKET_DISCONNECT:
    case LIBSSH2_ERROR_SOCKET_TIMEOUT:
    case LIBSSH2_ERROR_TIMEOUT:
    case LIBSSH2_ERROR_BAD_SOCKET: return fail(SshFailure::connection, "ssh: handshake failed: " + ssh.last_error());
    // The key is read (and decrypted) locally before anything is sent: libssh2's parsers
    // report their failures with various codes.
    default: return fail(SshFailure::private_key, "ssh plugin: private key: " + ssh.last_error());
  }
}

// Exec, stdin, output to end of file, exit status.
SshSessionOutcome run_command(const SshSessionSpec& spec, Ssh& ssh) {
  const auto deadline = Clock::now() + spec.session_timeout;
  Wait why = Wait::ready;
  LIBSSH2_CHANNEL* channel =
      again(ssh, deadline, spec.cancelled, why, [&] { return libssh2_channel_open_session(ssh.session()); });
  if (why != Wait::ready) return wait_failure(why, kSessionTimeout);
  if (channel == nullptr) return fail(SshFailure::connection, "ssh: cannot open a session: " + ssh.last_error());
  ssh.set_channel(channel);
  // stderr in the stdout stream, in arrival order.
  again(ssh, deadline, spec.cancelled, why,
        [&] { return libssh2_channel_handle_extended_data2(channel, LIBSSH2_CHANNEL_EXTENDED_DATA_MERGE); });
  if (why != Wait::ready) return wait_failure(why, kSessionTimeout);
  const int exec = again(ssh, deadline, spec.cancelled, why, [&] {
    return libssh2_channel_process_startup(channel, "exec", 4, spec.command.data(),
                                           static_cast<unsigned int>(spec.command.size()));
  });
  if (why != Wait::ready) return wait_failure(why, kSessionTimeout);
  if (exec != 0) return fail(SshFailure::connection, "ssh: command not started: " + ssh.last_error());

  SshSessionOutcome out;
  size_t written = 0;
  bool eof_sent = false;
  std::array<char, 16384> buf{};
  for (;;) {
    bool progressed = false;
    if (written < spec.stdin_data.size()) {
      const ssize_t n = libssh2_channel_write(channel, spec.stdin_data.data() + written,
                                              std::min<size_t>(spec.stdin_data.size() - written, 32768));
      if (n > 0) {
        written += static_cast<size_t>(n);
        progressed = true;
      } else if (n != LIBSSH2_ERROR_EAGAIN) {
        written = spec.stdin_data.size();  // the remote closed its stdin: nothing more to send
      }
    }
    if (written == spec.stdin_data.size() && !eof_sent) {
      const int rc = libssh2_channel_send_eof(channel);
      if (rc != LIBSSH2_ERROR_EAGAIN) eof_sent = true;
    }
    ssize_t n;
    while ((n = libssh2_channel_read(channel, buf.data(), buf.size())) > 0) {
      out.output.append(buf.data(), static_cast<size_t>(n));
      progressed = true;
    }
    if (n < 0 && n != LIBSSH2_ERROR_EAGAIN) {
      return fail(SshFailure::connection, "ssh: reading the output: " + ssh.last_error());
    }
    if (libssh2_channel_eof(channel)) break;
    if (!progressed) {
      why = ssh.wait(deadline, spec.cancelled);
      if (why != Wait::ready) return wait_failure(why, kSessionTimeout);
    }
  }
  again(ssh, deadline, spec.cancelled, why, [&] { return libssh2_channel_close(channel); });
  if (why == Wait::ready) again(ssh, deadline, spec.cancelled, why, [&] { return libssh2_channel_wait_closed(channel); });
  if (why != Wait::ready) return wait_failure(why, kSessionTimeout);

  char* signal = nullptr;
  size_t signal_len = 0;
  char* message = nullptr;
  size_t message_len = 0;
  libssh2_channel_get_exit_signal(channel, &signal, &signal_len, &message, &message_len, nullptr, nullptr);
  if (signal != nullptr) {
    out.exit_signal.assign(signal, signal_len);
    if (message != nullptr) out.exit_msg.assign(message, message_len);
    out.exit_code = signal_status(out.exit_signal);
    libssh2_free(ssh.session(), signal);
    if (message != nullptr) libssh2_free(ssh.session(), message);
  } else {
    out.exit_code = libssh2_channel_get_exit_status(channel);
  }
  return out;
}

}  // namespace

SshSessionOutcome run_ssh_session(const SshSessionSpec& spec) {
  static std::once_flag init;
  std::call_once(init, [] { libssh2_init(0); });

  const auto connect_deadline = Clock::now() + spec.connect_timeout;
  Socket socket;
  Dialled dialled = dial(spec, connect_deadline, socket);
  if (dialled.wait == Wait::cancelled) return fail(SshFailure::cancelled, "interrupted");
  if (!dialled.error.empty()) return fail(SshFailure::connection, dialled.error);

  Ssh ssh(socket.fd());
  if (ssh.session() == nullptr) return fail(SshFailure::connection, "ssh: cannot create a session");
  if (auto opened = open_session(spec, ssh, socket.fd(), connect_deadline); opened.failure != SshFailure::none) {
    return opened;
  }
  return run_command(spec, ssh);
}

}  // namespace utask::actions

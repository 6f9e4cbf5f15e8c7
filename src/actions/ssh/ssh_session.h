#pragma once
// One SSH exec session with libssh2, to its end: TCP connection and handshake under a
// connection timeout, host key check, public-key authentication from a key held in memory,
// then the command with its stdin under the session timeout, stdout and stderr captured
// together in arrival order, and the exit status or signal.
//
// Non-blocking sockets polled in short slices, so the caller's cancellation flag is honoured
// within ~100 ms in every phase; on timeout or cancellation the channel and connection are
// closed (libssh2 1.10 cannot send a signal request).
//
// Thread safety: run_ssh_session is reentrant; every call owns its socket and session.

#include <atomic>
#include <chrono>
#include <string>

namespace utask::actions {

struct SshSessionSpec {
  std::string host;  // name or address literal
  std::string port;
  std::string user;
  std::string private_key;  // PEM or OpenSSH text (secret)
  std::string passphrase;   // secret
  std::string host_key;     // ExpectedHostKey text; "" accepts any
  std::string command;
  std::string stdin_data;
  std::chrono::nanoseconds connect_timeout{std::chrono::seconds(10)};  // TCP + handshake + auth
  std::chrono::nanoseconds session_timeout{std::chrono::minutes(5)};   // from channel open
  const std::atomic<bool>* cancelled = nullptr;
};

enum class SshFailure {
  none,
  private_key,  // the key could not be used (parse, passphrase): a configuration problem
  connection,   // resolve, connect, handshake, host key, authentication, channel
  timeout,      // the command outlived the session timeout
  cancelled,
};

struct SshSessionOutcome {
  SshFailure failure = SshFailure::none;
  std::string error;   // "" when failure == none
  std::string output;  // stdout + stderr as received
  // The exit status (0 when the server sent none: libssh2 cannot tell), or 128 + the signal
  // number when the command was killed by a signal.
  int exit_code = 0;
  std::string exit_signal;  // signal name without SIG ("KILL"), "" when none
  std::string exit_msg;     // the server's message with the signal
};

SshSessionOutcome run_ssh_session(const SshSessionSpec& spec);

}  // namespace utask::actions

#pragma once
// A real OpenSSH server for the tests of the `ssh` action: /usr/sbin/sshd run as the current
// user on 127.0.0.1 and a free port, with its own sshd_config, host key and user keys made by
// ssh-keygen in a temporary folder (public-key authentication only, no PAM, no strict modes).
// Stopped and its folder removed at destruction.
//
// Thread safety: one instance per test suite; the accessors are const.

#include <memory>
#include <string>

#include "support/peer_process.h"
#include "support/temp_dir.h"

namespace utask::testing {

class SshdPeer {
 public:
  // Throws std::runtime_error when the keys cannot be made or sshd does not start listening
  // within 10 s.
  SshdPeer();

  int port() const { return port_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& user() const { return user_; }
  std::string folder() const { return dir_.str(); }

  // The authorised user key (OpenSSH ed25519 format), and one the server does not know.
  const std::string& user_key() const { return user_key_; }
  const std::string& unknown_key() const { return unknown_key_; }
  // An authorised ECDSA key in PEM format encrypted with passphrase().
  const std::string& encrypted_key() const { return encrypted_key_; }
  static std::string passphrase() { return "correct horse"; }

  // The server's host key: its .pub line and SHA256 fingerprint; and another host's key.
  const std::string& host_public_key() const { return host_public_key_; }
  const std::string& host_fingerprint() const { return host_fingerprint_; }
  const std::string& other_host_public_key() const { return other_host_public_key_; }

  std::string log() const { return sshd_->log(); }  // what sshd logged, for failure messages

 private:
  TempDir dir_;
  int port_ = 0;
  std::string user_;
  std::string user_key_, unknown_key_, encrypted_key_;
  std::string host_public_key_, host_fingerprint_, other_host_public_key_;
  std::unique_ptr<PeerProcess> sshd_;
};

}  // namespace utask::testing

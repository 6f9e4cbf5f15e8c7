#include "support/sshd_peer.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace utask::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

SshdPeer::SshdPeer() {
  const std::string d = dir_.str();
  const passwd* pw = ::getpwuid(::geteuid());
  if (pw == nullptr) throw std::runtime_error("no passwd entry for the current user");
  user_ = pw->pw_name;

  run_shell("ssh-keygen -q -t ed25519 -N '' -C host -f " + d + "/host_key");
  run_shell("ssh-keygen -q -t ed25519 -N '' -C other-host -f " + d + "/other_host_key");
  run_shell("ssh-keygen -q -t ed25519 -N '' -C user -f " + d + "/user_key");
  run_shell("ssh-keygen -q -t ed25519 -N '' -C unknown -f " + d + "/unknown_key");
  run_shell("ssh-keygen -q -t ecdsa -b 256 -m PEM -N '" + passphrase() + "' -C encrypted -f " + d + "/encrypted_key");
  user_key_ = read_file(d + "/user_key");
  unknown_key_ = read_file(d + "/unknown_key");
  encrypted_key_ = read_file(d + "/encrypted_key");
  host_public_key_ = trimmed(read_file(d + "/host_key.pub"));
  other_host_public_key_ = trimmed(read_file(d + "/other_host_key.pub"));
  // "256 SHA256:xxxx host (ED25519)"
  std::istringstream fingerprint(run_shell("ssh-keygen -l -E sha256 -f " + d + "/host_key.pub"));
  std::string bits;
  fingerprint >> bits >> host_fingerprint_;
  dir_.write("authorized_keys", read_file(d + "/user_key.pub") + read_file(d + "/encrypted_key.pub"));
  ::chmod((d + "/authorized_keys").c_str(), 0600);

  port_ = free_loopback_port();
  const std::string config = dir_.write(
      "sshd_config",
      "ListenAddress 127.0.0.1:" + std::to_string(port_) + "\n"
      "HostKey " + d + "/host_key\n"
      "PidFile none\n"
      "AuthorizedKeysFile " + d + "/authorized_keys\n"
      "StrictModes no\n"
      "UsePAM no\n"
      "PubkeyAuthentication yes\n"
      "PasswordAuthentication no\n"
      "KbdInteractiveAuthentication no\n"
      "PermitRootLogin prohibit-password\n"
      "AllowUsers " + user_ + "\n");
  // Privilege separation needs this folder when sshd runs as root.
  std::error_code ec;
  if (::geteuid() == 0) std::filesystem::create_directories("/run/sshd", ec);
  sshd_ = std::make_unique<PeerProcess>(
      std::vector<std::string>{"/usr/sbin/sshd", "-D", "-e", "-f", config}, "Server listening");
}

}  // namespace utask::testing

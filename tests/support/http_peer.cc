#include "support/http_peer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

extern char** environ;

namespace utask::testing {
namespace {

const char* const kScript = UTASK_SOURCE_DIR "/tests/support/http_peer.py";
constexpr int kStartupMillis = 15000;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Spawns python3 with stdout on a pipe and stderr in `log`; returns the pid and the read end.
std::pair<pid_t, int> spawn(const std::vector<std::string>& args, const std::string& log) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    throw std::runtime_error("cannot start " + args[0]);
  }
  return {pid, fds[0]};
}

// Reads the "port N" line within the start-up bound; 0 when it does not come.
int read_port(int fd) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kStartupMillis);
  while (line.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return 0;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return 0;
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return 0;
    line.append(buf, static_cast<size_t>(n));
  }
  int port = 0;
  return std::sscanf(line.c_str(), "port %d", &port) == 1 ? port : 0;
}

HeaderList header_list(const nlohmann::json& pairs) {
  HeaderList out;
  for (const auto& p : pairs) out.emplace_back(p.at(0).get<std::string>(), p.at(1).get<std::string>());
  return out;
}

}  // namespace

struct HttpPeer::Routes {
  std::mutex mutex;
  nlohmann::json table = nlohmann::json::object();
  long long generation = 0;
};

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  }
  return std::nullopt;
}

HttpPeer::HttpPeer(HttpPeerOptions options) : options_(std::move(options)), routes_(std::make_unique<Routes>()) {
  if (options_.require_client_cert) options_.tls = true;
  std::vector<std::string> args = {"/usr/bin/python3", kScript, dir_.str()};
  if (options_.tls) {
    std::filesystem::create_directories(dir_.path() / "pki");
    pki_ = make_test_pki((dir_.path() / "pki").string());
    args.insert(args.end(), {"--cert", pki_.server_cert, "--key", pki_.server_key});
    if (options_.require_client_cert) args.insert(args.end(), {"--client-ca", pki_.ca_cert});
  }
  write_routes();
  auto [pid, fd] = spawn(args, (dir_.path() / "peer.log").string());
  pid_ = pid;
  port_ = read_port(fd);
  close(fd);
  if (port_ == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    throw std::runtime_error("the HTTP test peer did not start: " + read_file(dir_.path() / "peer.log"));
  }
}

HttpPeer::~HttpPeer() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string HttpPeer::base_url() const {
  return std::string(options_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void HttpPeer::on(const std::string& method, const std::string& path, PeerResponse response) {
  on(method, path, std::vector<PeerResponse>{std::move(response)});
}

void HttpPeer::on(const std::string& method, const std::string& path, std::vector<PeerResponse> responses) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : responses) {
    nlohmann::json headers = nlohmann::json::array();
    for (const auto& [k, v] : r.headers) headers.push_back({k, v});
    list.push_back({{"status", r.status}, {"headers", headers}, {"body", r.body}, {"delay_ms", r.delay.count()}});
  }
  {
    std::lock_guard lock(routes_->mutex);
    routes_->table[method + " " + path] = {{"generation", ++routes_->generation}, {"responses", list}};
  }
  write_routes();
}

void HttpPeer::write_routes() const {
  std::lock_guard lock(routes_->mutex);
  nlohmann::json doc = routes_->table;
  if (options_.ovh) {
    const auto& o = *options_.ovh;
    doc["ovh"] = {{"application_secret", o.application_secret}, {"consumer_key", o.consumer_key}};
    if (!o.application_key.empty()) doc["ovh"]["application_key"] = o.application_key;
    if (o.time) doc["ovh"]["time"] = *o.time;
  }
  // Atomic replacement: the peer re-reads the file on every request.
  const auto tmp = dir_.path() / "routes.json.tmp";
  std::ofstream(tmp, std::ios::binary) << doc.dump();
  std::filesystem::rename(tmp, dir_.path() / "routes.json");
}

std::vector<RecordedRequest> HttpPeer::requests() const {
  std::vector<RecordedRequest> out;
  std::ifstream in(dir_.path() / "requests.jsonl", std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;  // a line being written
    RecordedRequest r;
    r.method = j.value("method", "");
    r.path = j.value("path", "");
    r.query = j.value("query", "");
    r.headers = header_list(j.value("headers", nlohmann::json::array()));
    r.body = j.value("body", "");
    r.client_cert_subject = j.value("client_cert_subject", "");
    if (j.contains("signature_valid")) r.signature_valid = j["signature_valid"].get<bool>();
    r.signed_url = j.value("signed_url", "");
    out.push_back(std::move(r));
  }
  return out;
}

int unused_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) close(fd);
    throw std::runtime_error("cannot bind a loopback port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace utask::testing

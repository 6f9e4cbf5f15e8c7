#include "actions/ping/icmp_echo.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <utility>

namespace utask::actions::ping {
namespace {

using Clock = std::chrono::steady_clock;

// Owns a descriptor; moves hand it over (a copy would close it twice).
struct Fd {
  int fd = -1;
  Fd() = default;
  Fd(Fd&& other) noexcept : fd(std::exchange(other.fd, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    std::swap(fd, other.fd);
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

struct Target {
  sockaddr_storage addr{};
  socklen_t len = 0;
  int family = AF_INET;
  std::string text;
};

Result<Target> resolve(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0 || !found) {
    return Error::not_found("can't resolve " + host + ": " + ::gai_strerror(rc));
  }
  // IPv4 first, as the original's default network "ip4:icmp" when both exist.
  const addrinfo* pick = found;
  for (auto* a = found; a; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      pick = a;
      break;
    }
  }
  Target t;
  std::memcpy(&t.addr, pick->ai_addr, pick->ai_addrlen);
  t.len = pick->ai_addrlen;
  t.family = pick->ai_family;
  char text[INET6_ADDRSTRLEN] = {};
  const void* raw = t.family == AF_INET
                        ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&t.addr)->sin_addr)
                        : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&t.addr)->sin6_addr);
  ::inet_ntop(t.family, raw, text, sizeof text);
  t.text = text;
  ::freeaddrinfo(found);
  return t;
}

uint16_t checksum(const uint8_t* data, size_t size) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < size; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (size % 2) sum += data[size - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return htons(static_cast<uint16_t>(~sum));
}

// An echo request: type, code, checksum, identifier, sequence, then 8 bytes of send time.
std::vector<uint8_t> echo_request(int family, uint16_t id, uint16_t seq) {
  std::vector<uint8_t> p(16, 0);
  p[0] = family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
  p[4] = id >> 8;
  p[5] = id & 0xff;
  p[6] = seq >> 8;
  p[7] = seq & 0xff;
  const uint64_t stamp = Clock::now().time_since_epoch().count();
  std::memcpy(p.data() + 8, &stamp, sizeof stamp);
  if (family == AF_INET) {
    const uint16_t c = checksum(p.data(), p.size());
    std::memcpy(p.data() + 2, &c, 2);
  }  // ICMPv6: the kernel computes it (pseudo-header)
  return p;
}

struct Socket {
  Fd fd;
  bool raw = false;
};

Result<Socket> open_socket(int family) {
  const int proto = family == AF_INET ? int{IPPROTO_ICMP} : int{IPPROTO_ICMPV6};
  Socket s;
  s.fd.fd = ::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, proto);
  if (s.fd.fd >= 0) return Result<Socket>(std::move(s));
  const int dgram_errno = errno;
  s.fd.fd = ::socket(family, SOCK_RAW | SOCK_CLOEXEC, proto);
  if (s.fd.fd >= 0) {
    s.raw = true;
    return Result<Socket>(std::move(s));
  }
  return Error::internal(std::string("can't open an ICMP socket (datagram: ") +
                         std::strerror(dgram_errno) + "; raw: " + std::strerror(errno) +
                         "): allow the group in net.ipv4.ping_group_range or grant CAP_NET_RAW");
}

struct Reply {
  uint16_t id = 0;
  uint16_t seq = 0;
};

// Parses one received datagram; false when it is not an echo reply.
bool parse_reply(const uint8_t* data, size_t size, int family, bool raw, Reply& out) {
  if (family == AF_INET && raw) {
    if (size < sizeof(iphdr)) return false;
    const size_t header = (data[0] & 0x0f) * 4;
    if (size < header) return false;
    data += header;
    size -= header;
  }
  if (size < 8) return false;
  const uint8_t reply_type = family == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY;
  if (data[0] != reply_type) return false;
  out.id = static_cast<uint16_t>((data[4] << 8) | data[5]);
  out.seq = static_cast<uint16_t>((data[6] << 8) | data[7]);
  return true;
}

bool is_cancelled(const EchoSpec& spec) { return spec.cancelled && spec.cancelled->load(); }

}  // namespace

bool unprivileged_ping_allowed() {
  std::ifstream in("/proc/sys/net/ipv4/ping_group_range");
  long low = 1, high = 0;
  if (!(in >> low >> high)) return false;
  const long gid = static_cast<long>(::getgid());
  return low <= gid && gid <= high;
}

Result<EchoStats> run_echo(const EchoSpec& spec) {
  auto target = resolve(spec.host);
  if (!target) return target.error();
  auto sock = open_socket(target->family);
  if (!sock) return sock.error();

  EchoStats stats;
  stats.ip_addr = target->text;
  // Datagram sockets get their identifier from the kernel (the socket's port) and only see
  // their own replies; raw sockets see every reply and filter on ours.
  std::random_device rd;
  const uint16_t id = static_cast<uint16_t>(rd());
  const uint64_t count = spec.count == 0 ? 1 : spec.count;
  std::vector<Clock::time_point> sent_at;
  std::vector<bool> answered;

  const auto start = Clock::now();
  auto next_send = start;
  Clock::time_point deadline = Clock::time_point::max();
  while (stats.received < count) {
    if (is_cancelled(spec)) {
      stats.interrupted = true;
      break;
    }
    auto now = Clock::now();
    if (stats.sent < count && now >= next_send) {
      const auto seq = static_cast<uint16_t>(stats.sent);
      auto packet = echo_request(target->family, id, seq);
      sent_at.push_back(Clock::now());
      answered.push_back(false);
      // A refused send (no route…) is a lost packet, as the original ignores its library's errors.
      (void)::sendto(sock->fd.fd, packet.data(), packet.size(), 0,
                     reinterpret_cast<const sockaddr*>(&target->addr), target->len);
      ++stats.sent;
      next_send += spec.interval;
      if (stats.sent == count) deadline = Clock::now() + spec.linger;
      continue;
    }
    if (now >= deadline) break;
    auto until = stats.sent < count ? next_send : deadline;
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
    wait = std::clamp(wait, std::chrono::milliseconds(1), std::chrono::milliseconds(100));
    pollfd p{sock->fd.fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) continue;
    uint8_t buf[2048];
    const ssize_t n = ::recv(sock->fd.fd, buf, sizeof buf, 0);
    if (n <= 0) continue;
    const auto arrived = Clock::now();
    Reply reply;
    if (!parse_reply(buf, static_cast<size_t>(n), target->family, sock->raw, reply)) continue;
    if (sock->raw && reply.id != id) continue;
    if (reply.seq >= sent_at.size() || answered[reply.seq]) continue;
    answered[reply.seq] = true;
    ++stats.received;
    stats.rtts.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(arrived - sent_at[reply.seq]));
  }
  return stats;
}

}  // namespace utask::actions::ping

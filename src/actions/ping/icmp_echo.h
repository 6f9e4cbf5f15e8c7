#pragma once
// ICMP echo for `ping` (actions.md §13): resolves a host, sends echo requests at an interval
// and collects the replies' round-trip times. Prefers the unprivileged ICMP datagram socket
// (SOCK_DGRAM + IPPROTO_ICMP/ICMPV6, allowed when the process's group is inside
// net.ipv4.ping_group_range) and falls back to a raw socket (root or CAP_NET_RAW).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "model/error.h"

namespace utask::actions::ping {

struct EchoSpec {
  std::string host;  // name or IP (v4 or v6)
  uint64_t count = 1;
  std::chrono::milliseconds interval{1000};
  // After the last request is sent, how long replies are still awaited. The original waited
  // forever for a lost packet (DECISIONS.md: bounded).
  std::chrono::milliseconds linger{5000};
  const std::atomic<bool>* cancelled = nullptr;  // polled every 100 ms
};

struct EchoStats {
  std::string ip_addr;  // the resolved address
  uint64_t sent = 0;
  uint64_t received = 0;
  std::vector<std::chrono::nanoseconds> rtts;  // in arrival order
  bool interrupted = false;                    // `cancelled` was set
};

// Errors: not_found `can't resolve <host>: <reason>` (no address); internal when no ICMP
// socket can be opened (neither allowed by ping_group_range nor privileged). A request the
// network refuses to send counts as sent and lost, as with the original.
Result<EchoStats> run_echo(const EchoSpec& spec);

// Whether the kernel lets this process's group open ICMP datagram sockets
// (/proc/sys/net/ipv4/ping_group_range contains its gid).
bool unprivileged_ping_allowed();

}  // namespace utask::actions::ping

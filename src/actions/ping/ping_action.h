#pragma once
// `ping` (actions.md §13): ICMP echo to a host — `count` requests every `interval_second`
// seconds — returning the statistics (durations in nanoseconds) and the configuration as
// metadata. Bounded: replies are awaited at most 5 s after the last request (the original
// could wait forever, DECISIONS.md).

#include <chrono>

#include "actions/action.h"

namespace utask::actions {

class PingAction final : public Action {
 public:
  // `linger`: how long replies are awaited after the last request (tests shorten it).
  explicit PingAction(std::chrono::milliseconds linger = std::chrono::seconds(5)) : linger_(linger) {}
  std::string_view name() const override { return "ping"; }
  std::string_view version() const override { return "0.1"; }

  // `hostname` (string, required: `hostname is missing`), `count` and `interval_second`
  // (strings holding an unsigned decimal: `can't parse count field "<v>": strconv.ParseUint:
  // parsing "<v>": invalid syntax`); templated values are checked after rendering.
  Result<void> validate(const Json& base, const Json& configuration) const override;
  // `socket` and `url:<hostname>`.
  std::vector<std::string> resources(const Json& configuration) const override;
  // Output {packets_received, packets_sent, packet_loss (percent), ip_addr, rtts, min_rtt,
  // max_rtt, avg_rtt, std_dev_rtt}; metadata = the configuration. A host that does not
  // resolve, or no ICMP socket, is a server error `can't initiate ping: <reason>`; lost
  // replies are not an error (the loss says it). Cancelled → not provisioned `interrupted`.
  ActionResult execute(const ExecutionRequest& request) const override;

 private:
  std::chrono::milliseconds linger_;
};

}  // namespace utask::actions

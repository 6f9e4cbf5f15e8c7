#pragma once
// `ssh` (actions.md §9): runs a shell script on a remote host (directly or through bastion
// hops) with public-key authentication, and turns what it prints into the step's output
// (§10 output modes, auto-result by default), its exit status into the step's error
// (`exit_codes_unrecoverable` → client error) and the run into metadata {output, exit_code,
// exit_signal, exit_msg}. Our addition: `host_key` pins the key of the host dialled.
//
// Load-time checks skip any string holding "{{" (actions.md §1.4 "Recommended"); the same
// checks run again after rendering and fail the step as a client error. The key, passphrase
// and script never reach logs.

#include <chrono>

#include "actions/action.h"

namespace utask::actions {

class SshAction final : public Action {
 public:
  // `connect_timeout` bounds TCP connection, handshake and authentication (the original's
  // 10 s; tests shorten it).
  explicit SshAction(std::chrono::nanoseconds connect_timeout = std::chrono::seconds(10))
      : connect_timeout_(connect_timeout) {}

  std::string_view name() const override { return "ssh"; }
  std::string_view version() const override { return "0.2"; }

  Result<void> validate(const Json& base, const Json& configuration) const override;
  // `socket`, `url:<target>` and `url:<hop>` for each hop.
  std::vector<std::string> resources(const Json& configuration) const override;
  ActionResult execute(const ExecutionRequest& request) const override;

 private:
  const std::chrono::nanoseconds connect_timeout_;
};

}  // namespace utask::actions

#pragma once
// `email` (actions.md §12): sends one e-mail over SMTP (implicit TLS on port 465, otherwise
// opportunistic STARTTLS), with optional authentication, and returns what it sent as output
// {from_address, from_name, to, subject, body}; no metadata. Any delivery failure is a server
// error `can't send email: <reason>`.
//
// Load-time checks skip any string holding "{{" (actions.md §1.4 "Recommended"); the same
// checks run again after rendering and fail the step as a client error. The password never
// reaches logs.

#include <chrono>
#include <string>

#include "actions/action.h"

namespace utask::actions {

struct EmailOptions {
  // Connection timeout and deadline of the whole session (the original's 10 s).
  std::chrono::milliseconds timeout{10000};
  // Trust store for the server's certificate; "" = the system's. Tests give their own CA.
  std::string ca_file;
};

class EmailAction final : public Action {
 public:
  explicit EmailAction(EmailOptions options = {}) : options_(std::move(options)) {}

  std::string_view name() const override { return "email"; }
  std::string_view version() const override { return "0.2"; }

  Result<void> validate(const Json& base, const Json& configuration) const override;
  // `socket`, `url:<smtp_hostname>`.
  std::vector<std::string> resources(const Json& configuration) const override;
  ActionResult execute(const ExecutionRequest& request) const override;

 private:
  const EmailOptions options_;
};

}  // namespace utask::actions

#pragma once
// One SMTP delivery with libcurl, the way the original's mail library connects (actions.md
// §12): port 465 is implicit TLS, any other port plain with opportunistic STARTTLS; the
// hostname is the TLS server name; authentication only with a username and when the server
// offers AUTH (CRAM-MD5, LOGIN or PLAIN). Ours: credentials are never sent unencrypted to a
// host other than localhost/127.0.0.1/::1 (STARTTLS is then required).
//
// Thread safety: send_smtp is reentrant (one curl handle per call).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace utask::actions {

struct SmtpDelivery {
  std::string hostname;
  uint16_t port = 25;
  std::string username;  // "" = no authentication
  std::string password;  // secret
  bool skip_tls_verify = false;
  std::string ca_file;   // "" = the system's trust store (tests give their own CA)
  std::string envelope_from;
  std::vector<std::string> envelope_to;
  std::string message;  // the whole RFC 5322 text
  std::chrono::milliseconds timeout{10000};  // connection, and the whole session
  const std::atomic<bool>* cancelled = nullptr;
};

struct SmtpOutcome {
  bool cancelled = false;
  std::string error;  // "" when delivered
};

SmtpOutcome send_smtp(const SmtpDelivery& delivery);

}  // namespace utask::actions

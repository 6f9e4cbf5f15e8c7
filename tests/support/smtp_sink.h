#pragma once
// A real SMTP server for the tests of the `email` action: Debian's aiosmtpd (run with
// /usr/bin/python3) on 127.0.0.1 and a free port, storing every message it accepts in a file
// the test reads back. Variants: authentication (LOGIN/PLAIN with one user), STARTTLS, and
// implicit TLS, with a self-signed certificate for localhost/127.0.0.1 made by openssl at
// start.
//
// Thread safety: one instance per test; messages() may be called from any thread.

#include <memory>
#include <string>
#include <vector>

#include "support/peer_process.h"
#include "support/temp_dir.h"

namespace utask::testing {

struct SmtpSinkOptions {
  std::string username;  // "" = no authentication; else AUTH is required
  std::string password;
  bool starttls = false;      // offers STARTTLS
  bool implicit_tls = false;  // TLS from the first byte
  int port = 0;               // 0 = a free one
};

struct ReceivedMail {
  // JSON text {"from": ..., "to": [...], "tls": bool, "authenticated": bool}.
  std::string envelope;
  std::string content;  // the message as received (CRLF line ends)
};

class SmtpSink {
 public:
  // Throws std::runtime_error when the sink does not start within 10 s.
  explicit SmtpSink(SmtpSinkOptions options = {});

  int port() const { return port_; }
  // The certificate the TLS variants present (a CA file for the client); "" without TLS.
  const std::string& certificate_file() const { return certificate_; }
  // Messages accepted so far, in arrival order.
  std::vector<ReceivedMail> messages() const;
  std::string log() const { return server_->log(); }

 private:
  TempDir dir_;
  int port_ = 0;
  std::string certificate_;
  std::unique_ptr<PeerProcess> server_;
};

}  // namespace utask::testing

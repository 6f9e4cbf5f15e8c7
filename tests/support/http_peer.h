#pragma once
// HttpPeer: a real HTTP/1.1 server on 127.0.0.1 for tests of whatever speaks HTTP (http,
// apiovh, notify, callback...). It is tests/support/http_peer.py run by /usr/bin/python3 in a
// child process, on a free port, plain or TLS.
//
//   utask::testing::HttpPeer peer;                       // plain HTTP
//   peer.on("GET", "/users/1", {200, {{"Content-Type", "application/json"}}, R"({"id":1})"});
//   ... call peer.url("/users/1") ...
//   auto requests = peer.requests();                    // what the peer received, in order
//
//   HttpPeerOptions tls;  tls.tls = true;  tls.require_client_cert = true;
//   HttpPeer secure(tls);  // https://127.0.0.1:port, certificates in secure.pki()
//
// Contracts:
// - The constructor returns once the peer accepts connections (bounded: throws
//   std::runtime_error after 15 s, or when python3 or openssl fail). The destructor kills the
//   process and removes its files.
// - Scripted responses are keyed by method + path (without query). The n-th request of a key
//   gets the n-th response of its list, the last one repeats; calling on() again for a key
//   starts its list over. An unscripted key gets 404 with body "no route for METHOD PATH".
// - A request is recorded before its response is sent: once a client has its response,
//   requests() lists that request. The delay of a response runs after the recording.
// - TLS: the server certificate is issued by a CA made for this peer (pki().ca_cert) for
//   127.0.0.1 and localhost; with require_client_cert the handshake fails unless the client
//   presents a certificate of that CA (pki().client_cert / client_key).
// - OVH mode (options.ovh): GET <any prefix>/auth/time answers the Unix time (or ovh->time);
//   every other request must carry X-Ovh-Consumer and X-Ovh-Signature computed (in the script,
//   with Python's hashlib) as `$1$` + SHA1 hex of
//   secret+consumer key+METHOD+URL+body+timestamp joined with "+", URL being
//   scheme://Host-header/path?query as received; a mismatch gets 400 {"errorCode":
//   "INVALID_SIGNATURE", ...} instead of the scripted response. RecordedRequest::
//   signature_valid tells which.
//
// Thread safety: on() and requests() may be called from any thread, also while requests are
// being served.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/temp_dir.h"
#include "support/test_pki.h"

namespace utask::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct PeerResponse {
  int status = 200;
  HeaderList headers;  // sent as given, in order (Content-Length is added)
  std::string body;
  std::chrono::milliseconds delay{0};  // before the status line is sent
};

struct RecordedRequest {
  std::string method;
  std::string path;   // without query
  std::string query;  // raw, without '?'
  HeaderList headers;
  std::string body;
  std::string client_cert_subject;  // e.g. "commonName=utask-test-client"; empty without mTLS
  std::optional<bool> signature_valid;  // OVH mode only
  std::string signed_url;               // OVH mode: the URL the signature was checked against

  // The first value of a header (case-insensitive name); nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
};

struct OvhCheck {
  std::string application_key;  // X-Ovh-Application must equal it when non-empty
  std::string application_secret;
  std::string consumer_key;
  std::optional<long long> time;  // what /auth/time answers; nullopt: the peer's clock
};

struct HttpPeerOptions {
  bool tls = false;
  bool require_client_cert = false;  // implies tls
  std::optional<OvhCheck> ovh;
};

class HttpPeer {
 public:
  explicit HttpPeer(HttpPeerOptions options = {});
  ~HttpPeer();
  HttpPeer(const HttpPeer&) = delete;
  HttpPeer& operator=(const HttpPeer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT", no trailing slash.
  std::string base_url() const;
  std::string url(std::string_view path) const { return base_url() + std::string(path); }
  // Files of the TLS peer's PKI; the paths are empty for a plain peer.
  const TestPki& pki() const { return pki_; }

  void on(const std::string& method, const std::string& path, PeerResponse response);
  void on(const std::string& method, const std::string& path, std::vector<PeerResponse> responses);
  // Every request received so far, in arrival order.
  std::vector<RecordedRequest> requests() const;

 private:
  struct Routes;
  void write_routes() const;

  TempDir dir_;
  HttpPeerOptions options_;
  TestPki pki_;
  int pid_ = -1;
  int port_ = 0;
  std::unique_ptr<Routes> routes_;  // guarded by its own mutex
};

// A loopback TCP port nothing listens on right now (bound then released): for
// "connection refused" tests.
int unused_loopback_port();

}  // namespace utask::testing

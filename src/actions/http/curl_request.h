#pragma once
// One HTTP exchange over libcurl, shared by the actions that speak HTTP (http, apiovh, notify,
// callback tests); TlsOptions and check_tls_options suit libcurl's other protocols too (email's
// SMTP). It hides libcurl: callers describe the request and get the final response or a
// transport error.
//
// Contracts:
// - Only http:// and https:// URLs (also on redirects); anything else is a transport error
//   `unsupported protocol scheme "<scheme>"`.
// - Redirects are followed here, not by libcurl, with the rules of Go's net/http client that
//   the original relies on: at most `max_redirects` hops (then `stopped after N redirects`),
//   301/302/303 turn the method into GET without body (HEAD stays HEAD), 307/308 keep method
//   and body, Authorization / Cookie / WWW-Authenticate headers are dropped when the host
//   changes. Without follow_redirects the first 3xx is the response.
// - `timeout` bounds the whole exchange, redirects included (zero: none).
// - The response body is decoded from gzip/deflate transparently unless the caller set its
//   own Accept-Encoding header. libcurl's default headers that Go's client does not send
//   (Accept, Expect, a form Content-Type) are removed.
// - Secrets (headers, credentials, keys) are never logged.
//
// Thread safety: perform() is reentrant; the process-wide libcurl initialisation runs once.

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "model/error.h"

namespace utask::actions {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct TlsOptions {
  bool insecure_skip_verify = false;  // no chain nor host name check
  std::string root_ca_pem;            // extra trusted roots (PEM bundle) over the system store
  std::string client_cert_pem;        // mutual TLS: chain, leaf first
  std::string client_key_pem;
};

struct HttpCredentials {
  std::string user;
  std::string password;
};

struct CurlRequest {
  std::string method = "GET";  // sent as given
  std::string url;
  HttpHeaders headers;         // set in order; a later one with the same name replaces
  std::string body;            // sent when non-empty (any method)
  std::chrono::nanoseconds timeout{0};
  bool follow_redirects = false;
  int max_redirects = 10;
  TlsOptions tls;
  // HTTP Digest: the request goes once without credentials and is answered to the 401
  // challenge by libcurl (MD5, SHA-256, -sess variants, qop auth, userhash).
  std::optional<HttpCredentials> digest;
  // Polled during the exchange: when it becomes true the transfer stops with
  // CurlError::interrupted.
  const std::atomic<bool>* cancelled = nullptr;
};

struct CurlResponse {
  long status = 0;
  HttpHeaders headers;  // of the final response, names as received, in order
  std::string body;
  std::string url;  // the final URL (after redirects)
};

// Why no response came.
enum class CurlFailure {
  transport,    // DNS, connect, TLS, timeout, protocol, too many redirects
  bad_tls,      // a TLS option that cannot be used (PEM that does not parse)
  interrupted,  // `cancelled` became true
};

struct CurlError {
  CurlFailure failure = CurlFailure::transport;
  std::string message;  // e.g. `Get "http://...": Connection refused`, without secrets
};

// The exchange; never throws.
std::variant<CurlResponse, CurlError> perform_http(const CurlRequest& request);

// Checks a TLS option set without sending anything: the PEM texts must parse. Messages:
// `failed to parse x509 mTLS certificate or key: <reason>`,
// `WithTLSRootCA: failed to add a certificate to the cert pool`.
std::optional<CurlError> check_tls_options(const TlsOptions& tls);

// The value of an Authorization header for HTTP Basic: "Basic " + base64(user:password).
std::string basic_authorization(std::string_view user, std::string_view password);

// Go's textproto.CanonicalMIMEHeaderKey: `content-type` → `Content-Type`; a name holding a
// byte that is not a token character is returned unchanged.
std::string canonical_header_name(std::string_view name);

}  // namespace utask::actions

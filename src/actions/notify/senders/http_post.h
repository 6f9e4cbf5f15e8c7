#pragma once
// The one HTTP call every notification backend makes: a POST with a body, headers and a
// timeout (libcurl). Internal to the senders.

#include <chrono>
#include <map>
#include <string>

#include "model/error.h"

namespace utask::actions::notify {

struct HttpPost {
  std::string url;
  std::string body;
  std::map<std::string, std::string> headers;  // name → value, sent as given
  std::string basic_user;                      // with basic_password: HTTP Basic auth
  std::string basic_password;
  std::chrono::milliseconds timeout{10000};
  std::string ca_file;  // extra trust for HTTPS peers (tests); empty: system store
};

struct HttpAnswer {
  long status = 0;
  std::string body;
};

// Performs the POST. Errors: transient `<what>: <curl error>` when no HTTP answer came back
// (refused, unresolvable, timed out, TLS failure). The URL never appears in the message: a
// Slack webhook URL is a secret.
Result<HttpAnswer> http_post(const HttpPost& request, const std::string& what);

// The status class as an error: success for 2xx; invalid_input for 4xx; transient otherwise.
// `what` names the backend; the body is quoted (truncated) so the peer's reason is kept.
Result<void> check_status(const HttpAnswer& answer, const std::string& what);

}  // namespace utask::actions::notify

#pragma once
// The configuration of `http` (actions.md §3), decoded from base configuration +
// configuration, and its rules. Shared by load-time validation (values holding "{{" deferred)
// and execution (everything checked again on the rendered values).

#include <chrono>
#include <optional>
#include <string>

#include "actions/http/curl_request.h"
#include "actions/http/http_target.h"
#include "model/error.h"
#include "model/json.h"

namespace utask::actions {

struct HttpConfig {
  std::string url;
  std::string host;
  std::string path;
  std::string method;
  std::string body;
  HttpHeaders headers;
  QueryParameters query_parameters;
  std::string timeout;  // Go duration text; "" = 30s
  std::optional<HttpCredentials> basic;
  std::optional<HttpCredentials> digest;
  std::optional<std::string> bearer;
  std::optional<std::pair<std::string, std::string>> mutual_tls;  // client_cert, client_key PEM
  std::string root_ca;
  std::string follow_redirect;       // boolean text; "" = false
  std::string insecure_skip_verify;  // boolean text; "" = false
  std::string trim_prefix;
};

inline constexpr std::chrono::seconds kDefaultHttpTimeout{30};

// Decoding errors use the original's texts (`failed to unmarshal configuration: json: cannot
// unmarshal number into Go struct field Config.method of type string`). `auth` merges key by
// key (and each of its objects field by field); the lists are replaced.
Result<HttpConfig> decode_http_config(const Json& base, const Json& configuration);

// The load-time rules (messages of actions.md §3 "Validation"). With `defer_templates`, a
// method written as a template, and timeout / follow_redirect / insecure_skip_verify holding
// "{{", are skipped; without it every value is checked (execution, on rendered values).
Result<void> check_http_config(const HttpConfig& config, bool defer_templates);

// What the strings of a checked configuration stand for.
struct HttpSettings {
  std::chrono::nanoseconds timeout = kDefaultHttpTimeout;  // zero: none
  bool follow_redirect = false;
  bool insecure_skip_verify = false;
};

// `failed to parse timeout: <reason>`, `failed to parse follow_redirect: strconv.ParseBool:
// parsing "<v>": invalid syntax`, `failed to parse insecure_skip_verify: ...`.
Result<HttpSettings> http_settings(const HttpConfig& config);

// Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False.
std::optional<bool> parse_go_bool(std::string_view text);

}  // namespace utask::actions

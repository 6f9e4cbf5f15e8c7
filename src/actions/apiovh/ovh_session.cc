#include "actions/apiovh/ovh_session.h"

#include <cmath>

#include "actions/http/curl_request.h"
#include "actions/http/http_target.h"
#include "model/json.h"

namespace utask::actions {
namespace {

constexpr std::chrono::seconds kCallTimeout{180};

double unix_now() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

Result<CurlResponse> call(const CurlRequest& request) {
  auto outcome = perform_http(request);
  if (auto* failed = std::get_if<CurlError>(&outcome)) {
    return Error{ErrorCode::transient, failed->message, {}};
  }
  auto& response = std::get<CurlResponse>(outcome);
  if (response.status < 200 || response.status >= 300) {
    return Error{ErrorCode::transient, std::to_string(response.status) + ": " + response.body, {}};
  }
  return std::move(response);
}

}  // namespace

Result<long long> OvhSessions::timestamp(const OvhClient& client, const std::atomic<bool>* cancelled) {
  const std::string& base = client.endpoint.base_url;
  std::optional<double> delta;
  {
    std::lock_guard lock(mutex_);
    if (auto it = deltas_.find(base); it != deltas_.end()) delta = it->second;
  }
  if (!delta) {
    CurlRequest request;
    request.url = base + "/auth/time";
    request.headers = {{"Accept", "application/json"},
                       {"X-Ovh-Application", client.credentials.app_key},
                       {"User-Agent", "github.com/ovh/go-ovh"}};
    request.timeout = kCallTimeout;
    request.cancelled = cancelled;
    auto response = call(request);
    if (!response) return response.error();
    auto server = parse_json(response->body);
    if (!server || !server->is_number_integer()) {
      return Error{ErrorCode::transient, "invalid /auth/time answer: " + response->body, {}};
    }
    delta = unix_now() - static_cast<double>(server->get<long long>());
    std::lock_guard lock(mutex_);
    deltas_[base] = *delta;
  }
  return static_cast<long long>(std::floor(unix_now() - *delta));
}

void OvhSessions::forget_time(const std::string& base_url) {
  std::lock_guard lock(mutex_);
  deltas_.erase(base_url);
}

Result<std::string> OvhSessions::access_token(const OvhClient& client, const std::atomic<bool>* cancelled) {
  const auto& c = client.credentials;
  const std::string key = client.endpoint.token_url + "\n" + c.client_id;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (auto it = tokens_.find(key); it != tokens_.end() && it->second.expires > now) return it->second.value;
  }
  const std::string prefix = "failed to retrieve OAuth2 Access Token: ";
  CurlRequest request;
  request.method = "POST";
  request.url = client.endpoint.token_url;
  request.body = "grant_type=client_credentials&scope=all";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     // RFC 6749 §2.3.1: id and secret form-encoded, then HTTP Basic.
                     {"Authorization", basic_authorization(query_escape(c.client_id), query_escape(c.client_secret))}};
  request.timeout = kCallTimeout;
  request.cancelled = cancelled;
  auto response = call(request);
  if (!response) return Error{ErrorCode::transient, prefix + response.error().message, {}};
  auto body = parse_json(response->body);
  if (!body || !body->is_object() || !body->contains("access_token") || !(*body)["access_token"].is_string()) {
    return Error{ErrorCode::transient, prefix + "server response missing access_token", {}};
  }
  Token token{(*body)["access_token"].get<std::string>(), now + std::chrono::hours(24 * 365)};
  if (auto it = body->find("expires_in"); it != body->end() && it->is_number()) {
    token.expires = now + std::chrono::seconds(static_cast<long long>(it->get<double>())) - std::chrono::seconds(10);
  }
  std::lock_guard lock(mutex_);
  tokens_[key] = token;
  return token.value;
}

}  // namespace utask::actions

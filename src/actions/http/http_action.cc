#include "actions/http/http_action.h"

#include "actions/http/curl_request.h"
#include "actions/http/http_config.h"
#include "actions/http/http_response.h"
#include "actions/http/http_target.h"

namespace utask::actions {
namespace {

bool has_header(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (canonical_header_name(k) == canonical_header_name(name)) return true;
  }
  return false;
}

}  // namespace

Result<void> HttpAction::validate(const Json& base, const Json& configuration) const {
  auto config = decode_http_config(base, configuration);
  if (!config) return config.error();
  return check_http_config(*config, true);
}

std::vector<std::string> HttpAction::resources(const Json& configuration) const {
  std::vector<std::string> out = {"socket"};
  auto config = decode_http_config(nullptr, configuration);
  if (!config) return out;
  const std::string authority = url_authority(config->url.empty() ? config->host : config->url);
  if (!authority.empty()) out.push_back("url:" + authority);
  return out;
}

ActionResult HttpAction::execute(const ExecutionRequest& request) const {
  auto config = decode_http_config(request.base_configuration, request.configuration);
  if (!config) return ActionResult::failure(ErrorKind::client, config.error().message);
  if (auto checked = check_http_config(*config, false); !checked) {
    return ActionResult::failure(ErrorKind::client, checked.error().message);
  }
  auto settings = http_settings(*config);
  if (!settings) return ActionResult::failure(ErrorKind::client, settings.error().message);

  CurlRequest call;
  call.method = config->method;
  call.url = http_target_url(config->url, config->host, config->path, config->query_parameters);
  call.body = config->body;
  call.timeout = settings->timeout;
  call.follow_redirects = settings->follow_redirect;
  call.cancelled = request.cancelled;
  call.tls.insecure_skip_verify = settings->insecure_skip_verify;
  call.tls.root_ca_pem = config->root_ca;
  if (config->mutual_tls) {
    call.tls.client_cert_pem = config->mutual_tls->first;
    call.tls.client_key_pem = config->mutual_tls->second;
  }
  if (config->bearer) {
    call.headers.emplace_back("Authorization", "Bearer " + *config->bearer);
  } else if (config->basic) {
    call.headers.emplace_back("Authorization", basic_authorization(config->basic->user, config->basic->password));
  }
  call.digest = config->digest;
  // Configured headers come after: an explicit Authorization overrides the ones above.
  for (const auto& header : config->headers) call.headers.push_back(header);
  if (!config->body.empty() && !has_header(config->headers, "Content-Type")) {
    if (auto type = guess_content_type(config->body)) call.headers.emplace_back("Content-Type", *type);
  }

  auto outcome = perform_http(call);
  if (auto* failed = std::get_if<CurlError>(&outcome)) {
    switch (failed->failure) {
      case CurlFailure::interrupted: return ActionResult::failure(ErrorKind::not_provisioned, "interrupted");
      case CurlFailure::bad_tls: return ActionResult::failure(ErrorKind::client, failed->message);
      case CurlFailure::transport:
        return ActionResult::failure(ErrorKind::server, "can't do HTTP request: " + failed->message);
    }
  }
  const auto& response = std::get<CurlResponse>(outcome);
  std::string body = response.body;
  if (!config->trim_prefix.empty() && body.rfind(config->trim_prefix, 0) == 0) body.erase(0, config->trim_prefix.size());
  return http_result(response, body);
}

}  // namespace utask::actions

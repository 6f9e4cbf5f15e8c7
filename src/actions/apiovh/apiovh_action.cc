#include "actions/apiovh/apiovh_action.h"

#include "actions/apiovh/ovh_session.h"
#include "actions/catalog.h"
#include "actions/http/curl_request.h"
#include "actions/http/http_response.h"
#include "actions/http/http_target.h"
#include "values/renderer.h"

namespace utask::actions {
namespace {

constexpr std::chrono::seconds kCallTimeout{180};

const std::vector<ConfigField> kFields = {{"credentials", FieldType::string},
                                          {"method", FieldType::string},
                                          {"path", FieldType::string},
                                          {"body", FieldType::string}};

Result<void> check_method(const std::string& method) {
  if (method == "GET" || method == "POST" || method == "PUT" || method == "DELETE") return {};
  return Error::invalid_template("unknown method for gw runner: \"" + method + "\"");
}

}  // namespace

ApiOvhAction::ApiOvhAction(Json config_items, OvhEndpoints endpoints)
    : config_items_(std::move(config_items)),
      endpoints_(std::move(endpoints)),
      sessions_(std::make_shared<OvhSessions>()) {}

ApiOvhAction::~ApiOvhAction() = default;

Result<void> ApiOvhAction::validate(const Json& base, const Json& configuration) const {
  auto config = decode_typed_configuration(base, configuration, kFields);
  if (!config) return config.error();
  if (auto m = check_method(config->value("method", "")); !m) return m;
  const std::string credentials = config->value("credentials", "");
  if (credentials.find("{{") != std::string::npos) {
    if (auto parsed = values::Template::parse(credentials); !parsed) {
      return Error::invalid_template("failed to parse credentials template: " + parsed.error().message);
    }
    return {};
  }
  auto item = ovh_credentials(config_items_, credentials);
  if (!item) return Error::invalid_template(item.error().message);
  if (auto client = ovh_client(*item, endpoints_); !client) return Error::invalid_template(client.error().message);
  return {};
}

std::vector<std::string> ApiOvhAction::resources(const Json& configuration) const {
  std::vector<std::string> out = {"socket"};
  auto config = decode_typed_configuration(nullptr, configuration, kFields);
  if (!config) return out;
  auto item = ovh_credentials(config_items_, config->value("credentials", ""));
  if (!item) return out;
  // The endpoint as named, even when the credentials would not make a client.
  std::string base = item->endpoint.empty() ? "ovh-eu" : item->endpoint;
  if (auto it = endpoints_.find(base); it != endpoints_.end()) base = it->second.base_url;
  if (auto authority = url_authority(base); !authority.empty()) out.push_back("url:" + authority);
  return out;
}

std::optional<Json> ApiOvhAction::metadata_schema() const {
  return parse_json(R"({"type":"object","properties":{"HTTPStatus":{"type":"integer"},)"
                    R"("HTTPHeaders":{"type":"object","properties":{"x-ovh-queryid":{"type":"string"}}}}})")
      .value();
}

ActionResult ApiOvhAction::execute(const ExecutionRequest& request) const {
  auto config = decode_typed_configuration(request.base_configuration, request.configuration, kFields);
  if (!config) return ActionResult::failure(ErrorKind::client, config.error().message);
  const std::string method = config->value("method", "");
  if (auto m = check_method(method); !m) return ActionResult::failure(ErrorKind::client, m.error().message);
  auto item = ovh_credentials(config_items_, config->value("credentials", ""));
  if (!item) return ActionResult::failure(ErrorKind::server, item.error().message);
  auto client = ovh_client(*item, endpoints_);
  if (!client) return ActionResult::failure(ErrorKind::server, client.error().message);

  // The bytes sent are the bytes signed: the body re-serialised compactly, keys sorted.
  std::string body;
  if (const std::string text = config->value("body", ""); !text.empty()) {
    auto parsed = parse_json(text);
    if (!parsed) return ActionResult::failure(ErrorKind::server, "can't unmarshal body: " + parsed.error().message);
    if (!parsed->is_null()) body = to_json_text(*parsed);
  }

  CurlRequest call;
  call.method = method;
  call.url = ovh_target_url(client->endpoint.base_url, config->value("path", ""));
  call.body = body;
  call.timeout = kCallTimeout;
  call.follow_redirects = true;
  call.cancelled = request.cancelled;
  call.headers = {{"Accept", "application/json"}, {"User-Agent", "github.com/ovh/go-ovh"}};
  if (!body.empty()) call.headers.emplace_back("Content-Type", "application/json;charset=utf-8");
  if (client->legacy()) {
    const auto& c = client->credentials;
    call.headers.emplace_back("X-Ovh-Application", c.app_key);
    auto timestamp = sessions_->timestamp(*client, request.cancelled);
    if (!timestamp) {
      return ActionResult::failure(ErrorKind::server, "can't create new request: " + timestamp.error().message);
    }
    call.headers.emplace_back("X-Ovh-Timestamp", std::to_string(*timestamp));
    call.headers.emplace_back("X-Ovh-Consumer", c.consumer_key);
    call.headers.emplace_back("X-Ovh-Signature",
                              ovh_signature(c.app_secret, c.consumer_key, method, call.url, body, *timestamp));
  } else {
    auto token = sessions_->access_token(*client, request.cancelled);
    if (!token) return ActionResult::failure(ErrorKind::server, "can't create new request: " + token.error().message);
    call.headers.emplace_back("Authorization", "Bearer " + *token);
  }

  auto outcome = perform_http(call);
  if (auto* failed = std::get_if<CurlError>(&outcome)) {
    if (failed->failure == CurlFailure::interrupted) {
      return ActionResult::failure(ErrorKind::not_provisioned, "interrupted");
    }
    return ActionResult::failure(ErrorKind::server, "can't execute request: " + failed->message);
  }
  const auto& response = std::get<CurlResponse>(outcome);
  // A refused signature may come from a clock that moved: the next call measures again.
  if (client->legacy() && (response.status == 400 || response.status == 401 || response.status == 403)) {
    sessions_->forget_time(client->endpoint.base_url);
  }
  return http_result(response, response.body);
}

}  // namespace utask::actions

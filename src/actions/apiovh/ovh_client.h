#pragma once
// What `apiovh` (actions.md §4) knows of OVHcloud's API: the credentials item, the endpoints,
// the target URL and the legacy request signature. Pure functions: no I/O.

#include <map>
#include <string>
#include <string_view>

#include "model/error.h"
#include "model/json.h"

namespace utask::actions {

// The configstore item named by `credentials`.
struct OvhCredentials {
  std::string endpoint;  // a name of the endpoint table or a base URL; "" = ovh-eu
  std::string app_key;
  std::string app_secret;
  std::string consumer_key;  // non-empty: legacy signature scheme, else OAuth2
  std::string client_id;
  std::string client_secret;
};

struct OvhEndpoint {
  std::string base_url;   // e.g. https://eu.api.ovh.com/1.0
  std::string token_url;  // OAuth2 client-credentials URL; "" when the endpoint has none
};

// name → endpoint: ovh-eu, ovh-ca, ovh-us, kimsufi-eu/-ca, soyoustart-eu/-ca.
using OvhEndpoints = std::map<std::string, OvhEndpoint, std::less<>>;
const OvhEndpoints& default_ovh_endpoints();

// A client ready to sign: the credentials, checked, with the endpoint resolved.
struct OvhClient {
  OvhCredentials credentials;
  OvhEndpoint endpoint;
  bool legacy() const { return !credentials.consumer_key.empty(); }
};

// The item `name` (as given, else normalised like configstore keys) of the configuration items
// (`.config`): an object, or a string holding one. Messages: `can't retrieve credentials from configstore: configstore: get "<name>": no
// item found`, `can't unmarshal ovhConfig from configstore: <reason>`.
Result<OvhCredentials> ovh_credentials(const Json& config_items, const std::string& name);

// go-ovh's checks (LoadConfig), prefixed `can't create new OVH client: `: both application
// key and secret (`invalid authentication config, both application_key and application_secret
// must be given`), both client id and secret, a known endpoint name or a URL (`unknown
// endpoint '<x>', consider checking 'Endpoints' list or using an URL`), no trailing '/',
// OAuth2 only where the endpoint has a token URL.
Result<OvhClient> ovh_client(const OvhCredentials& credentials, const OvhEndpoints& endpoints);

// base + path; a path starting with /v1/ or /v2/ drops a base's /1.0 suffix first.
std::string ovh_target_url(const std::string& base_url, const std::string& path);

// `$1$` + lower-case hex SHA1 of secret+consumer+METHOD+url+body+timestamp joined by "+".
std::string ovh_signature(std::string_view app_secret, std::string_view consumer_key, std::string_view method,
                          std::string_view url, std::string_view body, long long timestamp);

}  // namespace utask::actions

#include "actions/apiovh/ovh_client.h"

#include <openssl/evp.h>

#include <cctype>
#include <cstdio>

#include "actions/config_lists.h"

namespace utask::actions {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// Go's decoder: exact key first, then case-insensitive.
Result<std::string> string_field(const Json& object, std::string_view name) {
  const Json* found = nullptr;
  if (auto it = object.find(std::string(name)); it != object.end()) found = &*it;
  for (auto it = object.begin(); !found && it != object.end(); ++it) {
    if (iequals(it.key(), name)) found = &*it;
  }
  if (!found || found->is_null()) return std::string();
  if (!found->is_string()) {
    return Error::invalid_input(std::string("json: cannot unmarshal ") + go_json_kind(*found) +
                                " into Go struct field ovhConfig." + std::string(name) + " of type string");
  }
  return found->get<std::string>();
}

}  // namespace

const OvhEndpoints& default_ovh_endpoints() {
  static const OvhEndpoints table = {
      {"ovh-eu", {"https://eu.api.ovh.com/1.0", "https://www.ovh.com/auth/oauth2/token"}},
      {"ovh-ca", {"https://ca.api.ovh.com/1.0", "https://ca.ovh.com/auth/oauth2/token"}},
      {"ovh-us", {"https://api.us.ovhcloud.com/1.0", "https://us.ovhcloud.com/auth/oauth2/token"}},
      {"kimsufi-eu", {"https://eu.api.kimsufi.com/1.0", ""}},
      {"kimsufi-ca", {"https://ca.api.kimsufi.com/1.0", ""}},
      {"soyoustart-eu", {"https://eu.api.soyoustart.com/1.0", ""}},
      {"soyoustart-ca", {"https://ca.api.soyoustart.com/1.0", ""}},
  };
  return table;
}

Result<OvhCredentials> ovh_credentials(const Json& config_items, const std::string& name) {
  // Configstore keys are normalised (lower case, '-' for '_'): so is the name looked up.
  std::string key = name;
  for (auto& ch : key) ch = ch == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const Json* item = nullptr;
  if (config_items.is_object()) {
    if (auto it = config_items.find(name); it != config_items.end()) item = &*it;
    if (auto it = config_items.find(key); !item && it != config_items.end()) item = &*it;
  }
  if (!item) {
    return Error::invalid_input("can't retrieve credentials from configstore: configstore: get \"" + name +
                                "\": no item found");
  }
  const std::string prefix = "can't unmarshal ovhConfig from configstore: ";
  Json value = *item;
  if (value.is_string()) {
    auto parsed = parse_json(value.get<std::string>());
    if (!parsed) return Error::invalid_input(prefix + parsed.error().message);
    value = std::move(*parsed);
  }
  if (value.is_null()) return OvhCredentials{};
  if (!value.is_object()) {
    return Error::invalid_input(prefix + "json: cannot unmarshal " + go_json_kind(value) +
                                " into Go value of type apiovh.ovhConfig");
  }
  OvhCredentials c;
  const std::pair<const char*, std::string*> fields[] = {
      {"endpoint", &c.endpoint},         {"appKey", &c.app_key},     {"appSecret", &c.app_secret},
      {"consumerKey", &c.consumer_key}, {"clientId", &c.client_id}, {"clientSecret", &c.client_secret}};
  for (const auto& [field, target] : fields) {
    auto v = string_field(value, field);
    if (!v) return Error::invalid_input(prefix + v.error().message);
    *target = std::move(*v);
  }
  return c;
}

Result<OvhClient> ovh_client(const OvhCredentials& credentials, const OvhEndpoints& endpoints) {
  const std::string prefix = "can't create new OVH client: ";
  auto fail = [&](const std::string& message) -> Result<OvhClient> {
    return Error::invalid_input(prefix + message);
  };
  OvhClient client;
  client.credentials = credentials;
  auto& c = client.credentials;
  if (!c.consumer_key.empty()) {
    // The legacy client is given the application credentials only.
    c.client_id.clear();
    c.client_secret.clear();
    if (c.app_key.empty() != c.app_secret.empty() || c.app_key.empty()) {
      return fail("invalid authentication config, both application_key and application_secret must be given");
    }
  } else {
    c.app_key.clear();
    c.app_secret.clear();
    if (c.client_id.empty() && c.client_secret.empty()) {
      return fail("missing authentication information, you need to provide one of the following: "
                  "application_key/application_secret, client_id/client_secret, or access_token");
    }
    if (c.client_id.empty() != c.client_secret.empty()) {
      return fail("invalid oauth2 config, both client_id and client_secret must be given");
    }
  }
  const std::string name = c.endpoint.empty() ? "ovh-eu" : c.endpoint;
  if (name.find('/') != std::string::npos) {
    if (name.back() == '/') return fail("endpoint '" + name + "' must not end with '/'");
    client.endpoint.base_url = name;
    for (const auto& [known, endpoint] : endpoints) {
      if (endpoint.base_url == name) client.endpoint.token_url = endpoint.token_url;
    }
  } else {
    auto it = endpoints.find(name);
    if (it == endpoints.end()) {
      return fail("unknown endpoint '" + name + "', consider checking 'Endpoints' list or using an URL");
    }
    client.endpoint = it->second;
  }
  if (!client.legacy() && client.endpoint.token_url.empty()) {
    return fail("oauth2 authentication is not compatible with endpoint \"" + client.endpoint.base_url + "\"");
  }
  return client;
}

std::string ovh_target_url(const std::string& base_url, const std::string& path) {
  std::string base = base_url;
  const bool versioned = path.rfind("/v1/", 0) == 0 || path.rfind("/v2/", 0) == 0;
  if (versioned && base.size() >= 4 && base.compare(base.size() - 4, 4, "/1.0") == 0) base.resize(base.size() - 4);
  return base + path;
}

std::string ovh_signature(std::string_view app_secret, std::string_view consumer_key, std::string_view method,
                          std::string_view url, std::string_view body, long long timestamp) {
  std::string text;
  text.append(app_secret).append("+").append(consumer_key).append("+").append(method).append("+");
  text.append(url).append("+").append(body).append("+").append(std::to_string(timestamp));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha1(), nullptr);
  std::string out = "$1$";
  char hex[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", digest[i]);
    out += hex;
  }
  return out;
}

}  // namespace utask::actions

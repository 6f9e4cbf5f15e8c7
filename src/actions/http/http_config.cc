#include "actions/http/http_config.h"

#include <cctype>

#include "actions/catalog.h"
#include "actions/config_lists.h"
#include "model/go_duration.h"

namespace utask::actions {
namespace {

const std::vector<ConfigField> kFields = {
    {"url", FieldType::string},         {"host", FieldType::string},
    {"path", FieldType::string},        {"method", FieldType::string},
    {"body", FieldType::string},        {"headers", FieldType::any},
    {"query_parameters", FieldType::any}, {"timeout", FieldType::string},
    {"auth", FieldType::object},        {"root_ca", FieldType::string},
    {"follow_redirect", FieldType::string}, {"insecure_skip_verify", FieldType::string},
    {"trim_prefix", FieldType::string},
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// The member of `object` Go's decoder would pick for field `name`: exact first, then
// case-insensitive; null when absent.
const Json* member(const Json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  if (auto it = object.find(std::string(name)); it != object.end()) return &*it;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (iequals(it.key(), name)) return &*it;
  }
  return nullptr;
}

Error type_error(const char* what, const Json& value, const std::string& field, const std::string& go_type) {
  return Error::invalid_template(std::string("failed to unmarshal ") + what + ": json: cannot unmarshal " +
                                 go_json_kind(value) + " into Go struct field Config." + field + " of type " + go_type);
}

// The shapes decode_typed_configuration leaves to us: the lists of {name, value} and the
// objects under `auth`, checked in one source (base or configuration).
Result<void> check_nested(const Json& source, const char* what) {
  if (!source.is_object()) return {};
  for (const char* list : {"headers", "query_parameters"}) {
    const Json* items = member(source, list);
    if (!items || items->is_null()) continue;
    if (!items->is_array()) return type_error(what, *items, list, "[]http.parameter");
    for (const auto& item : *items) {
      if (item.is_null()) continue;
      if (!item.is_object()) return type_error(what, item, list, "http.parameter");
      for (const char* key : {"name", "value"}) {
        const Json* v = member(item, key);
        if (v && !v->is_null() && !v->is_string()) return type_error(what, *v, std::string(list) + "." + key, "string");
      }
    }
  }
  const Json* auth = member(source, "auth");
  if (!auth || !auth->is_object()) return {};
  const std::pair<const char*, std::vector<const char*>> objects[] = {
      {"basic", {"user", "password"}}, {"digest", {"user", "password"}}, {"mutual_tls", {"client_cert", "client_key"}}};
  for (const auto& [name, keys] : objects) {
    const Json* o = member(*auth, name);
    if (!o || o->is_null()) continue;
    const std::string field = std::string("auth.") + name;
    if (!o->is_object()) return type_error(what, *o, field, "http.credentials");
    for (const char* key : keys) {
      const Json* v = member(*o, key);
      if (v && !v->is_null() && !v->is_string()) return type_error(what, *v, field + "." + key, "string");
    }
  }
  const Json* bearer = member(*auth, "bearer");
  if (bearer && !bearer->is_null() && !bearer->is_string()) return type_error(what, *bearer, "auth.bearer", "string");
  return {};
}

std::string text(const Json* v) { return v && v->is_string() ? v->get<std::string>() : ""; }

QueryParameters pairs(const Json& config, const char* list) {
  QueryParameters out;
  const Json* items = member(config, list);
  if (!items || !items->is_array()) return out;
  for (const auto& item : *items) out.emplace_back(text(member(item, "name")), text(member(item, "value")));
  return out;
}

// Go decodes `auth` field by field into the same struct: base's basic.user survives a
// configuration that only sets basic.password.
Json merged_auth(const Json& base, const Json& configuration) {
  Json out = Json::object();
  for (const Json* source : {&base, &configuration}) {
    const Json* auth = member(*source, "auth");
    if (!auth || !auth->is_object()) continue;
    for (const char* name : {"basic", "digest", "mutual_tls", "bearer"}) {
      const Json* v = member(*auth, name);
      if (!v) continue;
      if (v->is_object() && out.contains(name) && out[name].is_object()) {
        for (const auto& [k, x] : v->items()) out[name][k] = x;
      } else if (!v->is_null() || std::string_view(name) != "bearer") {
        out[name] = *v;
      }
    }
  }
  return out;
}

std::optional<HttpCredentials> credentials(const Json& auth, const char* name) {
  const Json* o = member(auth, name);
  if (!o || !o->is_object()) return std::nullopt;
  return HttpCredentials{text(member(*o, "user")), text(member(*o, "password"))};
}

bool templated(const std::string& s) { return s.find("{{") != std::string::npos; }

}  // namespace

std::optional<bool> parse_go_bool(std::string_view t) {
  if (t == "1" || t == "t" || t == "T" || t == "TRUE" || t == "true" || t == "True") return true;
  if (t == "0" || t == "f" || t == "F" || t == "FALSE" || t == "false" || t == "False") return false;
  return std::nullopt;
}

Result<HttpConfig> decode_http_config(const Json& base, const Json& configuration) {
  auto decoded = decode_typed_configuration(base, configuration, kFields);
  if (!decoded) return decoded.error();
  if (auto r = check_nested(base, "base configuration"); !r) return r.error();
  if (auto r = check_nested(configuration, "configuration"); !r) return r.error();
  const Json& c = *decoded;
  HttpConfig config;
  config.url = c.value("url", "");
  config.host = c.value("host", "");
  config.path = c.value("path", "");
  config.method = c.value("method", "");
  config.body = c.value("body", "");
  config.timeout = c.value("timeout", "");
  config.root_ca = c.value("root_ca", "");
  config.follow_redirect = c.value("follow_redirect", "");
  config.insecure_skip_verify = c.value("insecure_skip_verify", "");
  config.trim_prefix = c.value("trim_prefix", "");
  for (auto& [name, value] : pairs(c, "headers")) config.headers.emplace_back(std::move(name), std::move(value));
  config.query_parameters = pairs(c, "query_parameters");
  const Json auth = merged_auth(base, configuration);
  config.basic = credentials(auth, "basic");
  config.digest = credentials(auth, "digest");
  if (const Json* bearer = member(auth, "bearer"); bearer && bearer->is_string()) config.bearer = bearer->get<std::string>();
  if (const Json* mtls = member(auth, "mutual_tls"); mtls && mtls->is_object()) {
    config.mutual_tls = std::make_pair(text(member(*mtls, "client_cert")), text(member(*mtls, "client_key")));
  }
  return config;
}

Result<void> check_http_config(const HttpConfig& c, bool defer) {
  const bool method_template = c.method.rfind("{{", 0) == 0 ||
                               (c.method.size() >= 2 && c.method.compare(c.method.size() - 2, 2, "}}") == 0);
  if (!(defer && method_template) && c.method != "GET" && c.method != "POST" && c.method != "PUT" &&
      c.method != "DELETE" && c.method != "PATCH") {
    return Error::invalid_template("unknown method for HTTP runner: " + c.method);
  }
  if (!c.url.empty() && (!c.host.empty() || !c.path.empty())) {
    return Error::invalid_template("URL field conflicts with Host+Path");
  }
  if (c.url.empty() && c.host.empty()) return Error::invalid_template("missing either URL or Host");
  for (const auto& [name, value] : c.headers) {
    if (name.empty()) return Error::invalid_template("missing header name (with value '" + value + "')");
  }
  for (const auto& [name, value] : c.query_parameters) {
    if (name.empty()) return Error::invalid_template("missing query parameter name (with value '" + value + "')");
  }
  if ((c.basic ? 1 : 0) + (c.digest ? 1 : 0) + (c.bearer ? 1 : 0) > 1) {
    return Error::invalid_template("basic|digest|bearer authentications are mutually exclusive");
  }
  if (c.basic && (c.basic->user.empty() || c.basic->password.empty())) {
    return Error::invalid_template("missing either user or password for basic auth");
  }
  if (c.digest && (c.digest->user.empty() || c.digest->password.empty())) {
    return Error::invalid_template("missing either user or password for digest auth");
  }
  if (c.bearer && c.bearer->empty()) return Error::invalid_template("missing bearer token value");
  if (c.mutual_tls && (c.mutual_tls->first.empty() || c.mutual_tls->second.empty())) {
    return Error::invalid_template("missing either client_cert or client_key for mTLS");
  }
  // Literal settings are checked now (DECISIONS.md), templated ones once rendered.
  HttpConfig literal = c;
  if (defer) {
    for (std::string* s : {&literal.timeout, &literal.follow_redirect, &literal.insecure_skip_verify}) {
      if (templated(*s)) s->clear();
    }
  }
  if (auto settings = http_settings(literal); !settings) return Error::invalid_template(settings.error().message);
  return {};
}

Result<HttpSettings> http_settings(const HttpConfig& c) {
  HttpSettings s;
  if (!c.timeout.empty()) {
    auto d = model::parse_go_duration(c.timeout);
    if (!d) return Error::invalid_input("failed to parse timeout: " + d.error().message);
    if (d->count() < 0) return Error::invalid_input("failed to parse timeout: timeout must not be negative");
    s.timeout = *d;
  }
  const std::pair<const std::string*, bool*> flags[] = {{&c.follow_redirect, &s.follow_redirect},
                                                        {&c.insecure_skip_verify, &s.insecure_skip_verify}};
  const char* names[] = {"follow_redirect", "insecure_skip_verify"};
  for (size_t i = 0; i < 2; ++i) {
    const std::string& value = *flags[i].first;
    if (value.empty()) continue;
    auto b = parse_go_bool(value);
    if (!b) {
      return Error::invalid_input(std::string("failed to parse ") + names[i] + ": strconv.ParseBool: parsing \"" +
                                  value + "\": invalid syntax");
    }
    *flags[i].second = *b;
  }
  return s;
}

}  // namespace utask::actions

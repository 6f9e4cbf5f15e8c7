// sprig's urlParse and urlJoin over a port of Go's net/url (Parse, escaping rules, String).

#include "values/functions/families.h"
#include "values/functions/go_url.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

Result<std::string> dict_string(const Map& d, const std::string& key) {
  auto it = d.find(key);
  if (it == d.end()) return std::string();
  const Value& v = it->second;
  auto kind = slice_kind(v);
  if (!kind) return kind.error();
  if (!v.is(Value::Kind::string) && !v.is(Value::Kind::number)) {
    return call_error("unable to parse " + key + " key, must be of type string, but " + *kind + " found");
  }
  return v.as_string();
}

}  // namespace

void add_url_functions(FunctionTable& t) {
  t.add(row("urlParse", "func(v string) map[string]interface{}",
            "The parts of a URL: scheme, host, hostname, path, query, opaque, fragment, userinfo.",
            R"({{ (urlParse "https://user@example.com:8080/a?b=c#d").hostname }})",
            [](FunctionCall& c) -> Result<Value> {
              auto u = parse_url(arg_string(c, 0));
              if (!u) return call_error("unable to parse url: " + u.error().message);
              Map m;
              m["scheme"] = Value::string(u->scheme);
              m["host"] = Value::string(u->host);
              m["hostname"] = Value::string(u->hostname());
              m["path"] = Value::string(u->path);
              m["query"] = Value::string(u->raw_query);
              m["opaque"] = Value::string(u->opaque);
              m["fragment"] = Value::string(u->fragment);
              m["userinfo"] = Value::string(u->userinfo());
              return Value::map(std::move(m));
            }));
  t.add(row("urlJoin", "func(d map[string]interface{}) string", "Builds a URL from the parts urlParse gives.",
            R"({{ urlJoin (dict "scheme" "https" "host" "example.com" "path" "/a b" "query" "x=1") }})",
            [](FunctionCall& c) -> Result<Value> {
              const Map& d = arg(c, 0).as_map();
              Url u;
              std::string* fields[] = {&u.scheme, &u.host, &u.path, &u.raw_query, &u.opaque, &u.fragment};
              const char* keys[] = {"scheme", "host", "path", "query", "opaque", "fragment"};
              for (int i = 0; i < 6; ++i) {
                auto s = dict_string(d, keys[i]);
                if (!s) return s.error();
                *fields[i] = *s;
              }
              auto info = dict_string(d, "userinfo");
              if (!info) return info.error();
              if (!info->empty()) {
                auto tmp = parse_url("proto://" + *info + "@host");
                if (!tmp) return call_error("unable to parse userinfo in dict: " + tmp.error().message);
                u.has_user = tmp->has_user;
                u.username = tmp->username;
                u.password = tmp->password;
                u.password_set = tmp->password_set;
              }
              return Value::string(u.str());
            }));
}

}  // namespace utask::values::fn

#include "config/callback_config.h"

#include "config/fields.h"

namespace utask::config {
namespace {

std::string strip_trailing_slashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

std::string normalise_prefix(std::string p) {
  p = strip_trailing_slashes(std::move(p));
  if (p.empty()) return kDefaultCallbackPathPrefix;
  if (p.front() != '/') p.insert(p.begin(), '/');
  return p;
}

// An address the server binds to, made into something a client can reach.
std::string url_host(std::string_view address) {
  std::string a(address);
  if (a.empty() || a == "0.0.0.0" || a == "*") return "127.0.0.1";
  if (a == "::" || a == "[::]") return "[::1]";
  if (a.find(':') != std::string::npos && a.front() != '[') return "[" + a + "]";
  return a;
}

}  // namespace

std::string CallbackConfig::url_for(std::string_view callback_id) const {
  return base_url + path_prefix + "/" + std::string(callback_id);
}

Result<CallbackConfig> resolve_callback_config(const std::optional<std::string>& item_value,
                                               std::string_view utask_base_url,
                                               std::string_view listen_address, uint32_t http_port) {
  CallbackConfig c;
  c.path_prefix = kDefaultCallbackPathPrefix;
  if (item_value) {
    auto json = detail::parse_item_json(kCallbackConfigItem, *item_value);
    if (!json) return json.error();
    try {
      auto f = detail::Fields::of(*json, "");
      c.base_url = strip_trailing_slashes(f.string("base_url"));
      if (c.base_url.empty())
        return detail::item_error(kCallbackConfigItem, "base_url",
                                  "\"base_url\" key not defined in \"callback-config\"");
      c.path_prefix = normalise_prefix(f.string("path_prefix"));
    } catch (const detail::FieldError& e) {
      return detail::item_error(kCallbackConfigItem, e);
    }
    c.source = CallbackConfig::Source::item;
    return c;
  }
  if (!utask_base_url.empty()) {
    c.base_url = strip_trailing_slashes(std::string(utask_base_url));
    c.source = CallbackConfig::Source::utask_base_url;
    return c;
  }
  c.base_url = "http://" + url_host(listen_address) + ":" + std::to_string(http_port);
  c.source = CallbackConfig::Source::listen_address;
  return c;
}

}  // namespace utask::config

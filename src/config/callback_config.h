#pragma once
// Where callback URLs point (spec config.md §4.6, DECISIONS.md): the `callback-config` item,
// else utask-cfg's base_url, else — unlike the original, which refused to start — a base URL
// derived from the listen address and port.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/error.h"

namespace utask::config {

inline constexpr const char* kCallbackConfigItem = "callback-config";
inline constexpr const char* kDefaultCallbackPathPrefix = "/unsecured/callback";

struct CallbackConfig {
  enum class Source { item, utask_base_url, listen_address };
  std::string base_url;     // no trailing '/'
  std::string path_prefix;  // leading '/', no trailing '/'; default /unsecured/callback
  Source source = Source::item;

  // base_url + path_prefix + "/" + id (the route itself stays /unsecured/callback/:id).
  std::string url_for(std::string_view callback_id) const;
};

// `item_value` is the callback-config item (nullopt when absent). Fails when the item is not a
// JSON object or has no base_url (`"base_url" key not defined in "callback-config"`).
Result<CallbackConfig> resolve_callback_config(const std::optional<std::string>& item_value,
                                               std::string_view utask_base_url,
                                               std::string_view listen_address, uint32_t http_port);

}  // namespace utask::config

#include "actions/cache/cache_action.h"

#include <cmath>

#include "actions/catalog.h"
#include "model/json.h"

namespace utask::actions {
namespace {

const std::vector<ConfigField> kFields = {{"action", FieldType::string},
                                          {"key", FieldType::string},
                                          {"value", FieldType::any},
                                          {"ttl", FieldType::number}};

struct CacheConfig {
  std::string action;
  std::string key;
  Json value;
  int64_t ttl = 0;  // seconds; ≤ 0: never expires
};

Result<CacheConfig> decode(const Json& base, const Json& configuration) {
  auto config = decode_typed_configuration(base, configuration, kFields);
  if (!config) return config.error();
  CacheConfig out;
  if (auto it = config->find("action"); it != config->end() && it->is_string()) out.action = it->get<std::string>();
  if (auto it = config->find("key"); it != config->end() && it->is_string()) out.key = it->get<std::string>();
  if (auto it = config->find("value"); it != config->end()) out.value = *it;
  if (auto it = config->find("ttl"); it != config->end() && it->is_number()) {
    // Go decodes `ttl` into an int: a fraction does not fit.
    const double d = it->get<double>();
    if (d != std::floor(d)) {
      return Error::invalid_template(
          "failed to unmarshal configuration: json: cannot unmarshal number " +
          json_number_text(*it) + " into Go struct field Config.ttl of type int");
    }
    out.ttl = it->is_number_integer() ? it->get<int64_t>() : static_cast<int64_t>(d);
  }
  return out;
}

Result<void> check(const CacheConfig& c) {
  if (c.action != "set" && c.action != "get" && c.action != "delete") {
    return Error::invalid_template("invalid action \"" + c.action +
                                   "\": expected \"set\", \"get\", or \"delete\"");
  }
  if (c.key.empty()) return Error::invalid_template("missing required parameter \"key\"");
  return {};
}

ActionResult store_failure(const Error& e) { return ActionResult::failure(ErrorKind::server, e.message); }

}  // namespace

CacheAction::CacheAction(std::shared_ptr<CacheStore> store, std::function<CacheTime()> clock)
    : store_(std::move(store)), clock_(std::move(clock)) {
  if (!clock_) {
    clock_ = [] {
      return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
    };
  }
}

Result<void> CacheAction::validate(const Json& base, const Json& configuration) const {
  auto config = decode(base, configuration);
  if (!config) return config.error();
  return check(*config);
}

ActionResult CacheAction::execute(const ExecutionRequest& request) const {
  auto config = decode(request.base_configuration, request.configuration);
  if (!config) return ActionResult::failure(ErrorKind::client, config.error().message);
  if (auto checked = check(*config); !checked) {
    return ActionResult::failure(ErrorKind::client, checked.error().message);
  }
  if (!store_) return ActionResult::failure(ErrorKind::server, "cache store not available");
  const std::string& key = config->key;
  ActionResult result;
  if (config->action == "set") {
    CacheEntry entry{to_json_text(config->value), std::nullopt};
    if (config->ttl > 0) entry.expires_at = clock_() + std::chrono::seconds(config->ttl);
    if (auto put = store_->put(key, entry); !put) return store_failure(put.error());
    result.output = Json{{"key", key}, {"cached", true}};
    return result;
  }
  if (config->action == "delete") {
    if (auto erased = store_->erase(key); !erased) return store_failure(erased.error());
    result.output = Json{{"key", key}, {"deleted", true}};
    return result;
  }
  auto found = store_->get(key);
  if (!found) return store_failure(found.error());
  std::optional<CacheEntry> entry = std::move(*found);
  if (entry && entry->expires_at && *entry->expires_at < clock_()) {
    if (auto erased = store_->erase(key); !erased) return store_failure(erased.error());
    entry.reset();
  }
  if (!entry) {
    result.output = Json{{"key", key}, {"hit", false}, {"value", nullptr}};
    return result;
  }
  auto value = parse_json(entry->value);
  if (!value) {
    return ActionResult::failure(ErrorKind::server,
                                 "failed to unmarshal cached value: " + value.error().message);
  }
  result.output = Json{{"key", key}, {"hit", true}, {"value", std::move(*value)}};
  return result;
}

}  // namespace utask::actions

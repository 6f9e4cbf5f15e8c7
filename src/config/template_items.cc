#include "config/template_items.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "config/configstore.h"
#include "config/yaml_json.h"

namespace utask::config {

std::map<std::string, std::string> template_visible_items(const Configstore& store,
                                                          const std::vector<std::string>& concealed,
                                                          std::vector<std::string>* warnings) {
  std::map<std::string, std::string> out;
  for (const auto& key : store.keys()) {
    if (std::find(concealed.begin(), concealed.end(), key) != concealed.end()) continue;
    auto item = store.read(key, warnings);
    if (!item || item->value.empty()) continue;
    out[key] = item->value;
  }
  return out;
}

nlohmann::json template_item_value(std::string_view raw) {
  try {
    return nlohmann::json::parse(raw.begin(), raw.end());
  } catch (const nlohmann::json::parse_error&) {
  }
  try {
    return yaml_to_json(YAML::Load(std::string(raw)));
  } catch (const YAML::Exception&) {
    return std::string(raw);
  }
}

nlohmann::json template_items_json(const std::map<std::string, std::string>& items) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, raw] : items) out[key] = template_item_value(raw);
  return out;
}

}  // namespace utask::config

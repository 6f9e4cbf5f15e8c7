#include "config/providers.h"

namespace utask::config {

std::vector<Item> env_provider_items(std::string_view prefix, const Environment& env,
                                     const std::string& provider_name) {
  std::string norm_prefix = normalize_key(prefix);
  if (!norm_prefix.empty() && norm_prefix.back() != '-') norm_prefix += '-';
  std::vector<Item> items;
  for (const auto& [name, value] : env) {
    std::string key = normalize_key(name);
    if (key.compare(0, norm_prefix.size(), norm_prefix) != 0) continue;
    key.erase(0, norm_prefix.size());
    if (key.empty()) continue;
    items.push_back(Item{std::move(key), value, kEnvPriority, provider_name});
  }
  return items;
}

}  // namespace utask::config

#pragma once
// Configuration items exposed to task templates as `.config.<key>` (spec config.md §4.7):
// every key not listed in utask-cfg's concealed_secrets, one value per key after priority
// squashing, empty values skipped.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace utask::config {

class Configstore;

// Raw values by key. `concealed` holds normalised keys. Priority ties are appended to
// `warnings` when given, logged otherwise (see Configstore::read).
std::map<std::string, std::string> template_visible_items(const Configstore& store,
                                                          const std::vector<std::string>& concealed,
                                                          std::vector<std::string>* warnings = nullptr);

// A value as templates see it: parsed as JSON, else as YAML, structured when that works, the
// plain string otherwise ("a: 1" → {"a": 1}, "42" → 42, "hello" → "hello").
nlohmann::json template_item_value(std::string_view raw);

// The whole `.config` object.
nlohmann::json template_items_json(const std::map<std::string, std::string>& items);

}  // namespace utask::config

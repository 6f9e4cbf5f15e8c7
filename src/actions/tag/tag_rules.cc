#include "actions/tag/tag_rules.h"

#include "actions/config_lists.h"

namespace utask::actions {

Result<std::map<std::string, std::string>> decode_string_map(const Json& config, const std::string& field) {
  std::map<std::string, std::string> out;
  auto it = config.find(field);
  if (it == config.end() || it->is_null()) return out;
  for (const auto& [k, v] : it->items()) {
    if (v.is_null()) {
      out[k] = "";
    } else if (v.is_string()) {
      out[k] = v.get<std::string>();
    } else {
      return Error::invalid_template("failed to unmarshal configuration: json: cannot unmarshal " +
                                     std::string(go_json_kind(v)) + " into Go struct field Config." +
                                     field + " of type string");
    }
  }
  return out;
}

Result<void> check_tags(const std::map<std::string, std::string>& tags) {
  if (tags.count(std::string(kParentTaskIdTag))) {
    return Error::invalid_input("tag name \"" + std::string(kParentTaskIdTag) + "\" not allowed");
  }
  return {};
}

}  // namespace utask::actions

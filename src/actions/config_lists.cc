#include "actions/config_lists.h"

namespace utask::actions {

const char* go_json_kind(const Json& v) {
  if (v.is_boolean()) return "bool";
  if (v.is_number()) return "number";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  if (v.is_null()) return "null";
  return "string";
}

Result<std::vector<std::string>> decode_string_list(const Json& config, const std::string& field) {
  std::vector<std::string> out;
  auto it = config.find(field);
  if (it == config.end() || it->is_null()) return out;
  const std::string prefix = "failed to unmarshal configuration: json: cannot unmarshal ";
  if (!it->is_array()) {
    return Error::invalid_template(prefix + go_json_kind(*it) + " into Go struct field Config." + field +
                                   " of type []string");
  }
  for (const auto& v : *it) {
    if (v.is_null()) {
      out.emplace_back();
    } else if (v.is_string()) {
      out.push_back(v.get<std::string>());
    } else {
      return Error::invalid_template(prefix + go_json_kind(v) + " into Go struct field Config." + field +
                                     " of type string");
    }
  }
  return out;
}

}  // namespace utask::actions

#include "actions/batch/batch_config.h"

#include <cctype>

#include "actions/catalog.h"
#include "actions/config_lists.h"
#include "actions/tag/tag_rules.h"

namespace utask::actions {
namespace {

const std::vector<ConfigField> kFields = {
    {"template_name", FieldType::string},      {"inputs", FieldType::any},
    {"json_inputs", FieldType::string},        {"common_inputs", FieldType::object},
    {"common_json_inputs", FieldType::string}, {"tags", FieldType::object},
    {"sub_batch_size", FieldType::string},     {"comment", FieldType::string},
    {"watcher_usernames", FieldType::any},     {"watcher_groups", FieldType::any},
    {"resolver_usernames", FieldType::string}, {"resolver_groups", FieldType::string},
};

constexpr const char* kInputsType = "[]map[string]interface {}";

// A `[]map[string]interface{}` value; `what` prefixes the error.
Result<std::vector<Json>> object_list(const Json& value, const std::string& what, const std::string& field) {
  std::vector<Json> out;
  if (value.is_null()) return out;
  const std::string where = field.empty() ? std::string("Go value of type ") + kInputsType
                                          : "Go struct field Config." + field + " of type " + kInputsType;
  if (!value.is_array()) {
    return Error::invalid_input(what + "json: cannot unmarshal " + go_json_kind(value) + " into " + where);
  }
  for (const auto& v : value) {
    if (v.is_null()) {
      out.push_back(Json::object());
    } else if (v.is_object()) {
      out.push_back(v);
    } else {
      return Error::invalid_input(what + "json: cannot unmarshal " + go_json_kind(v) +
                                  " into Go value of type map[string]interface {}");
    }
  }
  return out;
}

bool parse_int64(const std::string& s, int64_t& out) {
  if (s.empty()) return false;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size() || s.size() - i > 18) return false;
  for (size_t k = i; k < s.size(); ++k) {
    if (!std::isdigit(static_cast<unsigned char>(s[k]))) return false;
  }
  out = std::stoll(s);
  return true;
}

}  // namespace

Result<BatchConfig> decode_batch_config(const Json& base, const Json& configuration) {
  auto decoded = decode_typed_configuration(base, configuration, kFields);
  if (!decoded) return decoded.error();
  const Json& j = *decoded;
  BatchConfig c;
  c.template_name = j.value("template_name", "");
  auto inputs = object_list(j.value("inputs", Json()), "failed to unmarshal configuration: ", "inputs");
  if (!inputs) return Error::invalid_template(inputs.error().message);
  c.inputs = std::move(*inputs);
  if (auto it = j.find("common_inputs"); it != j.end() && it->is_object()) c.common_inputs = *it;
  c.json_inputs = j.value("json_inputs", "");
  c.common_json_inputs = j.value("common_json_inputs", "");
  auto tags = decode_string_map(j, "tags");
  if (!tags) return tags.error();
  c.tags = std::move(*tags);
  c.sub_batch_size = j.value("sub_batch_size", "");
  c.comment = j.value("comment", "");
  auto users = decode_string_list(j, "watcher_usernames");
  if (!users) return users.error();
  c.watcher_usernames = std::move(*users);
  auto groups = decode_string_list(j, "watcher_groups");
  if (!groups) return groups.error();
  c.watcher_groups = std::move(*groups);
  return c;
}

Result<int64_t> resolve_batch_inputs(BatchConfig& c) {
  if (!c.common_json_inputs.empty()) {
    const std::string what = "JSON common input unmarshalling failure: ";
    auto parsed = parse_json(c.common_json_inputs);
    if (!parsed) return Error::invalid_input(what + parsed.error().message);
    if (parsed->is_array() || !(parsed->is_object() || parsed->is_null())) {
      return Error::invalid_input(what + "json: cannot unmarshal " + go_json_kind(*parsed) +
                                  " into Go value of type map[string]interface {}");
    }
    c.common_inputs = parsed->is_null() ? Json::object() : std::move(*parsed);
  }
  if (!c.json_inputs.empty()) {
    const std::string what = "JSON inputs unmarshalling failure: ";
    auto parsed = parse_json(c.json_inputs);
    if (!parsed) return Error::invalid_input(what + parsed.error().message);
    auto list = object_list(*parsed, what, "");
    if (!list) return list.error();
    c.inputs = std::move(*list);
  }
  if (c.sub_batch_size.empty()) return int64_t{0};
  int64_t size = 0;
  if (!parse_int64(c.sub_batch_size, size) || size < 0) {
    return Error::invalid_input("parsing failure of field 'SubBatchSize': strconv.ParseInt: parsing \"" +
                                c.sub_batch_size + "\": invalid syntax");
  }
  return size;
}

Result<Json> merge_child_input(const Json& input, const Json& common) {
  Json out = input.is_object() ? input : Json::object();
  if (common.is_object()) {
    for (const auto& [k, v] : common.items()) {
      if (out.contains(k)) return Error::invalid_input("Conflicting keys in input maps");
      out[k] = v;
    }
  }
  return out;
}

}  // namespace utask::actions

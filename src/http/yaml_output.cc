#include "http/yaml_output.h"

#include <yaml-cpp/yaml.h>

#include "model/yaml_json.h"

namespace utask::http {
namespace {

// Whether `s` written plain would read back as the same string.
bool plain_is_safe(const std::string& s) {
  if (s.empty()) return false;
  auto back = model::yaml_to_json(s);
  return back.ok() && back->is_string() && back->get<std::string>() == s;
}

void emit(YAML::Emitter& out, const Json& v) {
  if (v.is_object()) {
    if (v.empty()) {
      out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
      return;
    }
    out << YAML::BeginMap;
    for (const auto& [key, value] : v.items()) {  // Json objects iterate in key order
      out << YAML::Key;
      if (plain_is_safe(key)) out << key;
      else out << YAML::DoubleQuoted << key;
      out << YAML::Value;
      emit(out, value);
    }
    out << YAML::EndMap;
  } else if (v.is_array()) {
    if (v.empty()) {
      out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
      return;
    }
    out << YAML::BeginSeq;
    for (const auto& e : v) emit(out, e);
    out << YAML::EndSeq;
  } else if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s.find('\n') == std::string::npos && plain_is_safe(s)) out << s;
    else out << YAML::DoubleQuoted << s;
  } else if (v.is_boolean()) {
    out << (v.get<bool>() ? "true" : "false");
  } else if (v.is_number()) {
    out << json_number_text(v);
  } else {
    out << YAML::Null;
  }
}

}  // namespace

std::string json_to_yaml(const Json& value) {
  YAML::Emitter out;
  emit(out, value);
  std::string text = out.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

std::optional<std::string> json_text_to_yaml(std::string_view json_text) {
  auto parsed = parse_json(json_text);
  if (!parsed) return std::nullopt;
  return json_to_yaml(*parsed);
}

}  // namespace utask::http

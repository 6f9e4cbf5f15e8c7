#include "config/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

namespace utask::config {
namespace {

nlohmann::json resolve_plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  static const std::regex dec_int(R"([-+]?[0-9]+)");
  static const std::regex hex_int(R"(0x[0-9a-fA-F]+)");
  static const std::regex oct_int(R"(0o[0-7]+)");
  static const std::regex flt(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  errno = 0;
  if (std::regex_match(s, dec_int)) {
    if (s[0] == '-') {
      long long v = std::strtoll(s.c_str(), nullptr, 10);
      if (errno == 0) return static_cast<int64_t>(v);
    } else {
      unsigned long long v = std::strtoull(s.c_str(), nullptr, 10);
      if (errno == 0) {
        if (v <= static_cast<unsigned long long>(std::numeric_limits<int64_t>::max()))
          return static_cast<int64_t>(v);
        return static_cast<uint64_t>(v);
      }
    }
    return std::strtod(s.c_str(), nullptr);
  }
  if (std::regex_match(s, hex_int) || std::regex_match(s, oct_int)) {
    unsigned long long v = std::strtoull(s.c_str() + 2, nullptr, s[1] == 'x' ? 16 : 8);
    if (errno == 0 && v <= static_cast<unsigned long long>(std::numeric_limits<int64_t>::max()))
      return static_cast<int64_t>(v);
    return s;
  }
  if (std::regex_match(s, flt)) return std::strtod(s.c_str(), nullptr);
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF")
    return std::numeric_limits<double>::infinity();
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return -std::numeric_limits<double>::infinity();
  return s;
}

}  // namespace

nlohmann::json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar:
      // yaml-cpp tags plain scalars "?" and quoted ones "!".
      if (node.Tag() == "?") return resolve_plain_scalar(node.Scalar());
      return node.Scalar();
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& child : node) out.push_back(yaml_to_json(child));
      return out;
    }
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = yaml_to_json(kv.second);
      return out;
    }
  }
  return nullptr;
}

}  // namespace utask::config

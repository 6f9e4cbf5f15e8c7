#include "model/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <string>

#include "model/yaml_json_scalars.h"

namespace utask::model {
namespace {

constexpr std::size_t kMaxNodes = 100'000;
constexpr int kMaxDepth = 256;

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

std::string describe_position(std::string_view file, const YAML::Mark& mark) {
  std::string out(file.empty() ? "<yaml>" : file);
  if (mark.line >= 0) {
    out += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }
  return out;
}

// 1-based number of the first line whose indentation contains a TAB, 0 if none.
int first_tab_indented_line(std::string_view text) {
  int line = 1;
  bool in_indent = true;
  for (char c : text) {
    if (c == '\n') {
      ++line;
      in_indent = true;
    } else if (in_indent && c == '\t') {
      return line;
    } else if (c != ' ') {
      in_indent = false;
    }
  }
  return 0;
}

class Converter {
 public:
  Converter(std::string_view file, YamlDocument& doc) : file_(file), doc_(doc) {}

  Result<Json> convert(const YAML::Node& node, const std::string& path, int depth) {
    if (++count_ > kMaxNodes) return fail(node, "document too large (alias expansion?)");
    if (depth > kMaxDepth) return fail(node, "document nested too deeply (a recursive alias?)");
    record(node, path);
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return Json(nullptr);
      case YAML::NodeType::Scalar:
        return scalar(node);
      case YAML::NodeType::Sequence: {
        Json out = Json::array();
        std::size_t i = 0;
        for (const auto& child : node) {
          auto v = convert(child, path + "[" + std::to_string(i++) + "]", depth + 1);
          if (!v) return v;
          out.push_back(std::move(*v));
        }
        return out;
      }
      case YAML::NodeType::Map: {
        Json out = Json::object();
        for (auto it = node.begin(); it != node.end(); ++it) {
          const YAML::Node& key = it->first;
          if (is_merge_key(key)) {
            auto merged = merge(it->second, out, path, depth);
            if (!merged) return merged.error();
            continue;
          }
          auto name = key_text(key);
          if (!name) return name.error();
          auto v = convert(it->second, join(path, *name), depth + 1);
          if (!v) return v;
          out[*name] = std::move(*v);
        }
        return out;
      }
    }
    return Json(nullptr);
  }

 private:
  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  Error fail(const YAML::Node& node, const std::string& msg) {
    return Error::invalid_template(describe_position(file_, node.Mark()) + ": " + msg);
  }

  void record(const YAML::Node& node, const std::string& path) {
    YAML::Mark m = node.Mark();
    if (m.line >= 0) doc_.positions.emplace(path, YamlPosition{m.line + 1, m.column + 1});
  }

  static bool is_merge_key(const YAML::Node& key) {
    return key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<";
  }

  // go-yaml v2: the merged mapping's keys are set into `out` as they come; with a list of
  // mappings, the last is applied first so the first one wins.
  Result<void> merge(const YAML::Node& value, Json& out, const std::string& path, int depth) {
    auto apply = [&](const YAML::Node& m) -> Result<void> {
      auto v = convert(m, path, depth + 1);
      if (!v) return v.error();
      for (auto& [k, item] : v->items()) out[k] = item;
      return {};
    };
    if (value.IsMap()) return apply(value);
    if (value.IsSequence()) {
      for (const auto& item : value) {
        if (!item.IsMap()) return fail(value, "map merge requires map or sequence of maps as the value");
      }
      for (std::size_t i = value.size(); i-- > 0;) {
        auto r = apply(value[i]);
        if (!r) return r;
      }
      return {};
    }
    return fail(value, "map merge requires map or sequence of maps as the value");
  }

  Result<std::string> key_text(const YAML::Node& key) {
    if (key.IsNull()) return fail(key, "unsupported mapping key: null");
    if (!key.IsScalar()) return fail(key, "unsupported mapping key: a list or a mapping");
    auto v = scalar(key);
    if (!v) return v.error();
    if (v->is_string()) return v->get<std::string>();
    if (v->is_null()) return fail(key, "unsupported mapping key: null");
    return yaml_scalar_as_string(*v);
  }

  Result<Json> scalar(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    const std::string& tag = node.Tag();
    if (tag == "?") return resolve_plain_scalar(text);
    if (tag.rfind(kTagPrefix, 0) != 0) return Json(text);  // "!" (quoted) or a custom tag
    std::string_view kind = std::string_view(tag).substr(kTagPrefix.size());
    if (kind == "str") return Json(text);
    Json resolved = resolve_plain_scalar(text);
    if (kind == "null") {
      if (!resolved.is_null()) return fail(node, "cannot decode \"" + text + "\" as !!null");
      return resolved;
    }
    if (kind == "bool") {
      if (!resolved.is_boolean()) return fail(node, "cannot decode \"" + text + "\" as !!bool");
      return resolved;
    }
    if (kind == "int") {
      if (!resolved.is_number_integer()) return fail(node, "cannot decode \"" + text + "\" as !!int");
      return resolved;
    }
    if (kind == "float") {
      if (!resolved.is_number()) return fail(node, "cannot decode \"" + text + "\" as !!float");
      return resolved;
    }
    return Json(text);
  }

  std::string_view file_;
  YamlDocument& doc_;
  std::size_t count_ = 0;
};

}  // namespace

YamlPosition YamlDocument::position_of(std::string_view path) const {
  std::string p(path);
  while (true) {
    auto it = positions.find(p);
    if (it != positions.end()) return it->second;
    if (p.empty()) return {};
    std::size_t cut = p.find_last_of(".[");
    p = cut == std::string::npos ? std::string() : p.substr(0, cut);
  }
}

Result<YamlDocument> parse_yaml_document(std::string_view yaml, std::string_view file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    std::string msg = describe_position(file, e.mark) + ": YAML syntax error: " + e.msg;
    if (first_tab_indented_line(yaml) > 0) {
      msg += " (line " + std::to_string(first_tab_indented_line(yaml)) +
             " is indented with a TAB character, which YAML does not allow)";
    }
    return Error::invalid_template(msg);
  }
  YamlDocument doc;
  Converter converter(file, doc);
  try {
    auto value = converter.convert(root, "", 0);
    if (!value) return value.error();
    doc.value = std::move(*value);
  } catch (const YAML::Exception& e) {
    return Error::invalid_template(describe_position(file, e.mark) + ": " + e.msg);
  }
  return doc;
}

Result<Json> yaml_to_json(std::string_view yaml, std::string_view file) {
  auto doc = parse_yaml_document(yaml, file);
  if (!doc) return doc.error();
  return std::move(doc->value);
}

}  // namespace utask::model

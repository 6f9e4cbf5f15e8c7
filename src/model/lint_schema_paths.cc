#include "model/lint_schema_paths.h"

#include <cctype>

#include "model/json.h"

namespace utask::model::lint_detail {
namespace {

constexpr std::string_view kReservedName = "utaskRootKey";
constexpr const char* kComposers[] = {"allOf", "anyOf", "oneOf"};
constexpr const char* kSingles[] = {"not", "if", "then", "else"};

// Local "$ref" resolution: JSON pointers ("#", "#/definitions/x") against the document or a
// schema with that "$id", and plain "$id"/anchor names. Other documents are out of reach.
class RefResolver {
 public:
  explicit RefResolver(const Json& root) : root_(root) { collect_ids(root); }

  const Json* resolve(const std::string& ref) const {
    const auto hash = ref.find('#');
    const std::string base = ref.substr(0, hash);
    const std::string fragment = hash == std::string::npos ? "" : ref.substr(hash + 1);
    const Json* doc = &root_;
    if (!base.empty()) {
      auto it = ids_.find(base);
      if (it == ids_.end()) return nullptr;
      doc = it->second;
    }
    if (fragment.empty()) return doc;
    if (fragment[0] != '/') {
      auto it = ids_.find("#" + fragment);
      return it == ids_.end() ? nullptr : it->second;
    }
    return follow_pointer(*doc, fragment);
  }

 private:
  void collect_ids(const Json& node) {
    if (node.is_object()) {
      for (const char* key : {"$id", "id"}) {
        auto it = node.find(key);
        if (it != node.end() && it->is_string()) ids_.emplace(it->get<std::string>(), &node);
      }
      for (const auto& [k, v] : node.items()) collect_ids(v);
    } else if (node.is_array()) {
      for (const auto& v : node) collect_ids(v);
    }
  }

  static std::string decode_token(std::string token) {
    std::string out;
    for (size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        out += token[i + 1] == '1' ? '/' : '~';
        ++i;
      } else if (token[i] == '%' && i + 2 < token.size() && std::isxdigit(token[i + 1]) &&
                 std::isxdigit(token[i + 2])) {
        out += static_cast<char>(std::stoi(token.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += token[i];
      }
    }
    return out;
  }

  static const Json* follow_pointer(const Json& doc, std::string_view pointer) {
    const Json* node = &doc;
    while (!pointer.empty()) {
      pointer.remove_prefix(1);  // the '/'
      const auto slash = pointer.find('/');
      const std::string token = decode_token(std::string(pointer.substr(0, slash)));
      pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(slash);
      if (node->is_object()) {
        auto it = node->find(token);
        if (it == node->end()) return nullptr;
        node = &*it;
      } else if (node->is_array() && !token.empty() &&
                 token.find_first_not_of("0123456789") == std::string::npos &&
                 std::stoul(token) < node->size()) {
        node = &(*node)[std::stoul(token)];
      } else {
        return nullptr;
      }
    }
    return node;
  }

  const Json& root_;
  std::map<std::string, const Json*> ids_;
};

// The schemas a schema stands for: itself, its "$ref" target and its composed members,
// transitively. Each is visited once.
std::vector<const Json*> shapes_of(const Json* schema, const RefResolver& refs) {
  std::vector<const Json*> out;
  std::set<const Json*> seen;
  std::vector<const Json*> pending{schema};
  while (!pending.empty()) {
    const Json* s = pending.back();
    pending.pop_back();
    if (!s || !s->is_object() || !seen.insert(s).second) continue;
    out.push_back(s);
    if (auto ref = s->find("$ref"); ref != s->end() && ref->is_string()) {
      pending.push_back(refs.resolve(ref->get<std::string>()));
    }
    for (const char* key : kComposers) {
      auto it = s->find(key);
      if (it == s->end() || !it->is_array()) continue;
      for (const auto& member : *it) pending.push_back(&member);
    }
    for (const char* key : kSingles) {
      if (auto it = s->find(key); it != s->end()) pending.push_back(&*it);
    }
  }
  return out;
}

// Every (name, schema) of the "properties" of the given shapes.
std::vector<std::pair<std::string, const Json*>> properties_of(
    const std::vector<const Json*>& shapes) {
  std::vector<std::pair<std::string, const Json*>> out;
  for (const Json* s : shapes) {
    auto props = s->find("properties");
    if (props == s->end() || !props->is_object()) continue;
    for (const auto& [name, sub] : props->items()) out.emplace_back(name, &sub);
  }
  return out;
}

}  // namespace

Result<SchemaPaths> SchemaPaths::build(const Json& schema) {
  SchemaPaths paths;
  const RefResolver refs(schema);
  // Each (name, schema location) pair is expanded once: recursive schemas terminate.
  std::set<std::pair<std::string, const Json*>> seen;
  std::vector<std::pair<std::string, const Json*>> pending;
  for (auto& entry : properties_of(shapes_of(&schema, refs))) {
    paths.roots_.insert(entry.first);
    if (seen.insert(entry).second) pending.push_back(entry);
  }
  while (!pending.empty()) {
    auto [name, sub] = pending.back();
    pending.pop_back();
    if (name == kReservedName) {
      return Error::invalid_template("Cannot use property \"" + std::string(kReservedName) +
                                     "\" as it's a reserved keyword. Please rename your property");
    }
    auto& children = paths.children_[name];
    for (auto& entry : properties_of(shapes_of(sub, refs))) {
      children.insert(entry.first);
      if (seen.insert(entry).second) pending.push_back(entry);
    }
  }
  return paths;
}

bool SchemaPaths::has_path(const std::vector<std::string>& keys) const {
  if (keys.empty()) return true;
  if (!roots_.count(keys[0])) return false;
  for (size_t i = 1; i < keys.size(); ++i) {
    auto it = children_.find(keys[i - 1]);
    if (it == children_.end() || !it->second.count(keys[i])) return false;
  }
  return true;
}

}  // namespace utask::model::lint_detail

// Schema → Nodes. Every keyword's value is checked against the shape the draft's
// meta-schema gives it, so a template with a malformed schema fails when it loads rather
// than when a step ends. Unknown keywords are ignored, as the drafts require.

#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "model/json_schema_internal.h"

namespace utask::model::json_schema_detail {
namespace {

const std::set<std::string, std::less<>> kTypeNames = {"array",  "boolean", "integer", "null",
                                                       "number", "object",  "string"};

unsigned type_bit(const std::string& name) {
  if (name == "null") return kNull;
  if (name == "boolean") return kBoolean;
  if (name == "object") return kObject;
  if (name == "array") return kArray;
  if (name == "number") return kNumber;
  if (name == "integer") return kInteger;
  return kString;
}

bool is_integral(const Json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

bool unique_values(const Json& array) {
  for (std::size_t i = 0; i < array.size(); ++i) {
    for (std::size_t j = i + 1; j < array.size(); ++j) {
      if (array[i] == array[j]) return false;
    }
  }
  return true;
}

class NodeCompiler {
 public:
  NodeCompiler(Compiled& compiled, const RefResolver& refs) : c_(compiled), refs_(refs) {}

  // The node of the schema at `pointer`, compiling it on first use. The index is recorded
  // before the keywords are compiled, so a schema reaching itself through "$ref" ends.
  Result<int> node_at(const std::string& pointer, bool allow_boolean) {
    if (auto found = index_.find(pointer); found != index_.end()) return found->second;
    const Json* schema = at_pointer(c_.document, pointer);
    if (schema->is_boolean() && !allow_boolean) {
      return Error::invalid_template("schema at " + display_pointer(pointer) + " must be an object",
                                     display_pointer(pointer));
    }
    if (!schema->is_object() && !schema->is_boolean()) {
      return Error::invalid_template("schema at " + display_pointer(pointer) +
                                         " must be an object" +
                                         (c_.draft == Draft::v4 ? "" : " or a boolean"),
                                     display_pointer(pointer));
    }
    if (depth_ >= kMaxSchemaDepth) {
      return Error::invalid_template(
          "schema at " + display_pointer(pointer) + " is nested too deeply",
          display_pointer(pointer));
    }
    int index = static_cast<int>(c_.nodes.size());
    index_[pointer] = index;
    c_.nodes.emplace_back();
    Node node;
    node.pointer = pointer;
    node.schema = schema;
    if (schema->is_object()) {
      ++depth_;
      Result<void> r = compile_object(*schema, node);
      --depth_;
      if (!r) return r.error();
    }
    c_.nodes[index] = std::move(node);
    return index;
  }

 private:
  Error bad(const Node& n, const std::string& keyword, const std::string& message) const {
    return Error::invalid_template(
        "keyword \"" + keyword + "\" at " + display_pointer(n.pointer) + ": " + message,
        display_pointer(append_pointer(n.pointer, keyword)));
  }

  // A subschema: `draft4_boolean` lets draft-04 take a boolean where its meta-schema does.
  Result<int> child(const Node& n, const std::string& pointer, bool draft4_boolean = false) {
    return node_at(pointer, c_.draft != Draft::v4 || draft4_boolean);
  }

  Result<void> schema_list(const Node& n, const std::string& kw, const Json& v,
                           std::vector<int>& out) {
    if (!v.is_array() || v.empty()) return bad(n, kw, "must be a non-empty array of schemas");
    for (std::size_t i = 0; i < v.size(); ++i) {
      auto index = child(n, append_pointer(append_pointer(n.pointer, kw), std::to_string(i)));
      if (!index) return index.error();
      out.push_back(*index);
    }
    return {};
  }

  Result<void> schema_map(const Node& n, const std::string& kw, const Json& v,
                          std::vector<std::pair<std::string, int>>* out) {
    if (!v.is_object()) return bad(n, kw, "must be an object whose values are schemas");
    for (auto& [name, sub] : v.items()) {
      auto index = child(n, append_pointer(append_pointer(n.pointer, kw), name));
      if (!index) return index.error();
      if (out != nullptr) out->emplace_back(name, *index);
    }
    return {};
  }

  Result<void> string_array(const Node& n, const std::string& kw, const Json& v,
                            std::vector<std::string>& out) {
    bool non_empty = c_.draft == Draft::v4;
    bool ok = v.is_array() && unique_values(v) && !(non_empty && v.empty());
    for (const auto& item : v) ok = ok && item.is_string();
    if (!ok) {
      return bad(
          n, kw,
          std::string("must be a") + (non_empty ? " non-empty" : "n") + " array of unique strings");
    }
    for (const auto& item : v) out.push_back(item.get<std::string>());
    return {};
  }

  Result<std::optional<std::uint64_t>> count(const Node& n, const std::string& kw, const Json& v) {
    bool negative = v.is_number_float() ? v.get<double>() < 0
                                        : v.is_number_integer() && !v.is_number_unsigned() &&
                                              v.get<std::int64_t>() < 0;
    if (!is_integral(v) || negative) return bad(n, kw, "must be a non-negative integer");
    if (v.is_number_float()) {
      double d = v.get<double>();
      return std::optional<std::uint64_t>(d >= 1.8e19 ? std::numeric_limits<std::uint64_t>::max()
                                                      : static_cast<std::uint64_t>(d));
    }
    return std::optional<std::uint64_t>(v.get<std::uint64_t>());
  }

  Result<void> type(Node& n, const Json& v) {
    auto one = [&](const Json& name) {
      return name.is_string() && kTypeNames.contains(name.get<std::string>());
    };
    if (v.is_string() && one(v)) {
      n.types = type_bit(v.get<std::string>());
      return {};
    }
    bool ok = v.is_array() && !v.empty() && unique_values(v);
    for (const auto& name : v) ok = ok && one(name);
    if (!ok) {
      return bad(n, "type",
                 "must be one of array, boolean, integer, null, number, object, string, or a "
                 "non-empty array of unique ones");
    }
    for (const auto& name : v) n.types |= type_bit(name.get<std::string>());
    return {};
  }

  Result<void> compile_ref(Node& n, const Json& s) {
    const Json& ref = s["$ref"];
    if (!ref.is_string()) return bad(n, "$ref", "must be a string");
    auto target = refs_.resolve(ref.get<std::string>(), n.pointer);
    if (!target) return bad(n, "$ref", target.error().message);
    auto index = node_at(*target, c_.draft != Draft::v4);
    if (!index) return index.error();
    n.ref = *index;
    // Siblings of "$ref" are ignored, but definitions next to it are still referenced.
    for (const char* kw : {"definitions", "$defs"}) {
      if (auto it = s.find(kw); it != s.end()) {
        if (auto r = schema_map(n, kw, *it, nullptr); !r) return r;
      }
    }
    return {};
  }

  Result<void> compile_object(const Json& s, Node& n) {
    if (s.contains("$ref")) return compile_ref(n, s);
    const bool v4 = c_.draft == Draft::v4, v6 = c_.draft >= Draft::v6, v7 = c_.draft >= Draft::v7;
    for (auto& [kw_ref, v] : s.items()) {
      const std::string& kw = kw_ref;  // lambdas cannot capture structured bindings (clang < 16)
      std::string at = append_pointer(n.pointer, kw);
      auto fail_unless = [&](bool ok, const char* shape) -> Result<void> {
        if (ok) return {};
        return bad(n, kw, std::string("must be ") + shape);
      };
      Result<void> r;
      if (kw == "$schema" || kw == "title" || kw == "description" || kw == "format" ||
          kw == (v4 ? "id" : "$id") ||
          (v7 && (kw == "$comment" || kw == "contentMediaType" || kw == "contentEncoding"))) {
        r = fail_unless(v.is_string(), "a string");
      } else if (v7 && (kw == "readOnly" || kw == "writeOnly")) {
        r = fail_unless(v.is_boolean(), "a boolean");
      } else if (v6 && kw == "examples") {
        r = fail_unless(v.is_array(), "an array");
      } else if (kw == "type") {
        r = type(n, v);
      } else if (kw == "enum") {
        r = fail_unless(v.is_array() && (v7 || (!v.empty() && unique_values(v))),
                        v7 ? "an array" : "a non-empty array of unique values");
        n.enum_values = &v;
      } else if (v6 && kw == "const") {
        n.const_value = &v;
      } else if (kw == "multipleOf") {
        r = fail_unless(v.is_number() && v > 0, "a number greater than 0");
        n.multiple_of = &v;
      } else if (kw == "maximum" || kw == "minimum") {
        r = fail_unless(v.is_number(), "a number");
        (kw == "maximum" ? n.maximum : n.minimum) = &v;
      } else if (kw == "exclusiveMaximum" || kw == "exclusiveMinimum") {
        r = exclusive_bound(n, s, kw, v);
      } else if (kw == "maxLength" || kw == "minLength" || kw == "maxItems" || kw == "minItems" ||
                 kw == "maxProperties" || kw == "minProperties") {
        auto value = count(n, kw, v);
        if (!value) return value.error();
        (kw == "maxLength"       ? n.max_length
         : kw == "minLength"     ? n.min_length
         : kw == "maxItems"      ? n.max_items
         : kw == "minItems"      ? n.min_items
         : kw == "maxProperties" ? n.max_properties
                                 : n.min_properties) = *value;
      } else if (kw == "pattern") {
        if (!v.is_string()) return bad(n, kw, "must be a string");
        auto re = compile_ecma_regex(v.get<std::string>());
        if (!re) return bad(n, kw, re.error().message);
        n.pattern = *re;
        n.pattern_text = v.get<std::string>();
      } else if (kw == "uniqueItems") {
        r = fail_unless(v.is_boolean(), "a boolean");
        n.unique_items = v.is_boolean() && v.get<bool>();
      } else if (kw == "items") {
        r = items(n, v);
      } else if (kw == "additionalItems" || kw == "additionalProperties" || kw == "not" ||
                 (v6 && (kw == "contains" || kw == "propertyNames")) ||
                 (v7 && (kw == "if" || kw == "then" || kw == "else"))) {
        auto index = child(n, at, kw == "additionalItems" || kw == "additionalProperties");
        if (!index) return index.error();
        (kw == "additionalItems"        ? n.additional_items
         : kw == "additionalProperties" ? n.additional_properties
         : kw == "not"                  ? n.not_schema
         : kw == "contains"             ? n.contains
         : kw == "propertyNames"        ? n.property_names
         : kw == "if"                   ? n.if_schema
         : kw == "then"                 ? n.then_schema
                                        : n.else_schema) = *index;
      } else if (kw == "allOf" || kw == "anyOf" || kw == "oneOf") {
        r = schema_list(n, kw, v, kw == "allOf" ? n.all_of : kw == "anyOf" ? n.any_of : n.one_of);
      } else if (kw == "required") {
        r = string_array(n, kw, v, n.required);
      } else if (kw == "properties" || kw == "definitions" || kw == "$defs") {
        r = schema_map(n, kw, v, kw == "properties" ? &n.properties : nullptr);
      } else if (kw == "patternProperties") {
        r = pattern_properties(n, v);
      } else if (kw == "dependencies") {
        r = dependencies(n, v);
      }
      if (!r) return r;
    }
    if (v4) return draft4_exclusive_bounds(n, s);
    return {};
  }

  Result<void> exclusive_bound(Node& n, const Json& s, const std::string& kw, const Json& v) {
    if (c_.draft == Draft::v4) {
      if (!v.is_boolean()) return bad(n, kw, "must be a boolean");
      std::string bound = kw == "exclusiveMaximum" ? "maximum" : "minimum";
      if (!s.contains(bound)) return bad(n, kw, "requires \"" + bound + "\"");
      return {};
    }
    if (!v.is_number()) return bad(n, kw, "must be a number");
    (kw == "exclusiveMaximum" ? n.exclusive_maximum : n.exclusive_minimum) = &v;
    return {};
  }

  // Draft-04's "exclusiveMaximum": true turns "maximum" into an exclusive bound.
  Result<void> draft4_exclusive_bounds(Node& n, const Json& s) {
    auto flag = [&](const char* kw) {
      auto it = s.find(kw);
      return it != s.end() && it->is_boolean() && it->get<bool>();
    };
    if (flag("exclusiveMaximum")) std::swap(n.maximum, n.exclusive_maximum);
    if (flag("exclusiveMinimum")) std::swap(n.minimum, n.exclusive_minimum);
    return {};
  }

  Result<void> items(Node& n, const Json& v) {
    std::string at = append_pointer(n.pointer, "items");
    if (!v.is_array()) {
      if (!v.is_object() && !(v.is_boolean() && c_.draft != Draft::v4)) {
        return bad(n, "items", "must be a schema or a non-empty array of schemas");
      }
      auto index = child(n, at);
      if (!index) return index.error();
      n.items = *index;
      return {};
    }
    n.has_tuple_items = true;
    return schema_list(n, "items", v, n.tuple_items);
  }

  Result<void> pattern_properties(Node& n, const Json& v) {
    if (!v.is_object())
      return bad(n, "patternProperties", "must be an object whose values are schemas");
    std::string at = append_pointer(n.pointer, "patternProperties");
    for (auto& [pattern, sub] : v.items()) {
      auto re = compile_ecma_regex(pattern);
      if (!re) return bad(n, "patternProperties", re.error().message);
      auto index = child(n, append_pointer(at, pattern));
      if (!index) return index.error();
      n.pattern_properties.emplace_back(*re, *index);
    }
    return {};
  }

  Result<void> dependencies(Node& n, const Json& v) {
    if (!v.is_object()) return bad(n, "dependencies", "must be an object");
    std::string at = append_pointer(n.pointer, "dependencies");
    for (auto& [name, dep] : v.items()) {
      if (dep.is_array()) {
        std::vector<std::string> names;
        if (auto r = string_array(n, "dependencies", dep, names); !r) return r;
        n.dependent_required.emplace_back(name, std::move(names));
        continue;
      }
      if (!dep.is_object() && !(dep.is_boolean() && c_.draft != Draft::v4)) {
        return bad(n, "dependencies", "\"" + name + "\" must be a schema or an array of strings");
      }
      auto index = child(n, append_pointer(at, name));
      if (!index) return index.error();
      n.dependent_schemas.emplace_back(name, *index);
    }
    return {};
  }

  Compiled& c_;
  const RefResolver& refs_;
  std::map<std::string, int> index_;
  int depth_ = 0;
};

}  // namespace

Result<void> compile_nodes(Compiled& compiled) {
  auto refs = RefResolver::scan(compiled.document, compiled.draft);
  if (!refs) return refs.error();
  NodeCompiler compiler(compiled, *refs);
  auto root = compiler.node_at("", compiled.draft != Draft::v4);
  if (!root) return root.error();
  return {};
}

}  // namespace utask::model::json_schema_detail

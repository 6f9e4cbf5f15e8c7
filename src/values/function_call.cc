#include "values/function_call.h"

#include <cctype>

namespace utask::values {
namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) b++;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) e--;
  return std::string(s.substr(b, e - b));
}

// Splits at top-level commas (not inside brackets, braces or parentheses).
std::vector<std::string> split_top(std::string_view s) {
  std::vector<std::string> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); i++) {
    char c = s[i];
    if (c == '(' || c == '[' || c == '{') depth++;
    if (c == ')' || c == ']' || c == '}') depth--;
    if (c == ',' && depth == 0) {
      out.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  std::string last = trim(s.substr(start));
  if (!last.empty() || !out.empty()) out.push_back(last);
  return out;
}

// "name type" → type; "type" alone → type (with has_name false).
std::pair<std::string, std::string> split_name(const std::string& entry) {
  int depth = 0;
  for (size_t i = 0; i < entry.size(); i++) {
    char c = entry[i];
    if (c == '(' || c == '[' || c == '{') depth++;
    if (c == ')' || c == ']' || c == '}') depth--;
    if (c == ' ' && depth == 0) return {entry.substr(0, i), trim(entry.substr(i + 1))};
  }
  return {"", entry};
}

std::string normalise(std::string t) {
  // interface{} → interface {}; any → interface {}
  std::string out;
  for (size_t i = 0; i < t.size(); i++) {
    if (t.compare(i, 11, "interface{}") == 0) {
      out += "interface {}";
      i += 10;
    } else {
      out += t[i];
    }
  }
  if (out == "any") out = "interface {}";
  size_t p;
  while ((p = out.find("]any")) != std::string::npos) out.replace(p, 4, "]interface {}");
  return out;
}

}  // namespace

GoParamType parse_go_type(std::string_view type) {
  GoParamType t;
  t.name = normalise(trim(type));
  const std::string& n = t.name;
  using K = GoParamType::Kind;
  using G = Value::GoType;
  if (n == "interface {}") {
    t.kind = K::any;
  } else if (n == "reflect.Value") {
    t.kind = K::reflect_value;
  } else if (n == "bool") {
    t.kind = K::boolean;
  } else if (n == "int" || n == "int8" || n == "int16" || n == "int32" || n == "int64" || n == "rune") {
    t.kind = K::signed_integer;
    if (n == "int64") t.go_type = G::int64;
    if (n == "int32" || n == "rune") t.go_type = G::int32;
    if (n == "rune") t.name = "int32";
  } else if (n == "uint" || n == "uint8" || n == "byte" || n == "uint16" || n == "uint32" || n == "uint64" ||
             n == "uintptr") {
    t.kind = K::unsigned_integer;
    if (n == "uint8" || n == "byte") {
      t.go_type = G::uint8;
      t.name = "uint8";
    }
    if (n == "uint") t.go_type = G::uint;
  } else if (n == "float64" || n == "float32") {
    t.kind = K::floating;
    if (n == "float32") t.go_type = G::float32;
  } else if (n == "complex128" || n == "complex64") {
    t.kind = K::complex;
  } else if (n == "string") {
    t.kind = K::string;
  } else if (n.rfind("[]", 0) == 0) {
    t.kind = K::slice;
    if (n == "[]string") t.go_type = G::string_slice;
    if (n == "[]int") t.go_type = G::int_slice;
    if (n == "[]int64") t.go_type = G::int64_slice;
    if (n == "[]float64") t.go_type = G::float64_slice;
    if (n == "[]byte" || n == "[]uint8") t.name = "[]uint8";
  } else if (n.rfind("map[", 0) == 0) {
    t.kind = K::map;
    if (n == "map[string]string") t.go_type = G::string_map;
  } else {
    t.kind = K::other;
  }
  return t;
}

GoSignature parse_go_signature(std::string_view signature) {
  GoSignature sig;
  std::string s = trim(signature);
  if (s.rfind("func", 0) == 0) s = trim(s.substr(4));
  // Parameters: the balanced parenthesis group.
  size_t open = s.find('(');
  if (open == std::string::npos) return sig;
  int depth = 0;
  size_t close = open;
  for (size_t i = open; i < s.size(); i++) {
    if (s[i] == '(') depth++;
    if (s[i] == ')' && --depth == 0) {
      close = i;
      break;
    }
  }
  auto entries = split_top(std::string_view(s).substr(open + 1, close - open - 1));
  bool named = false;
  for (const auto& e : entries)
    if (!split_name(e).first.empty()) named = true;
  std::vector<std::string> types(entries.size());
  if (named) {
    // Grouped names take the type of the next entry that has one: "a, b string".
    std::string pending;
    for (size_t i = entries.size(); i-- > 0;) {
      auto [name, type] = split_name(entries[i]);
      if (name.empty()) {
        types[i] = pending;
      } else {
        types[i] = type;
        pending = type;
      }
    }
  } else {
    types = entries;
  }
  for (auto& t : types) {
    if (t.rfind("...", 0) == 0) {
      sig.variadic = true;
      sig.params.push_back(parse_go_type(t.substr(3)));
    } else {
      sig.params.push_back(parse_go_type(t));
    }
  }
  // Results: "T", "(T, error)", "error" or nothing.
  std::string rest = trim(std::string_view(s).substr(close + 1));
  std::vector<std::string> results;
  if (!rest.empty() && rest[0] == '(') {
    for (auto& r : split_top(std::string_view(rest).substr(1, rest.size() - 2))) results.push_back(split_name(r).second);
  } else if (!rest.empty()) {
    results.push_back(rest);
  }
  if (!results.empty() && results.back() == "error") {
    sig.returns_error = true;
    results.pop_back();
  }
  for (auto& r : results) sig.results.push_back(parse_go_type(r));
  return sig;
}

bool assignable(const Value& v, const GoParamType& t) {
  using K = GoParamType::Kind;
  if (t.kind == K::any || t.kind == K::reflect_value) return true;
  if (v.is(Value::Kind::missing) || v.is(Value::Kind::nil)) return false;
  return v.go_type_name() == t.name;
}

Value type_result(Value v, const GoParamType& t) {
  using K = GoParamType::Kind;
  switch (t.kind) {
    case K::signed_integer:
    case K::unsigned_integer:
      if (v.is(Value::Kind::integer) || v.is(Value::Kind::unsigned_integer)) return v.with_go_type(t.go_type);
      return v;
    case K::floating:
      if (v.is(Value::Kind::floating)) return v.with_go_type(t.go_type);
      return v;
    case K::slice:
      if (v.is(Value::Kind::list)) return v.with_go_type(t.go_type);
      return v;
    case K::map:
      if (v.is(Value::Kind::map)) return v.with_go_type(t.go_type);
      return v;
    default:
      return v;
  }
}

}  // namespace utask::values

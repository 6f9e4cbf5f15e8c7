// Base URIs, ids and "$ref" resolution (draft-07 §8, RFC 3986 §5.2). Only the document
// itself can be referenced: its own retrieval URI is "", so a schema without ids resolves
// "#/definitions/x" against "" and an id-less reference to "other.json" finds nothing.

#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "model/json_schema_internal.h"

namespace utask::model::json_schema_detail {
namespace {

struct Uri {
  std::string scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

Uri parse_uri(const std::string& text) {
  Uri u;
  std::string rest = text;
  if (auto hash = rest.find('#'); hash != std::string::npos) {
    u.has_fragment = true;
    u.fragment = rest.substr(hash + 1);
    rest.resize(hash);
  }
  if (auto q = rest.find('?'); q != std::string::npos) {
    u.has_query = true;
    u.query = rest.substr(q + 1);
    rest.resize(q);
  }
  if (auto colon = rest.find(':');
      colon != std::string::npos && colon > 0 && rest.find_first_of("/") > colon) {
    u.has_scheme = true;
    u.scheme = rest.substr(0, colon);
    rest.erase(0, colon + 1);
  }
  if (rest.starts_with("//")) {
    u.has_authority = true;
    auto slash = rest.find('/', 2);
    u.authority = rest.substr(2, slash == std::string::npos ? std::string::npos : slash - 2);
    rest = slash == std::string::npos ? "" : rest.substr(slash);
  }
  u.path = rest;
  return u;
}

std::string remove_dot_segments(std::string in) {
  std::string out;
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.erase(0, 3);
    } else if (in.starts_with("./")) {
      in.erase(0, 2);
    } else if (in.starts_with("/./")) {
      in.erase(0, 2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../") || in == "/..") {
      in = in == "/.." ? "/" : in.substr(3);
      auto slash = out.rfind('/');
      out.resize(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in.clear();
    } else {
      auto next = in.find('/', in[0] == '/' ? 1 : 0);
      out += in.substr(0, next);
      in = next == std::string::npos ? "" : in.substr(next);
    }
  }
  return out;
}

std::string to_string(const Uri& u) {
  std::string s;
  if (u.has_scheme) s += u.scheme + ":";
  if (u.has_authority) s += "//" + u.authority;
  s += u.path;
  if (u.has_query) s += "?" + u.query;
  if (u.has_fragment) s += "#" + u.fragment;
  return s;
}

// RFC 3986 §5.2.2.
std::string resolve_uri(const std::string& base_text, const std::string& ref_text) {
  Uri base = parse_uri(base_text), ref = parse_uri(ref_text), t;
  if (ref.has_scheme) {
    t = ref;
    t.path = remove_dot_segments(ref.path);
    return to_string(t);
  }
  if (ref.has_authority) {
    t = ref;
    t.path = remove_dot_segments(ref.path);
  } else {
    if (ref.path.empty()) {
      t.path = base.path;
      t.has_query = ref.has_query || base.has_query;
      t.query = ref.has_query ? ref.query : base.query;
    } else {
      if (ref.path.starts_with("/")) {
        t.path = remove_dot_segments(ref.path);
      } else if (base.has_authority && base.path.empty()) {
        t.path = remove_dot_segments("/" + ref.path);
      } else {
        auto slash = base.path.rfind('/');
        std::string dir = slash == std::string::npos ? "" : base.path.substr(0, slash + 1);
        t.path = remove_dot_segments(dir + ref.path);
      }
      t.has_query = ref.has_query;
      t.query = ref.query;
    }
    t.has_authority = base.has_authority;
    t.authority = base.authority;
  }
  t.has_scheme = base.has_scheme;
  t.scheme = base.scheme;
  t.has_fragment = ref.has_fragment;
  t.fragment = ref.fragment;
  return to_string(t);
}

std::pair<std::string, std::string> split_fragment(const std::string& uri) {
  auto hash = uri.find('#');
  if (hash == std::string::npos) return {uri, ""};
  return {uri.substr(0, hash), uri.substr(hash + 1)};
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Unescaped tokens of a JSON pointer ("/a~1b/c" → {"a/b", "c"}); nullopt when malformed.
std::optional<std::vector<std::string>> pointer_tokens(const std::string& pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') return std::nullopt;
  std::size_t start = 1;
  while (true) {
    auto end = pointer.find('/', start);
    std::string raw = pointer.substr(start, end == std::string::npos ? end : end - start);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '~') {
        token += raw[i];
      } else if (i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token += raw[++i] == '0' ? '~' : '/';
      } else {
        return std::nullopt;
      }
    }
    tokens.push_back(std::move(token));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return tokens;
}

class Scanner {
 public:
  Scanner(Draft draft, std::map<std::string, std::string>& bases,
          std::map<std::string, std::string>& ids)
      : draft_(draft), bases_(bases), ids_(ids) {}

  Result<void> walk(const Json& schema, const std::string& pointer, std::string base) {
    if (depth_ >= kMaxSchemaDepth) {
      return Error::invalid_template(
          "schema at " + display_pointer(pointer) + " is nested too deeply",
          display_pointer(pointer));
    }
    ++depth_;
    Result<void> r = walk_schema(schema, pointer, std::move(base));
    --depth_;
    return r;
  }

 private:
  Result<void> walk_schema(const Json& schema, const std::string& pointer, std::string base) {
    if (!schema.is_object()) {
      bases_[pointer] = base;
      return {};
    }
    const char* id_key = draft_ == Draft::v4 ? "id" : "$id";
    auto id = schema.find(id_key);
    if (id != schema.end() && id->is_string() && !schema.contains("$ref")) {
      auto [doc, fragment] = split_fragment(resolve_uri(base, id->get<std::string>()));
      std::string key = fragment.empty() ? doc : doc + "#" + fragment;
      if (!fragment.starts_with("/")) {
        if (auto [it, added] = ids_.emplace(key, pointer); !added) {
          return Error::invalid_template("duplicate schema id \"" + key + "\" (" + id_key + " at " +
                                             display_pointer(pointer) + ")",
                                         display_pointer(pointer));
        }
      }
      base = doc;
    }
    bases_[pointer] = base;
    for (auto& [key, value] : schema.items()) {
      std::string at = append_pointer(pointer, key);
      if (holds_schema(key)) {
        if (value.is_array() && key == "items") {
          for (std::size_t i = 0; i < value.size(); ++i) {
            if (auto r = walk(value[i], append_pointer(at, std::to_string(i)), base); !r) return r;
          }
        } else if (auto r = walk(value, at, base); !r) {
          return r;
        }
      } else if (holds_schema_array(key) && value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
          if (auto r = walk(value[i], append_pointer(at, std::to_string(i)), base); !r) return r;
        }
      } else if (holds_schema_map(key) && value.is_object()) {
        for (auto& [name, sub] : value.items()) {
          if (sub.is_array()) continue;  // dependencies: a list of names
          if (auto r = walk(sub, append_pointer(at, name), base); !r) return r;
        }
      }
    }
    return {};
  }

  bool holds_schema(const std::string& k) const {
    if (k == "additionalItems" || k == "additionalProperties" || k == "not" || k == "items") {
      return true;
    }
    if (draft_ >= Draft::v6 && (k == "contains" || k == "propertyNames")) return true;
    return draft_ >= Draft::v7 && (k == "if" || k == "then" || k == "else");
  }
  static bool holds_schema_array(const std::string& k) {
    return k == "allOf" || k == "anyOf" || k == "oneOf";
  }
  static bool holds_schema_map(const std::string& k) {
    return k == "properties" || k == "patternProperties" || k == "definitions" || k == "$defs" ||
           k == "dependencies";
  }

  Draft draft_;
  std::map<std::string, std::string>& bases_;
  std::map<std::string, std::string>& ids_;
  int depth_ = 0;
};

}  // namespace

std::string display_pointer(const std::string& pointer) { return "#" + pointer; }

const Json* at_pointer(const Json& document, const std::string& pointer) {
  auto tokens = pointer_tokens(pointer);
  if (!tokens) return nullptr;
  const Json* at = &document;
  for (const auto& token : *tokens) {
    if (at->is_object()) {
      auto it = at->find(token);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else if (at->is_array()) {
      if (token.empty() || token.size() > 9 ||
          token.find_first_not_of("0123456789") != std::string::npos ||
          (token.size() > 1 && token[0] == '0')) {
        return nullptr;
      }
      auto index = std::stoul(token);
      if (index >= at->size()) return nullptr;
      at = &(*at)[index];
    } else {
      return nullptr;
    }
  }
  return at;
}

std::string append_pointer(const std::string& pointer, const std::string& token) {
  std::string out = pointer + "/";
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

Result<RefResolver> RefResolver::scan(const Json& document, Draft draft) {
  RefResolver resolver;
  resolver.document_ = &document;
  resolver.pointer_by_uri_[""] = "";
  Scanner scanner(draft, resolver.base_by_pointer_, resolver.pointer_by_uri_);
  if (auto r = scanner.walk(document, "", ""); !r) return r.error();
  return resolver;
}

Result<std::string> RefResolver::resolve(const std::string& ref, const std::string& from) const {
  // A schema reached only through a pointer into an unwalked place inherits the base URI of
  // its nearest walked ancestor.
  std::string at = from;
  auto base = base_by_pointer_.find(at);
  while (base == base_by_pointer_.end()) {
    at.resize(at.rfind('/'));
    base = base_by_pointer_.find(at);
  }
  std::string target = resolve_uri(base->second, ref);
  auto [doc, fragment] = split_fragment(target);
  fragment = percent_decode(fragment);
  std::string pointer;
  if (fragment.empty() || fragment.starts_with("/")) {
    auto found = pointer_by_uri_.find(doc);
    if (found == pointer_by_uri_.end()) {
      return Error::invalid_template("reference to another document \"" + target +
                                     "\" is not supported");
    }
    auto tokens = pointer_tokens(fragment);
    if (!tokens) return Error::invalid_template("malformed JSON pointer \"" + fragment + "\"");
    pointer = found->second;
    for (const auto& token : *tokens) pointer = append_pointer(pointer, token);
  } else {
    auto found = pointer_by_uri_.find(doc + "#" + fragment);
    if (found == pointer_by_uri_.end()) {
      return Error::invalid_template("no schema has the id \"" + target + "\"");
    }
    pointer = found->second;
  }
  const Json* schema = at_pointer(*document_, pointer);
  if (schema == nullptr) return Error::invalid_template("\"" + ref + "\" designates nothing");
  if (!schema->is_object() && !schema->is_boolean()) {
    return Error::invalid_template("\"" + ref + "\" designates a value that is not a schema");
  }
  return pointer;
}

}  // namespace utask::model::json_schema_detail

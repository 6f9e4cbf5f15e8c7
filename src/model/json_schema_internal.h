#pragma once
// What JsonSchema's translation units share; nothing outside src/model/json_schema*.cc
// includes this.
//
// Invariants of a Compiled:
// * `document` is never modified after compilation starts: every `const Json*` of a Node
//   points into it, so a Compiled lives on the heap and is never moved.
// * nodes[0] is the root; a Node's subschema fields are indexes into `nodes` (-1 = absent).
//   One Node per document location, so a recursive schema is a cycle of indexes.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/error.h"
#include "model/json.h"

namespace re2 {
class RE2;
}

namespace utask::model::json_schema_detail {

enum class Draft { v4 = 4, v6 = 6, v7 = 7 };

// Bits of Node::types.
enum TypeBit : unsigned {
  kNull = 1,
  kBoolean = 2,
  kObject = 4,
  kArray = 8,
  kNumber = 16,
  kInteger = 32,
  kString = 64,
};

using Regex = std::shared_ptr<const re2::RE2>;

// Schemas nested deeper than this are refused rather than risking the stack.
constexpr int kMaxSchemaDepth = 256;

struct Node {
  std::string pointer;           // JSON pointer of the schema in the document ("" = root)
  const Json* schema = nullptr;  // object or boolean
  int ref = -1;                  // with "$ref", every other keyword is ignored

  // Assertions on the instance itself.
  unsigned types = 0;  // 0 = any
  const Json* enum_values = nullptr;
  const Json* const_value = nullptr;
  const Json* multiple_of = nullptr;
  const Json* maximum = nullptr;  // inclusive bounds
  const Json* minimum = nullptr;
  const Json* exclusive_maximum = nullptr;  // draft-04's boolean form is folded in here
  const Json* exclusive_minimum = nullptr;
  std::optional<std::uint64_t> max_length, min_length, max_items, min_items;
  std::optional<std::uint64_t> max_properties, min_properties;
  Regex pattern;
  std::string pattern_text;
  bool unique_items = false;
  std::vector<std::string> required;
  std::vector<std::pair<std::string, std::vector<std::string>>> dependent_required;

  // Subschemas.
  std::vector<std::pair<std::string, int>> properties;
  std::vector<std::pair<Regex, int>> pattern_properties;
  std::vector<std::pair<std::string, int>> dependent_schemas;
  int additional_properties = -1;
  int property_names = -1;
  int items = -1;                // one schema for every item
  std::vector<int> tuple_items;  // "items" as an array
  bool has_tuple_items = false;
  int additional_items = -1;  // only meaningful with tuple items
  int contains = -1;
  int if_schema = -1, then_schema = -1, else_schema = -1, not_schema = -1;
  std::vector<int> all_of, any_of, one_of;
};

struct Compiled {
  Json document;
  Draft draft = Draft::v7;
  std::vector<Node> nodes;
};

// The draft named by a "$schema" URI (http or https, with or without the trailing "#").
std::optional<Draft> draft_from_uri(const std::string& uri);

// "#/a/b" form of a JSON pointer, for messages.
std::string display_pointer(const std::string& pointer);
std::string append_pointer(const std::string& pointer, const std::string& token);
// The value at a JSON pointer, nullptr when there is none.
const Json* at_pointer(const Json& document, const std::string& pointer);

// ECMA-262 pattern → RE2 (UTF-8, unanchored search). Constructs RE2 cannot run (lookaround,
// backreferences) are errors. The message says what is wrong.
Result<Regex> compile_ecma_regex(const std::string& pattern);

// Ids and "$ref" resolution over one document.
class RefResolver {
 public:
  // Walks every schema of the document (the keywords of `draft` that hold schemas) and
  // records its base URI and the ids it declares. Fails on a duplicate id.
  static Result<RefResolver> scan(const Json& document, Draft draft);

  // The JSON pointer of the schema `ref` designates, `ref` being written in the schema at
  // `from`. Fails (message only) when the target is in another document or does not exist.
  Result<std::string> resolve(const std::string& ref, const std::string& from) const;

 private:
  const Json* document_ = nullptr;
  std::map<std::string, std::string> base_by_pointer_;  // schema pointer → base URI
  std::map<std::string, std::string> pointer_by_uri_;   // id (absolute, with fragment if any)
};

// Compiles document into nodes (nodes[0] = root), checking every keyword's shape.
Result<void> compile_nodes(Compiled& compiled);

// Every violation of nodes[0] by `instance`, as "<instance pointer>: <message>".
std::vector<std::string> validate_instance(const Compiled& compiled, const Json& instance);

}  // namespace utask::model::json_schema_detail

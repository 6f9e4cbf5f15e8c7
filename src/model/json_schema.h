#pragma once
// JSON Schema drafts 04, 06 and 07: the `json_schema` of a step (engine.md §2.4, §4.7).
//
// A schema is normalized when the template loads (a missing "$schema" is derived from
// "version"), compiled once (every keyword's shape checked, patterns compiled, every "$ref"
// resolved), then used to validate each output of the step. Only local references are
// supported: JSON pointers into the document ("#/definitions/x", "#/$defs/x", "#") and ids
// declared inside it; a reference to another document is a compile error. `format` is an
// annotation and is not enforced.
//
// Thread safety: a compiled JsonSchema is immutable; copies share it and may validate from
// several threads at once.

#include <memory>
#include <string>
#include <vector>

#include "model/error.h"
#include "model/json_fwd.h"

namespace utask::model {

// §2.4: with "$schema", unchanged. Without: removes "version" and sets "$schema" from it
// (number 6 → draft-06, 4 → draft-04, anything else or absent → draft-07). Non-objects are
// returned as they are (compile() rejects them).
Json normalize_json_schema(Json schema);

namespace json_schema_detail {
struct Compiled;
}

class JsonSchema {
 public:
  // Compiles `schema`, whose "$schema" picks the draft (absent → draft-07; an unknown URI is
  // an error). Errors are invalid_template, naming the keyword and the schema's JSON pointer
  // (also in Error::field).
  static Result<JsonSchema> compile(const Json& schema);

  // Every violation as "<instance JSON pointer>: <message>" (the root's pointer is ""); an
  // empty vector means `instance` is valid.
  std::vector<std::string> validate(const Json& instance) const;

  // The compiled schema, as given to compile().
  const Json& document() const;

 private:
  explicit JsonSchema(std::shared_ptr<const json_schema_detail::Compiled> compiled);
  std::shared_ptr<const json_schema_detail::Compiled> compiled_;
};

}  // namespace utask::model

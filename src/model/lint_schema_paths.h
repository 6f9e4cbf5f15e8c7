#pragma once
// Which dotted paths a JSON schema lets a template read (engine.md §2.5): used to lint
// `{{ .step.X.output.a.b }}` against step X's `json_schema` and `.metadata.a.b` against a
// plugin's metadata schema.
//
// The graph is over property *names*: the roots are the top-level properties; children(N) is
// the union of the properties of every schema given to a property named N anywhere in the
// document (names are global, as in the original). A schema's properties are those of the
// schema itself, of the schemas its "$ref" leads to, and of its allOf/anyOf/oneOf/not/if/then/
// else members, so a path is accepted if some shape of the value has it. Recursive schemas
// are fine: every schema location is visited once.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/error.h"
#include "model/json.h"

namespace utask::model::lint_detail {

class SchemaPaths {
 public:
  // Fails (invalid_template) when a property is named "utaskRootKey", the original's reserved
  // name: `Cannot use property "utaskRootKey" as it's a reserved keyword. Please rename your
  // property`. Unresolvable "$ref"s contribute nothing.
  static Result<SchemaPaths> build(const Json& schema);

  // `keys` (e.g. {"foo", "bar"}) starts at a root and follows children.
  bool has_path(const std::vector<std::string>& keys) const;

 private:
  std::set<std::string> roots_;
  std::map<std::string, std::set<std::string>> children_;
};

}  // namespace utask::model::lint_detail

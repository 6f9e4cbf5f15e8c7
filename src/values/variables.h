#pragma once
// The variables of a template (`variables:`, engine.md §1.3 and §7.6), as `eval` and
// `evalCache` see them:
//   - a `value` that is a string is a template, rendered at each use against the data tree
//     of the running template (the same root, so `.iterator` and `.step.this` of an outer
//     rendering are visible, as in the original);
//   - any other `value` (map, list, number, bool) is returned as it is, for structural use
//     (`(eval "m").a`);
//   - an `expression` is rendered the same way, then evaluated as JavaScript (values/js)
//     within `expression_timeout` (Go duration, default 10 s); the result is the string
//     conversion of the program's completion value (`2 + 2;` gives "4").
// evalCache's memo lives in the EvalContext (one per data tree), not here: a Variables object
// is immutable once made and may serve any number of renderings and threads at once.

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "values/eval_context.h"
#include "values/function_table.h"
#include "values/renderer.h"
#include "values/value.h"

namespace utask::model {
struct Variable;
}

namespace utask::values {

namespace js {
class JsEngine;
}

class Variables {
 public:
  static constexpr std::chrono::seconds kDefaultTimeout{10};

  // From the template's variables (checked by lint beforehand; anything lint would reject
  // that still reaches here is reported when the variable is evaluated, as the original did).
  // Two variables with the same name: the last one wins, as in the original. Value and
  // expression templates are parsed once, with `functions`. `engine` null means
  // JsEngine::shared(); a given engine must outlive this object.
  static Variables make(const std::vector<model::Variable>& variables,
                        const FunctionTable& functions = default_function_table(), js::JsEngine* engine = nullptr);

  // What `eval "<name>"` yields while rendering with `ctx` (its root is the data tree):
  // a string for templated values and expressions, the value itself otherwise. Errors:
  // "Var name not found in template: '<name>'"; a rendering error prefixed by
  // "Templating error: " (as the original's renderer reported it); the JS engine's errors
  // (js_engine.h); the timeout's parse error (`time: invalid duration "x"`); and, where the
  // original overflowed its stack, "variable \"<name>\": eval nested too deeply".
  Result<Value> eval(std::string_view name, EvalContext& ctx) const;

  // Makes `eval` / `evalCache` of templates executed with `ctx` reach these variables.
  // REQUIRES: *this outlives every rendering that uses ctx.
  void attach(EvalContext& ctx) const;

  bool contains(std::string_view name) const { return entries_.find(name) != entries_.end(); }

 private:
  struct Entry {
    enum class Kind { fixed, templated, expression } kind = Kind::fixed;
    Value fixed;                      // Kind::fixed
    Result<Template> parsed = Error{};  // Kind::templated / expression: the text, parsed
    Result<std::chrono::nanoseconds> timeout = std::chrono::nanoseconds(kDefaultTimeout);
  };

  std::map<std::string, Entry, std::less<>> entries_;
  js::JsEngine* engine_ = nullptr;
};

}  // namespace utask::values

#pragma once
// Executes a parsed template as Go's text/template/exec.go does: the walk over the tree, the
// evaluation of pipelines, fields, variables and calls, Go's truth, range/with/if, nested
// templates, and errors "template: NAME:LINE:COL: executing \"NAME\" at <NODE>: MESSAGE".
// Internal to the values layer; the public entry point is values/renderer.h.

#include <map>
#include <memory>
#include <string>

#include "model/error.h"
#include "values/ast.h"
#include "values/function_call.h"
#include "values/function_table.h"

namespace utask::values {

class EvalContext;

// A function an identifier of the template names, resolved at parse time.
struct Callee {
  const FunctionRow* row = nullptr;
  GoSignature signature;
  bool builtin = false;
};
using CalleeMap = std::map<std::string, Callee, std::less<>>;

// Templates deeper than this fail ("exceeded maximum template depth"). Go allows 100000; a
// native stack does not, so the limit is lower (docs/templating.md).
constexpr int kMaxExecDepth = 1000;

Result<std::string> execute_template(const TreeSet& set, const std::string& name, const CalleeMap& callees,
                                     const Value& data, EvalContext* context);

}  // namespace utask::values

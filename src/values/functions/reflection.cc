// sprig's reflection functions: typeOf, typeIs, typeIsLike, kindOf, kindIs, deepEqual.

#include "values/functions/families.h"
#include "values/functions/support.h"

namespace utask::values::fn {

void add_reflection_functions(FunctionTable& t) {
  t.add(row("typeOf", "func(src interface{}) string", "Go's type name of the value (fmt's %T).",
            R"({{ typeOf (list 1) }})",
            [](FunctionCall& c) -> Result<Value> { return Value::string(arg(c, 0).go_type_name()); }));
  t.add(row("typeIs", "func(target string, src interface{}) bool", "Whether the value's type is target.",
            R"({{ typeIs "string" "a" }})", [](FunctionCall& c) -> Result<Value> {
              return Value::boolean(arg_string(c, 0) == arg(c, 1).go_type_name());
            }));
  t.add(row("typeIsLike", "func(target string, src interface{}) bool", "typeIs, also true for a pointer to target.",
            R"({{ typeIsLike "string" "a" }})", [](FunctionCall& c) -> Result<Value> {
              std::string type = arg(c, 1).go_type_name();
              return Value::boolean(arg_string(c, 0) == type || "*" + arg_string(c, 0) == type);
            }));
  t.add(row("kindOf", "func(src interface{}) string", "Go's reflect kind of the value (map, slice, string, ...).",
            R"({{ kindOf (dict) }})",
            [](FunctionCall& c) -> Result<Value> { return Value::string(kind_name(arg(c, 0))); }));
  t.add(row("kindIs", "func(target string, src interface{}) bool", "Whether the value's kind is target.",
            R"({{ kindIs "map" (dict) }})",
            [](FunctionCall& c) -> Result<Value> { return Value::boolean(arg_string(c, 0) == kind_name(arg(c, 1))); }));
  t.add(row("deepEqual", "func(x interface{}, y interface{}) bool", "reflect.DeepEqual.",
            R"({{ deepEqual (list 1 2) (list 1 2) }})",
            [](FunctionCall& c) -> Result<Value> { return Value::boolean(deep_equal(arg(c, 0), arg(c, 1))); }));
}

}  // namespace utask::values::fn

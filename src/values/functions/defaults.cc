// sprig's defaults and flow control: default, empty, coalesce, all, any, compact, ternary, fail.

#include "values/functions/families.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

Result<Value> compact(const Value& v) {
  auto kind = slice_kind(v);
  if (!kind) return kind.error();
  if (!is_slice(v)) return call_error("Cannot compact on type " + *kind);
  List out;
  for (const Value& item : slice_items(v)) {
    if (!is_empty(item)) out.push_back(item);
  }
  return Value::list(std::move(out));
}

}  // namespace

void add_default_functions(FunctionTable& t) {
  t.add(row("default", "func(d interface{}, given ...interface{}) interface{}",
            "given when it is not empty (nil, \"\", 0, false, empty list or map), else d.",
            R"({{ "" | default "foo" }})", [](FunctionCall& c) -> Result<Value> {
              if (c.args.size() < 2 || is_empty(c.args[1])) return arg(c, 0);
              return c.args[1];
            }));
  t.add(row("empty", "func(given interface{}) bool", "Whether the value is empty.", R"({{ empty "" }})",
            [](FunctionCall& c) -> Result<Value> { return Value::boolean(is_empty(arg(c, 0))); }));
  t.add(row("coalesce", "func(v ...interface{}) interface{}", "The first non-empty argument (else nil).",
            R"({{ coalesce 0 "" "x" }})", [](FunctionCall& c) -> Result<Value> {
              for (const Value& v : c.args) {
                if (!is_empty(v)) return v;
              }
              return Value::nil();
            }));
  t.add(row("all", "func(v ...interface{}) bool", "Whether no argument is empty.", R"({{ all 1 "a" true }})",
            [](FunctionCall& c) -> Result<Value> {
              for (const Value& v : c.args) {
                if (is_empty(v)) return Value::boolean(false);
              }
              return Value::boolean(true);
            }));
  t.add(row("any", "func(v ...interface{}) bool", "Whether some argument is not empty.", R"({{ any 0 "" "x" }})",
            [](FunctionCall& c) -> Result<Value> {
              for (const Value& v : c.args) {
                if (!is_empty(v)) return Value::boolean(true);
              }
              return Value::boolean(false);
            }));
  t.add(row("compact", "func(list interface{}) []interface{}", "The list without its empty elements.",
            R"({{ list 1 "" 0 "a" | compact }})", [](FunctionCall& c) { return compact(arg(c, 0)); }));
  t.add(row("mustCompact", "func(list interface{}) ([]interface{}, error)", "compact, failing on a non-list.",
            R"({{ list 1 "" "a" | mustCompact }})", [](FunctionCall& c) { return compact(arg(c, 0)); }));
  t.add(row("ternary", "func(vt interface{}, vf interface{}, v bool) interface{}", "vt when v is true, else vf.",
            R"({{ ternary "yes" "no" true }})", [](FunctionCall& c) -> Result<Value> {
              return c.args.size() > 2 && c.args[2].as_bool() ? arg(c, 0) : arg(c, 1);
            }));
  t.add(row("fail", "func(msg string) (string, error)", "Stops the template with the error msg.",
            R"({{ if false }}{{ fail "no" }}{{ end }})",
            [](FunctionCall& c) -> Result<Value> { return call_error(arg_string(c, 0)); }));
}

}  // namespace utask::values::fn

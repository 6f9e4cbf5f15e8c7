// µTask's own template functions (engine.md §7.7): field, fieldFrom, eval, evalCache,
// fromJson, mustFromJson (these two replace sprig's), uuid, b64RawEnc, b64RawDec, jsonmarshal.

#include "values/eval_context.h"
#include "values/functions/families.h"
#include "values/functions/go_base.h"
#include "values/functions/go_json.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

// Walks maps by keys; any miss (or a non-map on the way) is no value.
Value walk(Value cur, const std::vector<std::string>& keys) {
  for (const std::string& k : keys) {
    if (!cur.is(Value::Kind::map)) return Value::missing();
    const Map& m = cur.as_map();
    auto it = m.find(k);
    if (it == m.end()) return Value::missing();
    cur = it->second;
  }
  // reflect.ValueOf(nil) is the invalid value too.
  if (cur.is(Value::Kind::nil)) return Value::missing();
  return cur;
}

Result<Value> from_json(const std::string& text, bool must) {
  Value partial = Value::missing();
  auto v = go_json_unmarshal(text, &partial);
  if (!v) {
    if (must) return v.error();
    return partial.is(Value::Kind::nil) ? Value::missing() : partial;
  }
  if (v->is(Value::Kind::nil)) return Value::missing();
  return *v;
}

}  // namespace

void add_utask_functions(FunctionTable& t) {
  t.add(row("field", "func(key ...string) reflect.Value",
            "Walks the data root by keys; a missing key gives no value (keys may hold dots or dashes).",
            R"({{ field "a" "b" }})", [](FunctionCall& c) -> Result<Value> {
              std::vector<std::string> keys;
              for (const Value& k : c.args) keys.push_back(k.as_string());
              Value root = c.context ? c.context->root() : Value::missing();
              if (keys.empty()) return root.is(Value::Kind::map) ? root : Value::missing();
              return walk(root, keys);
            }));
  t.add(row("fieldFrom", "func(params ...interface{}) (reflect.Value, error)",
            "Walks the piped map by keys: `.step.x.output | fieldFrom \"a-b\" \"c\"`.",
            R"({{ dict "a" (dict "b" 1) | fieldFrom "a" "b" }})", [](FunctionCall& c) -> Result<Value> {
              if (c.args.size() < 2) return call_error("invalid number of parameters given");
              const Value& data = c.args.back();
              if (!data.is(Value::Kind::map) || data.go_type() != Value::GoType::standard) {
                return call_error("unable to cast given data to a map[string]");
              }
              std::vector<std::string> keys;
              for (size_t i = 0; i + 1 < c.args.size(); ++i) {
                if (!c.args[i].is(Value::Kind::string)) return call_error("foo");
                keys.push_back(c.args[i].as_string());
              }
              return walk(data, keys);
            }));
  t.add(row("eval", "func(name string) (interface{}, error)",
            "The value of the template variable name (a JS expression is evaluated).", R"({{ eval "myvar" }})",
            [](FunctionCall& c) -> Result<Value> {
              if (c.context == nullptr) {
                return call_error("Var name not found in template: '" + arg_string(c, 0) + "'");
              }
              return c.context->eval(arg_string(c, 0));
            }));
  t.add(row("evalCache", "func(name string) (interface{}, error)",
            "Like eval, keeping the first non-null result for the rest of the resolution cycle.",
            R"({{ evalCache "myvar" }})", [](FunctionCall& c) -> Result<Value> {
              if (c.context == nullptr) {
                return call_error("Var name not found in template: '" + arg_string(c, 0) + "'");
              }
              return c.context->eval_cached(arg_string(c, 0));
            }));
  t.add(row("fromJson", "func(s string) (reflect.Value, error)",
            "Decodes JSON (numbers become float64); invalid JSON gives no value.",
            R"({{ (fromJson "{\"a\": [1, 2]}").a }})",
            [](FunctionCall& c) { return from_json(arg_string(c, 0), false); }));
  t.add(row("mustFromJson", "func(s string) (reflect.Value, error)", "fromJson, failing on invalid JSON.",
            R"({{ (mustFromJson "{\"a\": 1}").a }})",
            [](FunctionCall& c) { return from_json(arg_string(c, 0), true); }));
  t.add(row("uuid", "func() (uuid.UUID, error)", "A random UUID (version 4).", R"({{ len (toString uuid) }})",
            [](FunctionCall&) -> Result<Value> { return Value::string(random_uuid_v4()); }));
  t.add(row("b64RawEnc", "func(s string) string", "Base64 (standard alphabet) without padding.",
            R"({{ b64RawEnc "hello" }})",
            [](FunctionCall& c) -> Result<Value> { return Value::string(base64_encode(arg_string(c, 0), false)); }));
  t.add(row("b64RawDec", "func(s string) string", "Decodes unpadded base64 (the error text on bad input).",
            R"({{ b64RawDec "aGVsbG8" }})", [](FunctionCall& c) -> Result<Value> {
              auto r = base64_decode(arg_string(c, 0), false);
              return Value::string(r ? *r : r.error().message);
            }));
  t.add(row("jsonmarshal", "func(i interface{}) (interface{}, error)", "JSON text of a value (no HTML escaping).",
            R"({{ jsonmarshal (dict "a" "<b>") }})", [](FunctionCall& c) -> Result<Value> {
              auto r = go_json_marshal(arg(c, 0), JsonStyle{false, false});
              if (!r) return r.error();
              return Value::string(std::move(*r));
            }));
}

}  // namespace utask::values::fn

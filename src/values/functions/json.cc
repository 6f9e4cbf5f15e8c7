// sprig's JSON encoders: toJson, toPrettyJson, toRawJson and their must* forms. (The decoders
// fromJson/mustFromJson are µTask's, in utask.cc.)

#include "values/functions/families.h"
#include "values/functions/go_json.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

FunctionImpl encoder(JsonStyle style, bool must) {
  return [style, must](FunctionCall& c) -> Result<Value> {
    auto r = go_json_marshal(arg(c, 0), style);
    if (!r) {
      if (must) return r.error();
      // toJson and toPrettyJson swallow the error; toRawJson panics with it.
      if (!style.escape_html) return r.error();
      return Value::string("");
    }
    return Value::string(std::move(*r));
  };
}

}  // namespace

void add_json_functions(FunctionTable& t) {
  JsonStyle plain{true, false}, pretty{true, true}, raw{false, false};
  t.add(row("toJson", "func(v interface{}) string", "JSON text (HTML characters escaped; \"\" on error).",
            R"({{ dict "a" 1 "b" "<x>" | toJson }})", encoder(plain, false)));
  t.add(row("toPrettyJson", "func(v interface{}) string", "Indented JSON text (two spaces).",
            R"({{ dict "a" (list 1 2) | toPrettyJson }})", encoder(pretty, false)));
  t.add(row("toRawJson", "func(v interface{}) string", "JSON text without HTML escaping.",
            R"({{ dict "a" "<x>" | toRawJson }})", encoder(raw, false)));
  t.add(row("mustToJson", "func(v interface{}) (string, error)", "toJson, failing on unencodable values.",
            R"({{ list 1 "a" | mustToJson }})", encoder(plain, true)));
  t.add(row("mustToPrettyJson", "func(v interface{}) (string, error)", "toPrettyJson, failing on error.",
            R"({{ list 1 | mustToPrettyJson }})", encoder(pretty, true)));
  t.add(row("mustToRawJson", "func(v interface{}) (string, error)", "toRawJson, failing on error.",
            R"({{ list "<a>" | mustToRawJson }})", encoder(raw, true)));
}

}  // namespace utask::values::fn

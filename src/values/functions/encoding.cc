// sprig's base64/base32 functions. Decoders return Go's error text instead of failing, as
// sprig does.

#include "values/functions/families.h"
#include "values/functions/go_base.h"
#include "values/functions/support.h"

namespace utask::values::fn {

void add_encoding_functions(FunctionTable& t) {
  t.add(row("b64enc", "func(v string) string", "Standard base64 with padding.", R"({{ b64enc "hello" }})",
            [](FunctionCall& c) -> Result<Value> { return Value::string(base64_encode(arg_string(c, 0), true)); }));
  t.add(row("b64dec", "func(v string) string", "Decodes standard base64 (the error text on bad input).",
            R"({{ b64dec "aGVsbG8=" }})", [](FunctionCall& c) -> Result<Value> {
              auto r = base64_decode(arg_string(c, 0), true);
              return Value::string(r ? *r : r.error().message);
            }));
  t.add(row("b32enc", "func(v string) string", "Standard base32 with padding.", R"({{ b32enc "hello" }})",
            [](FunctionCall& c) -> Result<Value> { return Value::string(base32_encode(arg_string(c, 0))); }));
  t.add(row("b32dec", "func(v string) string", "Decodes standard base32 (the error text on bad input).",
            R"({{ b32dec "NBSWY3DP" }})", [](FunctionCall& c) -> Result<Value> {
              auto r = base32_decode(arg_string(c, 0));
              return Value::string(r ? *r : r.error().message);
            }));
}

}  // namespace utask::values::fn

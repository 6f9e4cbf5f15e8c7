#pragma once
// The public face of the template engine: Go's text/template language (with sprig's and µTask's
// functions) over JSON data. Output and error messages are Go's, byte for byte, except for the
// deliberate differences listed in docs/templating.md.
//
//   auto t = Template::parse("Hello {{ .input.name }}", "tmpl");
//   if (!t) ... t.error().message == "template: tmpl:1: ..."
//   auto out = t->execute(Value::from_json(data));

#include <memory>
#include <string>
#include <string_view>

#include "model/error.h"
#include "model/json_fwd.h"
#include "values/eval_context.h"
#include "values/function_table.h"
#include "values/value.h"

namespace utask::values {

// A parsed template; immutable, so one may be executed from several threads at once. Parse
// errors name the line as Go does ("template: <name>:1: unexpected ..."); execution errors name
// line:column and the node ("template: <name>:1:3: executing \"<name>\" at <.a.b>: ...").
class Template {
 public:
  static Result<Template> parse(std::string_view text, std::string name = "tpl",
                                const FunctionTable& functions = default_function_table());

  // Renders with `data` as dot and `$`. The context (optional) supplies `field`'s root (the
  // data itself when absent), the evalCache and the eval hook.
  Result<std::string> execute(const Value& data, EvalContext* ctx = nullptr) const;
  Result<std::string> execute(const Json& data, EvalContext* ctx = nullptr) const;

  const std::string& name() const;

 private:
  struct Impl;
  explicit Template(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// Parses and executes `text` (named "tmpl", as the engine names its templates) with `data`.
Result<std::string> render(std::string_view text, const Json& data);

}  // namespace utask::values

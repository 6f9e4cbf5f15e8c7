#include "values/renderer.h"

#include "model/json.h"
#include "values/builtins.h"
#include "values/executor.h"
#include "values/parser.h"

namespace utask::values {

struct Template::Impl {
  std::string name;
  std::shared_ptr<TreeSet> trees;
  CalleeMap callees;
};

Result<Template> Template::parse(std::string_view text, std::string name, const FunctionTable& functions) {
  auto impl = std::make_shared<Impl>();
  impl->name = name;
  // Identifiers resolve at parse time: the table first, then Go's builtins.
  auto has_function = [&](std::string_view id) {
    if (impl->callees.count(id)) return true;
    const FunctionRow* row = functions.find(id);
    bool builtin = false;
    if (!row) {
      row = builtin_function_table().find(id);
      builtin = row != nullptr;
    }
    if (!row) return false;
    impl->callees.emplace(std::string(id), Callee{row, parse_go_signature(row->signature), builtin});
    return true;
  };
  auto trees = parse_template(text, name, has_function);
  if (!trees) return trees.error();
  impl->trees = std::move(trees.value());
  return Template(std::move(impl));
}

Result<std::string> Template::execute(const Value& data, EvalContext* ctx) const {
  Value dot = data.is(Value::Kind::nil) ? Value::missing() : data;
  if (ctx) return execute_template(*impl_->trees, impl_->name, impl_->callees, dot, ctx);
  EvalContext local(dot);
  return execute_template(*impl_->trees, impl_->name, impl_->callees, dot, &local);
}

Result<std::string> Template::execute(const Json& data, EvalContext* ctx) const {
  return execute(Value::from_json(data), ctx);
}

const std::string& Template::name() const { return impl_->name; }

Result<std::string> render(std::string_view text, const Json& data) {
  auto t = Template::parse(text, "tmpl");
  if (!t) return t.error();
  return t->execute(data);
}

}  // namespace utask::values

#include "values/variables.h"

#include <utility>

#include "model/go_duration.h"
#include "model/task_template.h"
#include "values/js/js_engine.h"

namespace utask::values {
namespace {

// The original recursed without bound on a variable that evaluates itself (and died of a Go
// stack overflow); a C++ stack is smaller, so nested evaluations stop at this depth.
constexpr int kMaxNesting = 64;
thread_local int nesting = 0;

struct NestingGuard {
  NestingGuard() { ++nesting; }
  ~NestingGuard() { --nesting; }
};

Result<std::string> render(const Result<Template>& parsed, EvalContext& ctx) {
  if (!parsed) return Error::invalid_template("Templating error: " + parsed.error().message);
  auto out = parsed->execute(ctx.root(), &ctx);
  if (!out) return Error::invalid_template("Templating error: " + out.error().message);
  return out;
}

}  // namespace

Variables Variables::make(const std::vector<model::Variable>& variables, const FunctionTable& functions,
                          js::JsEngine* engine) {
  Variables result;
  result.engine_ = engine != nullptr ? engine : &js::JsEngine::shared();
  for (const model::Variable& v : variables) {
    Entry entry;
    // A null value is Go's nil: the variable is then an expression (empty if none).
    if (v.value && !v.value->is_null()) {
      if (v.value->is_string()) {
        entry.kind = Entry::Kind::templated;
        entry.parsed = Template::parse(v.value->get<std::string>(), "tmpl", functions);
      } else {
        entry.kind = Entry::Kind::fixed;
        entry.fixed = Value::from_json(*v.value);
      }
    } else {
      entry.kind = Entry::Kind::expression;
      entry.parsed = Template::parse(v.expression.value_or(""), "tmpl", functions);
      if (v.expression_timeout && !v.expression_timeout->empty()) {
        entry.timeout = model::parse_go_duration(*v.expression_timeout);
      }
    }
    result.entries_.insert_or_assign(v.name, std::move(entry));
  }
  return result;
}

Result<Value> Variables::eval(std::string_view name, EvalContext& ctx) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) return Error::invalid_template("Var name not found in template: '" + std::string(name) + "'");
  const Entry& entry = it->second;
  if (entry.kind == Entry::Kind::fixed) return entry.fixed;

  if (nesting >= kMaxNesting) {
    return Error::invalid_template("variable \"" + std::string(name) + "\": eval nested too deeply");
  }
  NestingGuard guard;
  auto text = render(entry.parsed, ctx);
  if (!text) return text.error();
  if (entry.kind == Entry::Kind::templated) return Value::string(std::move(*text));

  if (!entry.timeout) return entry.timeout.error();
  auto completion = engine_->evaluate(*text, *entry.timeout);
  if (!completion) return completion.error();
  return Value::string(std::move(*completion));
}

void Variables::attach(EvalContext& ctx) const {
  ctx.set_eval_hook([this, &ctx](std::string_view name) { return eval(name, ctx); });
}

}  // namespace utask::values

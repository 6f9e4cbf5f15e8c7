#include "values/eval_context.h"

namespace utask::values {

Result<Value> EvalContext::eval(std::string_view name) const {
  if (!eval_hook_) return Error::invalid_template("Var name not found in template: '" + std::string(name) + "'");
  return eval_hook_(name);
}

Result<Value> EvalContext::eval_cached(std::string_view name) {
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(name); it != cache_.end()) return it->second;
  }
  auto r = eval(name);
  if (!r) return r;
  if (!r->is(Value::Kind::nil) && !r->is(Value::Kind::missing)) {
    std::lock_guard lock(mu_);
    cache_.emplace(std::string(name), *r);
  }
  return r;
}

void EvalContext::clear_cache() {
  std::lock_guard lock(mu_);
  cache_.clear();
}

}  // namespace utask::values

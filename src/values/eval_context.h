#pragma once
// What one execution of a template carries besides its data: the root of the data tree (for
// `field`), the variables' evalCache results, the function options, and the hook through which
// `eval` / `evalCache` reach the template variables (filled by values/variables).

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "model/error.h"
#include "values/function_table.h"
#include "values/value.h"

namespace utask::values {

class EvalContext {
 public:
  using EvalHook = std::function<Result<Value>(std::string_view var_name)>;

  EvalContext() = default;
  explicit EvalContext(Value root) : root_(std::move(root)) {}

  const Value& root() const { return root_; }
  void set_root(Value root) { root_ = std::move(root); }

  const FunctionOptions& options() const { return options_; }
  void set_options(FunctionOptions o) { options_ = o; }

  void set_eval_hook(EvalHook hook) { eval_hook_ = std::move(hook); }

  // `eval NAME`: the variable's value through the hook; without one (or for an unknown name the
  // hook reports) the original's error "Var name not found in template: 'NAME'".
  Result<Value> eval(std::string_view name) const;
  // `evalCache NAME`: like eval, but the first non-null result is kept in this context.
  Result<Value> eval_cached(std::string_view name);
  void clear_cache();

 private:
  Value root_;
  FunctionOptions options_;
  EvalHook eval_hook_;
  std::mutex mu_;
  std::map<std::string, Value, std::less<>> cache_;
};

}  // namespace utask::values

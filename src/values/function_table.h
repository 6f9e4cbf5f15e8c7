#pragma once
// The function library of templates as one table (STYLE §13): each row gives a name, its Go
// signature, a description with an example, and the implementation. The executor converts
// the arguments to the declared parameter types exactly as Go's reflection-based call does
// (untyped constants convert, typed values must match, `interface{}` takes anything,
// variadic `...T` collects the rest) and reports Go's messages on mismatch, so
// implementations receive arguments of the declared kinds. One file per family under
// values/functions/ registers its rows.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "values/value.h"

namespace utask::values {

class EvalContext;  // the running template: data root, evalCache scope, options

struct FunctionCall {
  std::vector<Value> args;  // converted to the signature's parameter types
  EvalContext* context = nullptr;
};

using FunctionImpl = std::function<Result<Value>(FunctionCall& call)>;

struct FunctionRow {
  std::string name;
  // Go signature, e.g. "func(s string) string", "func(list ...interface{}) []interface{}",
  // "func(format string, a ...interface{}) (string, error)". A second `error` result means the
  // implementation may fail (the template stops with the error, as in Go).
  std::string signature;
  std::string description;
  std::string example;  // template text rendered by the tests and the Go oracle
  FunctionImpl impl;
};

struct FunctionOptions {
  bool allow_env = false;  // sprig env/expandenv read the server environment only if enabled
};

class FunctionTable {
 public:
  // A row with the name of an existing one replaces it (µTask's functions override sprig's).
  void add(FunctionRow row);
  const FunctionRow* find(std::string_view name) const;
  const std::vector<FunctionRow>& rows() const { return rows_; }

 private:
  std::vector<FunctionRow> rows_;
  std::map<std::string, size_t, std::less<>> index_;  // name → position in rows_
};

// The full library: sprig v3 (minus key and certificate generation) and µTask's own.
const FunctionTable& default_function_table(const FunctionOptions& options = {});

}  // namespace utask::values

#pragma once
// Go's reflection-based function call as text/template performs it, driven by the Go signature
// of a FunctionRow: parameter and result types parsed from "func(a string, b ...interface{})
// (string, error)", and validateType (what a computed argument must be to fit a parameter).
// Internal to the values layer (the executor uses it).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "values/value.h"

namespace utask::values {

struct GoParamType {
  enum class Kind { any, reflect_value, boolean, signed_integer, unsigned_integer, floating, complex, string, slice, map, other };
  Kind kind = Kind::any;
  std::string name = "interface {}";  // Go's spelling, as in reflect.Type.String()
  Value::GoType go_type = Value::GoType::standard;  // what a value of this type is tagged with

  bool can_be_nil() const {
    return kind == Kind::any || kind == Kind::reflect_value || kind == Kind::slice || kind == Kind::map;
  }
};

struct GoSignature {
  std::vector<GoParamType> params;  // the variadic one last, as its element type
  bool variadic = false;
  std::vector<GoParamType> results;  // without a trailing error
  bool returns_error = false;
};

// Parses a Go function type. Unknown type names are kept as `other` (assignable only from a
// value whose Go type has that name).
GoSignature parse_go_signature(std::string_view signature);
GoParamType parse_go_type(std::string_view type);

// Whether a value of a concrete Go type (no interface box) fits a parameter.
bool assignable(const Value& v, const GoParamType& t);

// The value a function result becomes once typed by its declared result type: an integer
// declared int64 is tagged int64, a list declared []string is tagged []string, etc.
Value type_result(Value v, const GoParamType& t);

}  // namespace utask::values

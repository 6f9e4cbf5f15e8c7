#pragma once
// What the function families share: Go's conversions as sprig performs them (spf13/cast with
// errors ignored), fmt's `%v`, sprig's `empty`, reflect.DeepEqual, and row helpers.
// Internal to values/functions/.

#include <optional>
#include <string>
#include <string_view>

#include "values/function_table.h"

namespace utask::values::fn {

// Go's wrapping int64 arithmetic (C++ signed overflow is undefined).
inline int64_t wrap_add(int64_t a, int64_t b) { return int64_t(uint64_t(a) + uint64_t(b)); }
inline int64_t wrap_sub(int64_t a, int64_t b) { return int64_t(uint64_t(a) - uint64_t(b)); }

// cast.ToInt64 / cast.ToInt (64-bit int): numbers truncate, strings parse as Go's
// strconv.ParseInt(s, 0, 64) after dropping a zero decimal part ("12.0"), bools 1/0; anything
// else, or a failed parse, gives 0.
int64_t to_int64(const Value& v);
// cast.ToFloat64: as above with strconv.ParseFloat for strings and json.Number.
double to_float64(const Value& v);

// fmt's `%v` of a value (values/go_format.h).
std::string sprint(const Value& v);
// sprig's strval: strings and bytes as is, json.Number its text, others `%v`.
std::string strval(const Value& v);
// strconv.ParseFloat(s, 64); nullopt on a syntax or range error.
std::optional<double> parse_go_float(std::string_view s);

// sprig's empty(): missing/nil, "", 0, false, empty list/map; json.Number is a string (never
// empty unless its text is); times are structs (never empty).
bool is_empty(const Value& v);

// reflect.DeepEqual over values (kinds must match; int and int64 count as one kind).
bool deep_equal(const Value& a, const Value& b);

// reflect.Kind name ("string", "int", "int64", "float64", "bool", "slice", "map", "struct",
// "invalid" for nil).
std::string kind_name(const Value& v);

// reflect.TypeOf(v).Kind().String() as sprig's list functions call it: nil has no type and
// Go dereferences a nil pointer (the error text is the runtime's).
Result<std::string> slice_kind(const Value& v);

// Slices for sprig's reflection-based list functions: lists, and []byte as a list of uint8.
bool is_slice(const Value& v);
List slice_items(const Value& v);

// strconv.Quote (what fmt's %q does to a string).
std::string go_quote(std::string_view s);

// Go's message for a function that panicked (text/template wraps it as "error calling X: ...").
Error call_error(std::string message);

// Row builder: name, signature, description, example, implementation.
FunctionRow row(std::string name, std::string signature, std::string description, std::string example,
                FunctionImpl impl);

// Argument accessors for implementations (arguments already have the declared kinds).
const std::string& arg_string(const FunctionCall& call, size_t i);
int64_t arg_int(const FunctionCall& call, size_t i);
Value arg(const FunctionCall& call, size_t i);  // missing past the end, missing → nil

// sprig's strslice: a list's non-nil elements as strings; nil → empty; another value → [v].
std::vector<std::string> strslice(const Value& v);

// A random RFC 4122 version 4 UUID in its canonical text form (crypto.cc).
std::string random_uuid_v4();

// A []string result (Go slices of strings print like []interface{} of strings).
Value string_list(const std::vector<std::string>& items);

}  // namespace utask::values::fn

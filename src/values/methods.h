#pragma once
// The methods templates can call on data values, as Go's reflection finds them: json.Number's
// String/Int64/Float64 and time.Time's Unix, Format, Year, ... (`{{ .n.Int64 }}`,
// `{{ (now).Format "2006" }}`). Internal to the values layer (the executor calls them).

#include <string>

#include "values/function_call.h"
#include "values/function_table.h"

namespace utask::values {

// The method `name` of the value's Go type and its parsed signature (the receiver is passed as
// the first argument); null when the type has no such method.
const FunctionRow* find_method(const Value& v, const std::string& name, const GoSignature** signature);

}  // namespace utask::values

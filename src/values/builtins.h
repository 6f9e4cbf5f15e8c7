#pragma once
// text/template's predefined functions (and or not len index slice eq ne lt le gt ge print
// printf println html js urlquery call) as a FunctionTable with Go's signatures, so the
// executor converts their arguments as Go does. `and`/`or` short-circuit in the executor; the
// table rows only declare them. Function-table rows with the same name win (sprig's `slice`).

#include "values/function_table.h"
#include "values/value.h"

namespace utask::values {

const FunctionTable& builtin_function_table();

// Go's truth of a value (text/template isTrue): false for missing, nil, false, 0, "", empty
// list/map; true otherwise (json.Number is a string: always true unless empty).
bool go_is_true(const Value& v);

}  // namespace utask::values

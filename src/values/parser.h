#pragma once
// Go text/template's parser (text/template/parse/parse.go): the same grammar, the same checks
// at parse time (defined functions, declared variables, break/continue inside range) and the
// same messages ("template: NAME:LINE: unexpected ...").

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "model/error.h"
#include "values/ast.h"

namespace utask::values {

// name: the template's name (the key of the main tree in the set). has_function tells whether
// an identifier names a function (the table's or a builtin).
Result<std::shared_ptr<TreeSet>> parse_template(std::string_view text, const std::string& name,
                                                const std::function<bool(std::string_view)>& has_function);

}  // namespace utask::values

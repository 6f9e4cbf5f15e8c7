#pragma once
// V8's texts for the commonest runtime errors, rewritten as the original's interpreter (otto)
// worded them, so error messages of existing templates stay the same:
//   ReferenceError: foo is not defined                   → ReferenceError: 'foo' is not defined
//   TypeError: Cannot read properties of null (reading 'x')  → TypeError: Cannot access member 'x' of null
//   TypeError: a.b is not a function                     → TypeError: 'b' is not a function
// Any other text is returned unchanged.

#include <string>
#include <string_view>

namespace utask::values::js {

std::string otto_error_text(std::string_view v8_text);

}  // namespace utask::values::js

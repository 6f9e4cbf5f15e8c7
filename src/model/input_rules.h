#pragma once
// The rules of task inputs (engine.md §1.2): checks of an input *definition* when a template is
// linted, and checks of input *values* when a task is created or updated (and of resolver
// inputs when a resolution is created). Messages are the original's, e.g.
// `Missing input 'foo'`, `Invalid input 'foo': 'x' is not a legal value ([a b])`.
//
// Two deliberate differences (DECISIONS.md): numeric legal values match numerically (5 matches
// 5.0), and every failing field is reported, not only the first one.

#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "model/json.h"
#include "model/task_template.h"

namespace utask::model {

// The input type names a template may use, in the order the original lists them.
inline constexpr std::string_view kInputTypeNames[] = {"string", "password", "bool", "number"};

// Maps a type name as written ("" = string) to the type; false for an unknown name.
bool parse_input_type(std::string_view name, InputType& type);

// Template-time checks of one input definition, in the original's order: regex together with
// legal values, regex compilation (RE2), type name, each legal value's type, the default's
// type (on the default itself, even for a collection) and the default's value checks.
// Returns every problem found (empty: valid).
std::vector<std::string> check_input_definition(const Input& input);

// Checks one given value against the input (REQUIRES: value is neither null nor ""):
// collection → array whose elements are each checked; type; `%v` text at most 100000 bytes;
// legal values, else regex (unanchored search on the `%v` text), else no double quote.
Result<void> check_input_value(const Input& input, const Json& value);

struct InputCheck {
  Json values;                // object: the normalized input map
  std::vector<Error> errors;  // one per failing input (code invalid_input, field = its name)
  bool ok() const { return errors.empty(); }
};

// Validates `given` (an object, or null for none) against the declared inputs: a missing, null
// or "" value takes the input's default when it has one (a null default counts as none), else
// is an error unless the input is optional; other values go through check_input_value().
// The result holds the declared inputs that were given or defaulted, plus the undeclared ones
// when keep_undeclared (resolver inputs are stored as given). A `given` that is neither an
// object nor null yields one error.
InputCheck validate_input_values(const std::vector<Input>& declared, const Json& given,
                                 bool keep_undeclared);

// Go's `%v` text of a value: strings as is, numbers as written, `true`, `<nil>`,
// `[a b]` for arrays, `map[k:v]` for objects (keys sorted).
std::string format_go_value(const Json& value);

}  // namespace utask::model

#pragma once
// List fields of typed action configurations (Go `[]string`), which
// decode_typed_configuration (catalog.h) leaves to each action as `any`.

#include <string>
#include <vector>

#include "model/error.h"
#include "model/json.h"

namespace utask::actions {

// The list under `field` of a decoded configuration: absent or null → empty, null elements →
// "", otherwise an array of strings, else the original's decoding message (`failed to
// unmarshal configuration: json: cannot unmarshal number into Go struct field Config.<field>
// of type string`, `... string into Go struct field Config.<field> of type []string`).
Result<std::vector<std::string>> decode_string_list(const Json& config, const std::string& field);

// Go's name of a JSON value's kind in decoding messages: bool, number, string, array, object.
const char* go_json_kind(const Json& value);

}  // namespace utask::actions

#pragma once
// Internal to yaml_json.cc: YAML 1.1 resolution of an untagged plain scalar (go-yaml v2's
// resolve()): booleans, null, integers (any base, `_` separators), floats, else the string.

#include <string>

#include "model/json.h"

namespace utask::model {

Json resolve_plain_scalar(const std::string& text);

}  // namespace utask::model

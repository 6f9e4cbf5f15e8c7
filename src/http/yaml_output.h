#pragma once
// The YAML form of a JSON response (api.md §1.4): the same document, map keys sorted, block
// style; numbers keep their text and strings that would read back as another type are quoted.

#include <optional>
#include <string>
#include <string_view>

#include "model/json.h"

namespace utask::http {

std::string json_to_yaml(const Json& value);
// nullopt when `json_text` is not JSON (the response is then left as it is).
std::optional<std::string> json_text_to_yaml(std::string_view json_text);

}  // namespace utask::http

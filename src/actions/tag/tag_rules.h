#pragma once
// Tag maps in action configurations (`tag.tags`, `subtask.tags`, `batch.tags`): decoding as
// Go's map[string]string and the reserved key (actions.md §1.8).

#include <map>
#include <string>
#include <string_view>

#include "model/error.h"
#include "model/json.h"

namespace utask::actions {

// Set by the engine on every child task; no configuration may set it.
inline constexpr std::string_view kParentTaskIdTag = "_utask_parent_task_id";

// The string map under `field` of a decoded configuration: absent or null → empty, a null
// value → "", a non-string value → `failed to unmarshal configuration: json: cannot unmarshal
// number into Go struct field Config.<field> of type string`.
Result<std::map<std::string, std::string>> decode_string_map(const Json& config, const std::string& field);

// `tag name "_utask_parent_task_id" not allowed` (invalid_input: a client error).
Result<void> check_tags(const std::map<std::string, std::string>& tags);

}  // namespace utask::actions

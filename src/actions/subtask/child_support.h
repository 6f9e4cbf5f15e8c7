#pragma once
// What subtask and batch share around child tasks: reading their rendered context and turning
// the errors of ActionServices into step error kinds.

#include <string>

#include "actions/action.h"
#include "actions/action_services.h"
#include "model/error.h"
#include "model/json.h"

namespace utask::actions {

// The string `key` of a rendered context object; "" when absent or not a string.
std::string context_string(const Json& context, const char* key);

// The parent's requester from the context: `requester_username` and the comma-separated
// `requester_groups` (empty entries dropped).
Requester requester_from_context(const Json& context);

// invalid_input and forbidden are the user's to fix (client error, the resolution blocks);
// anything else may pass on retry (server error).
ErrorKind error_kind_of(const Error& error);

// The failure of an action that needs ActionServices when the caller gave none.
ActionResult no_services(std::string_view action);

}  // namespace utask::actions

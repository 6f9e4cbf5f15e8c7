#pragma once
// What the engine renders onto the task (engine.md §11): the title (at creation and at every
// run start), the tags (at creation) and the result (when the resolution ends DONE).

#include <map>
#include <string>

#include "engine/data_tree.h"
#include "model/error.h"
#include "model/json.h"

namespace utask::values {
class Variables;
}

namespace utask::engine {

// Renders `text` against `data` (`.input`, `.var`, `.task`), with the template variables
// reachable through eval. Errors are "Templating error: <go error>".
Result<std::string> render_with_variables(std::string_view text, const Json& data,
                                          const values::Variables& variables);

// §11 result: every key of `result_format` rendered first (a key whose rendering changes is
// renamed), then every value: strings rendered, objects processed recursively, the rest kept.
// The first error stops the processing; what was rendered so far is kept in `out`.
Result<void> render_result(const Json& result_format, DataTree& tree, Json& out);

}  // namespace utask::engine

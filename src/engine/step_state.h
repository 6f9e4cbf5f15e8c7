#pragma once
// The runtime step: a step of a resolution, i.e. the template's step (its definition, copied at
// resolution creation, engine.md §3.2) plus what execution wrote on it (state, output,
// metadata, error, try_count, ...). Its JSON form is the api.md §6.5 Step object: what the API
// shows and what the store keeps per step (one encrypted row each).
//
// Invariants kept by the engine (not by this struct): `definition.name` is the map key of the
// resolution's step map; a foreach child has a non-null `item` and no `foreach`; a foreach
// parent lists its children in `children_steps` while EXPANDED.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/error.h"
#include "model/json.h"
#include "model/task_template.h"

namespace utask::engine {

// Engine time: UTC with microsecond precision, as the store keeps it.
using Time = std::chrono::sys_time<std::chrono::microseconds>;

struct StepState {
  // What the template says (name, action, pre_hook, dependencies, conditions, foreach,
  // max_retries, ...). The engine edits it where the original does: condition messages and
  // merge formats are overwritten by their rendered form, foreach parents gain `child:ANY`
  // dependencies, max_retries 0 becomes 10000 at the first execution.
  model::Step definition;

  std::string state = "TODO";
  Json output;    // null when none
  Json metadata;  // null when none
  Json children;  // foreach parent: the collected children (array), null before
  std::string error;
  int64_t try_count = 0;
  std::optional<Time> last_run;              // when the last result was received
  std::vector<std::string> children_steps;   // foreach parent while EXPANDED, in item order
  std::map<std::string, bool> children_steps_map;
  Json item;                                 // foreach child: its element (may be null)
  bool is_child = false;                     // foreach child (item may legitimately be null)
  std::map<std::string, std::string> tags;   // tags returned by the last execution

  const std::string& name() const { return definition.name; }
  bool is_foreach() const { return !definition.foreach.empty(); }
};

// A fresh step of a new resolution: the template step with state TODO.
StepState step_from_template(const model::Step& step);

// api.md §6.5 shape (omitempty rules of the original). Round trips through step_from_json.
Json step_to_json(const StepState& step);
// Reads the §6.5 shape (what step_to_json writes, or an operator's hot-fix body). Keys match
// exactly; unknown keys are ignored. Fails (invalid_input) on a wrongly typed field.
Result<StepState> step_from_json(const Json& json);

// RFC 3339 with nanoseconds in UTC (`2026-11-27T15:04:05.123456Z`), the text of times in step
// and resolution JSON; parse_time reads it back (any offset accepted).
std::string format_time(Time t);
Result<Time> parse_time(std::string_view text);

}  // namespace utask::engine

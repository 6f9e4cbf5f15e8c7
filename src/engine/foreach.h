#pragma once
// foreach (engine.md §6): expansion of a parent into one child step per item, contraction of
// the children into the parent's `children` collection.

#include <string>
#include <vector>

#include "model/error.h"
#include "model/json.h"

namespace utask::engine {

struct Cycle;

// §6.1: renders the parent's `foreach` against the live tree, parses it as a JSON array (null
// counts as []), creates `<parent>-<i>` per item (definition copied without pre_hook,
// execution_delay, foreach; skip conditions flagged `parent` left out; `sequence` chains each
// child to the previous one), appends `<child>:ANY` to the parent's dependencies and sets it
// EXPANDED. On a rendering or parsing error the parent becomes FATAL_ERROR with the text.
// Returns the children created (empty on error).
std::vector<std::string> expand(Cycle& cycle, const std::string& parent);

// §6.2: collects every child that is not PRUNE as {output (if not null), metadata + iterator,
// state} in order, deletes the children (their late results will be discarded), clears the
// parent's error, children lists and dependencies on them. The caller sets the state.
void contract(Cycle& cycle, const std::string& parent);

// The items of a rendered foreach expression: a JSON array, or null (= none). Errors read
// `json: cannot unmarshal <kind> into Go value of type []interface {}`, or the parser's.
Result<Json> parse_foreach_items(const std::string& text);

}  // namespace utask::engine

#pragma once
// A JSON.stringify that writes what the original's interpreter (otto) wrote, installed in
// every context before the program runs. otto turned the value into Go maps and slices and
// encoded them with Go's encoding/json, so its output differs from standard JavaScript in two
// visible ways that templates depend on (e.g. `JSON.stringify(o)` piped to an HTTP body or
// printed):
//   - object keys are sorted (Go maps), at every depth: {"a":2,"b":1} for {b: 1, a: 2};
//   - `<`, `>`, `&`, U+2028 and U+2029 are escaped (\u003c, \u003e, \u0026, \u2028, \u2029).
// The rest follows otto too, which matches the standard: toJSON, replacer functions and
// property lists (whose keys come out sorted as well), the indentation argument, boxed
// primitives, undefined and functions left out, non-finite numbers as null, and
// "TypeError: Converting circular structure to JSON".

namespace utask::values::js {

// JavaScript source; running it replaces JSON.stringify in the current context.
extern const char kOttoJsonPrelude[];

}  // namespace utask::values::js

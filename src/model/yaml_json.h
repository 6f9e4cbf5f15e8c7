#pragma once
// YAML text → utask::Json with the semantics of the original's YAML reader (go-yaml v2, i.e.
// YAML 1.1 scalars, then JSON conversion; engine.md §0.4):
//  * plain scalars resolve as YAML 1.1 does: y/n/yes/no/on/off/true/false in the case
//    variants `x`, `X`, `Xx`, `XX` are booleans; `~`, `null`, empty are null; integers accept
//    `0x..`, `0o..`, `0..` (octal), `0b..`, `_` separators and a sign; floats accept `.5`, `1.`,
//    `1e3`, `.inf`, `.nan`; anything else is a string. Timestamps stay strings.
//  * quoted scalars and `!!str` stay strings; `!!int`, `!!float`, `!!bool`, `!!null` force a type.
//  * mapping keys that are not strings become strings (`1` → "1", `true` → "true", floats in the
//    32-bit shortest form); a null or collection key is an error.
//  * merge keys `<<` (a mapping or a list of mappings) are applied in document order, as go-yaml
//    v2 does: a merged key overrides an explicit key written before the `<<`, not one after it;
//    with a list, the first mapping wins.
//  * anchors and aliases are expanded (bounded: a document expanding to more than 100 000
//    nodes or nesting deeper than 256 levels is refused).
// Numbers are built with json_number_from_literal() so they keep the text they were written
// with whenever that text is valid JSON.

#include <map>
#include <string>
#include <string_view>

#include "model/error.h"
#include "model/json.h"

namespace utask::model {

// 1-based line and column of a YAML node; 0 when unknown.
struct YamlPosition {
  int line = 0;
  int column = 0;
};

struct YamlDocument {
  Json value;
  // Position of every node by field path: "" for the root, "steps.a.action" for a mapping
  // member, "inputs[0]" for a list element.
  std::map<std::string, YamlPosition, std::less<>> positions;

  // The position of `path`, or of its nearest ancestor that has one.
  YamlPosition position_of(std::string_view path) const;
};

// Parses the first YAML document of `yaml` (an empty text is null). Errors name `file` and the
// line/column given by the YAML parser. The error code is invalid_template.
Result<YamlDocument> parse_yaml_document(std::string_view yaml, std::string_view file = {});

// parse_yaml_document(...).value without positions.
Result<Json> yaml_to_json(std::string_view yaml, std::string_view file = {});

// The text a string field receives when the YAML gives a number or a boolean (§0.4):
// integers in decimal, floats in the shortest form that round-trips through a 32-bit float
// (`%g` style: exponent form iff exponent < -4 or >= 6), `.inf`/`-.inf`/`.nan`, booleans as
// true/false. REQUIRES: scalar is a number or a boolean.
std::string yaml_scalar_as_string(const Json& scalar);

// The shortest 32-bit `%g` form of `value` (Go's strconv.FormatFloat(v, 'g', -1, 32)).
std::string format_float32_g(double value);

}  // namespace utask::model

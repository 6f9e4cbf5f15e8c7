#pragma once
// The JSON value type of all task data (inputs, configurations, outputs, metadata, items).
//
// utask::Json is nlohmann::basic_json whose floats carry their literal text (JsonFloat, see
// model/json_fwd.h): the original decodes JSON with json.Number, so `1.50` stays `1.50` and
// `12345678901234567890` keeps its digits in every output (DECISIONS.md). Integers are int64 /
// uint64 as in nlohmann::json. Parse task data with parse_json (nlohmann's own parse() works
// but forgets literal texts) and write it with to_json_text, which follows the engine's JSON
// rules (sorted keys, no spaces, no HTML escaping, numbers as written).

#include <functional>
#include <limits>
#include <string>
#include <string_view>

#include "model/json_fwd.h"

// nlohmann's serializer prints floats through detail::to_chars; this overload, declared before
// the library, prints a JsonFloat's literal text (so dump() and operator<< keep it too).
#include <nlohmann/detail/abi_macros.hpp>
NLOHMANN_JSON_NAMESPACE_BEGIN
namespace detail {
char* to_chars(char* first, const char* last, utask::JsonFloat value);
}  // namespace detail
NLOHMANN_JSON_NAMESPACE_END

template <>
struct std::numeric_limits<utask::JsonFloat> : std::numeric_limits<double> {};
template <>
struct std::hash<utask::JsonFloat> {
  size_t operator()(utask::JsonFloat f) const noexcept { return std::hash<double>{}(f.value); }
};

#include <nlohmann/json.hpp>

#include "model/error.h"

namespace utask {

// nlohmann's conversions for the float type itself (`j.get<JsonFloat>()`, `Json(JsonFloat)`).
void to_json(Json& j, JsonFloat f);
void from_json(const Json& j, JsonFloat& f);

// Parses exactly one JSON value; trailing content other than whitespace is an error naming
// its position (DECISIONS.md: the original ignored trailing garbage). Numbers keep their text.
Result<Json> parse_json(std::string_view text);

// Compact JSON text: sorted keys, no spaces, no HTML escaping, numbers as written.
std::string to_json_text(const Json& value);

// Indented JSON text (two spaces), same rules otherwise.
std::string to_json_text_pretty(const Json& value);

// A JSON number from its literal text (`12`, `-3`, `1.50`, `1e3`, `12345678901234567890`);
// integers that fit int64/uint64 become integers, others floats that keep the text.
// REQUIRES: text is a valid JSON number (YAML callers normalise their syntax first).
Json json_number_from_literal(std::string_view text);

// The text of a number as it should be printed: its literal text, its integer digits, or for
// a computed float the shortest JSON form (`1e+21`, `3e-7`, `0.1`). REQUIRES: v.is_number().
std::string json_number_text(const Json& v);

// Shortest JSON form of a double, as Go's encoding/json writes a float64.
std::string format_json_double(double d);

}  // namespace utask

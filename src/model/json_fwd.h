#pragma once
// Forward declaration of utask::Json, for headers that only pass JSON values around.
// See model/json.h for what the type is and why it is not plain nlohmann::json.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace utask {

// A JSON floating-point number that remembers the text it was written with, when that text
// differs from the shortest form of its value (`1.50`, `1e3`, digits past 64 bits). It lives
// in nlohmann's value union, so it must stay trivial: the text is interned, never freed.
struct JsonFloat {
  double value;
  const std::string* literal;  // nullptr: print the shortest form of `value`

  JsonFloat() = default;
  constexpr JsonFloat(double v) : value(v), literal(nullptr) {}  // NOLINT: implicit like double
  operator double() const { return value; }                      // NOLINT
  // Only for nlohmann's lexer, which writes a fresh float through a double& (its literal is
  // null then; our parser sets it afterwards). Must not touch `literal`: every implicit
  // conversion of a non-const JsonFloat to double goes through here.
  operator double&() { return value; }  // NOLINT
};

using Json = nlohmann::basic_json<std::map, std::vector, std::string, bool, std::int64_t, std::uint64_t,
                                  JsonFloat>;

}  // namespace utask

// sprig's type conversions: atoi, int, int64, float64, toDecimal.

#include <limits>

#include "values/functions/families.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

// strconv.Atoi as sprig uses it: a syntax error gives 0, an out of range value the nearest
// int64 (Atoi returns it alongside the range error).
int64_t atoi(std::string_view s) {
  std::string_view d = s;
  bool neg = false;
  if (!d.empty() && (d[0] == '+' || d[0] == '-')) {
    neg = d[0] == '-';
    d.remove_prefix(1);
  }
  if (d.empty()) return 0;
  unsigned __int128 acc = 0;
  for (char ch : d) {
    if (ch < '0' || ch > '9') return 0;
    if (acc < (unsigned __int128)1 << 70) acc = acc * 10 + unsigned(ch - '0');
  }
  if (neg) {
    if (acc > (unsigned __int128)std::numeric_limits<int64_t>::max() + 1) return std::numeric_limits<int64_t>::min();
    return int64_t(-(__int128)acc);
  }
  if (acc > (unsigned __int128)std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  return int64_t(acc);
}

// strconv.ParseInt(s, 8, 64); errors give 0.
int64_t parse_octal(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return 0;
  uint64_t acc = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '7') return 0;
    if (acc > (uint64_t(1) << 63) / 8) return 0;
    acc = acc * 8 + uint64_t(ch - '0');
  }
  if (neg) return acc > (uint64_t(1) << 63) ? 0 : int64_t(uint64_t(0) - acc);
  return acc > uint64_t(std::numeric_limits<int64_t>::max()) ? 0 : int64_t(acc);
}

}  // namespace

void add_conversion_functions(FunctionTable& t) {
  t.add(row("atoi", "func(a string) int", "Parses a decimal integer (0 when it is not one).", R"({{ atoi "42" }})",
            [](FunctionCall& c) -> Result<Value> { return Value::integer(atoi(arg_string(c, 0))); }));
  t.add(row("int64", "func(v interface{}) int64", "Converts to int64 (cast.ToInt64: strings parse, floats truncate).",
            R"({{ int64 "42" }})",
            [](FunctionCall& c) -> Result<Value> { return Value::integer(to_int64(arg(c, 0))); }));
  t.add(row("int", "func(v interface{}) int", "Converts to int (cast.ToInt).", R"({{ int 4.7 }})",
            [](FunctionCall& c) -> Result<Value> { return Value::integer(to_int64(arg(c, 0))); }));
  t.add(row("float64", "func(v interface{}) float64", "Converts to float64 (cast.ToFloat64).", R"({{ float64 "1.5" }})",
            [](FunctionCall& c) -> Result<Value> { return Value::floating(to_float64(arg(c, 0))); }));
  t.add(row("toDecimal", "func(v interface{}) int64", "Reads an octal (Unix mode) number: \"0777\" → 511.",
            R"({{ toDecimal "0777" }})",
            [](FunctionCall& c) -> Result<Value> { return Value::integer(parse_octal(sprint(arg(c, 0)))); }));
}

}  // namespace utask::values::fn

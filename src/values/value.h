#pragma once
// The values a template pipeline works on: what Go's text/template sees through reflection,
// reduced to the kinds µTask data and sprig functions produce. Cheap to copy (lists and maps
// are shared, copy-on-write is not needed: functions build new containers).
//
// Kinds and their Go counterparts:
//   missing  — an invalid reflect.Value (a map key that is not there): prints `<no value>`
//   nil      — nil interface / JSON null
//   boolean  — bool
//   integer  — int (int64); unsigned — uint64 (only JSON integers past int64)
//   floating — float64
//   number   — a JSON number from data (Go's json.Number: a string type holding the literal)
//   string   — string
//   list     — []interface{}
//   map      — map[string]interface{} (keys sorted, as Go prints and ranges them)
//   time     — time.Time (sprig dates): unix nanoseconds and a UTC offset
//   bytes    — []byte (e.g. sha256 raw, b64 decodes); prints as Go prints a byte slice

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/json_fwd.h"

namespace utask::values {

class Value;
using List = std::vector<Value>;
using Map = std::map<std::string, Value>;

// An instant (seconds and nanoseconds since the Unix epoch, any year Go's time.Time holds,
// including its zero time 0001-01-01) seen in a zone: the offset and abbreviation in effect
// ("" for a fixed zone without a name, printed as +hhmm). Formatting: values/functions/go_time.h.
struct Time {
  int64_t unix_seconds = 0;
  int32_t nanos = 0;  // 0..999999999
  int32_t utc_offset_seconds = 0;
  std::string zone_name = "UTC";
};

class Value {
 public:
  enum class Kind { missing, nil, boolean, integer, unsigned_integer, floating, number, string, list, map, time, bytes };
  // The exact Go type where it differs from the kind's default (int, uint64, float64, string,
  // []interface {}, map[string]interface {}). The executor sets it from a function's declared
  // result type, so `add` gives an int64 and `splitList` a []string, as in Go; it matters for
  // Go's argument type checks, %T, typeOf and deepEqual.
  enum class GoType : uint8_t { standard, int64, int32, uint8, uint, float32, string_slice, int_slice, int64_slice, float64_slice, string_map };

  Value();  // missing
  static Value missing();
  static Value nil();
  static Value boolean(bool b);
  static Value integer(int64_t i);
  static Value unsigned_integer(uint64_t u);
  static Value floating(double d);
  static Value number(std::string literal);  // json.Number
  static Value string(std::string s);
  static Value list(List items);
  static Value map(Map entries);
  static Value time(Time t);
  static Value bytes(std::string raw);

  // From task data: JSON numbers become `number` (literal text kept), objects `map`, ...
  static Value from_json(const Json& j);
  // To task data: numbers keep their literal text; time → RFC 3339 string; bytes → base64.
  Json to_json() const;

  Kind kind() const { return kind_; }
  GoType go_type() const { return go_type_; }
  Value with_go_type(GoType t) const;
  bool is(Kind k) const { return kind_ == k; }

  bool as_bool() const;
  int64_t as_int() const;
  uint64_t as_uint() const;
  double as_float() const;  // floating, or number parsed as double
  const std::string& as_string() const;  // string, number (its literal) or bytes
  const List& as_list() const;
  const Map& as_map() const;
  const Time& as_time() const;

  // Go's name of the dynamic type, for error messages and kindOf/typeOf: "string", "int",
  // "float64", "bool", "[]interface {}", "map[string]interface {}", "json.Number", "time.Time".
  std::string go_type_name() const;

 private:
  Kind kind_;
  GoType go_type_ = GoType::standard;
  bool b_ = false;
  int64_t i_ = 0;
  uint64_t u_ = 0;
  double d_ = 0;
  std::shared_ptr<const std::string> s_;
  std::shared_ptr<const List> list_;
  std::shared_ptr<const Map> map_;
  std::shared_ptr<const Time> time_;
};

}  // namespace utask::values

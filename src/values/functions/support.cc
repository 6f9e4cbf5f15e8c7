#include "values/go_unquote.h"
#include "values/functions/support.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "values/go_format.h"

namespace utask::values::fn {

namespace {

// strconv.ParseInt(s, 0, 64): optional sign, base prefix (0x, 0o, 0b, or a leading 0 for
// octal), underscores only between digits when a prefix form is used.
std::optional<int64_t> parse_go_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  int base = 10;
  bool prefixed = false;
  if (s[0] == '0' && s.size() > 1) {
    char p = char(s[1] | 0x20);
    if (p == 'x') {
      base = 16, s.remove_prefix(2), prefixed = true;
    } else if (p == 'o') {
      base = 8, s.remove_prefix(2), prefixed = true;
    } else if (p == 'b') {
      base = 2, s.remove_prefix(2), prefixed = true;
    } else {
      base = 8, s.remove_prefix(1), prefixed = true;
    }
  }
  // Underscores: allowed with base 0, each must separate digits ("base prefix counts as a digit").
  bool saw_digit = prefixed;  // "0x_1" is fine: the prefix counts
  bool last_underscore = false;
  uint64_t acc = 0;
  bool any = false;
  const uint64_t limit =
      neg ? uint64_t(std::numeric_limits<int64_t>::max()) + 1 : uint64_t(std::numeric_limits<int64_t>::max());
  bool overflow = false;
  for (char c : s) {
    if (c == '_') {
      if (!saw_digit || last_underscore) return std::nullopt;
      last_underscore = true;
      continue;
    }
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      d = (c | 0x20) - 'a' + 10;
    } else {
      return std::nullopt;
    }
    if (d >= base) return std::nullopt;
    saw_digit = true;
    last_underscore = false;
    any = true;
    if (acc > (limit - d) / base) overflow = true;
    if (!overflow) acc = acc * base + d;
  }
  if (last_underscore) return std::nullopt;
  if (!any && !(prefixed && base == 8)) return std::nullopt;  // "0x" fails, "0" is fine
  if (overflow) return std::nullopt;
  if (neg)
    return acc == uint64_t(std::numeric_limits<int64_t>::max()) + 1 ? std::numeric_limits<int64_t>::min()
                                                                    : -int64_t(acc);
  return int64_t(acc);
}

// cast's trimZeroDecimal: "12.00" → "12"; anything else unchanged.
std::string_view trim_zero_decimal(std::string_view s) {
  bool found_zero = false;
  for (size_t i = s.size(); i > 0; --i) {
    char c = s[i - 1];
    if (c == '.') {
      if (found_zero) return s.substr(0, i - 1);
    } else if (c == '0') {
      found_zero = true;
    } else {
      return s;
    }
  }
  return s;
}

// Go's float64 → int64 conversion on amd64: out of range and NaN give the minimum int64.
int64_t go_float_to_int(double d) {
  if (std::isnan(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
    return std::numeric_limits<int64_t>::min();
  }
  return int64_t(d);
}

}  // namespace

int64_t to_int64(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::integer: return v.as_int();
    case Value::Kind::unsigned_integer: return int64_t(v.as_uint());
    case Value::Kind::floating: return go_float_to_int(v.as_float());
    case Value::Kind::boolean: return v.as_bool() ? 1 : 0;
    case Value::Kind::string:
    case Value::Kind::number: return parse_go_int(trim_zero_decimal(v.as_string())).value_or(0);
    default: return 0;
  }
}

double to_float64(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::integer: return double(v.as_int());
    case Value::Kind::unsigned_integer: return double(v.as_uint());
    case Value::Kind::floating: return v.as_float();
    case Value::Kind::boolean: return v.as_bool() ? 1 : 0;
    case Value::Kind::string:
    case Value::Kind::number: return parse_go_float(v.as_string()).value_or(0);
    default: return 0;
  }
}

// strconv.ParseFloat(s, 64): decimal or hex floats, underscores (only with a base prefix...
// Go allows them in decimal too when base-prefixed rules hold), "inf"/"infinity"/"nan" in any
// case with an optional sign. Out of range values fail (Go returns ±Inf with an error).

// strconv.ParseFloat(s, 64): decimal or hex (0x…p…) floats, Go's underscore rules,
// "inf"/"infinity"/"nan" in any case with an optional sign. Out of range values fail (Go
// returns ±Inf with an error).
std::optional<double> parse_go_float(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string_view body = s;
  bool neg = false;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  std::string lower;
  for (char c : body) lower.push_back(char(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "inf" || lower == "infinity") return neg ? -HUGE_VAL : HUGE_VAL;
  if (lower == "nan") return std::nan("");
  if (lower.find('_') != std::string::npos && !go_underscore_ok(lower)) return std::nullopt;
  bool hex = lower.size() > 2 && lower[0] == '0' && lower[1] == 'x';
  std::string clean;
  for (char c : lower) {
    if (c == '_') continue;
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == '+' || c == '-' ||
          (hex && ((c >= 'a' && c <= 'f') || c == 'p' || c == 'x')))) {
      return std::nullopt;
    }
    clean.push_back(c);
  }
  if (clean.empty() || clean == ".") return std::nullopt;
  if (hex && clean.find('p') == std::string::npos) return std::nullopt;  // Go requires the p exponent
  char* end = nullptr;
  double d = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return std::nullopt;
  if (std::isinf(d)) return std::nullopt;
  return neg ? -d : d;
}

std::string sprint(const Value& v) { return go_sprint_value(v); }

std::string strval(const Value& v) { return v.is(Value::Kind::bytes) ? v.as_string() : sprint(v); }

bool is_empty(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::missing:
    case Value::Kind::nil: return true;
    case Value::Kind::boolean: return !v.as_bool();
    case Value::Kind::integer: return v.as_int() == 0;
    case Value::Kind::unsigned_integer: return v.as_uint() == 0;
    case Value::Kind::floating: return v.as_float() == 0;
    case Value::Kind::number:
    case Value::Kind::string:
    case Value::Kind::bytes: return v.as_string().empty();
    case Value::Kind::list: return v.as_list().empty();
    case Value::Kind::map: return v.as_map().empty();
    case Value::Kind::time: return false;
  }
  return true;
}

bool deep_equal(const Value& a, const Value& b) {
  auto norm = [](Value::Kind k) { return k == Value::Kind::missing ? Value::Kind::nil : k; };
  if (norm(a.kind()) != norm(b.kind()) || a.go_type() != b.go_type()) return false;
  switch (a.kind()) {
    case Value::Kind::missing:
    case Value::Kind::nil: return true;
    case Value::Kind::boolean: return a.as_bool() == b.as_bool();
    case Value::Kind::integer: return a.as_int() == b.as_int();
    case Value::Kind::unsigned_integer: return a.as_uint() == b.as_uint();
    case Value::Kind::floating: return a.as_float() == b.as_float();
    case Value::Kind::number:
    case Value::Kind::string:
    case Value::Kind::bytes: return a.as_string() == b.as_string();
    case Value::Kind::list: {
      const List& x = a.as_list();
      const List& y = b.as_list();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!deep_equal(x[i], y[i])) return false;
      }
      return true;
    }
    case Value::Kind::map: {
      const Map& x = a.as_map();
      const Map& y = b.as_map();
      if (x.size() != y.size()) return false;
      for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
        if (i->first != j->first || !deep_equal(i->second, j->second)) return false;
      }
      return true;
    }
    case Value::Kind::time: {
      const Time& x = a.as_time();
      const Time& y = b.as_time();
      return x.unix_seconds == y.unix_seconds && x.nanos == y.nanos && x.utc_offset_seconds == y.utc_offset_seconds &&
             x.zone_name == y.zone_name;
    }
  }
  return false;
}

std::string kind_name(const Value& v) {
  switch (v.go_type()) {
    case Value::GoType::int64: return "int64";
    case Value::GoType::int32: return "int32";
    case Value::GoType::uint8: return "uint8";
    case Value::GoType::uint: return "uint";
    case Value::GoType::float32: return "float32";
    default: break;
  }
  switch (v.kind()) {
    case Value::Kind::missing:
    case Value::Kind::nil: return "invalid";
    case Value::Kind::boolean: return "bool";
    case Value::Kind::integer: return "int";
    case Value::Kind::unsigned_integer: return "uint64";
    case Value::Kind::floating: return "float64";
    case Value::Kind::number:
    case Value::Kind::string: return "string";
    case Value::Kind::list:
    case Value::Kind::bytes: return "slice";
    case Value::Kind::map: return "map";
    case Value::Kind::time: return "struct";
  }
  return "invalid";
}

bool is_slice(const Value& v) { return v.is(Value::Kind::list) || v.is(Value::Kind::bytes); }

List slice_items(const Value& v) {
  if (v.is(Value::Kind::list)) return v.as_list();
  List out;
  if (v.is(Value::Kind::bytes)) {
    for (char c : v.as_string()) out.push_back(Value::unsigned_integer(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string go_quote(std::string_view s) { return go_quote_string(s); }

Error call_error(std::string message) { return Error::invalid_template(std::move(message)); }

FunctionRow row(std::string name, std::string signature, std::string description, std::string example,
                FunctionImpl impl) {
  return FunctionRow{std::move(name), std::move(signature), std::move(description), std::move(example),
                     std::move(impl)};
}

const std::string& arg_string(const FunctionCall& call, size_t i) {
  static const std::string empty;
  if (i >= call.args.size()) return empty;
  const Value& v = call.args[i];
  if (v.is(Value::Kind::string) || v.is(Value::Kind::number) || v.is(Value::Kind::bytes)) return v.as_string();
  return empty;
}

int64_t arg_int(const FunctionCall& call, size_t i) {
  if (i >= call.args.size()) return 0;
  return to_int64(call.args[i]);
}

Value arg(const FunctionCall& call, size_t i) {
  if (i >= call.args.size() || call.args[i].is(Value::Kind::missing)) return Value::nil();
  return call.args[i];
}

Value string_list(const std::vector<std::string>& items) {
  List out;
  out.reserve(items.size());
  for (const auto& s : items) out.push_back(Value::string(s));
  return Value::list(std::move(out)).with_go_type(Value::GoType::string_slice);
}

Result<std::string> slice_kind(const Value& v) {
  if (v.is(Value::Kind::missing) || v.is(Value::Kind::nil)) {
    return call_error("runtime error: invalid memory address or nil pointer dereference");
  }
  return kind_name(v);
}

}  // namespace utask::values::fn

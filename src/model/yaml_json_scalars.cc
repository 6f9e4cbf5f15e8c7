// YAML 1.1 scalar resolution as go-yaml v2 does it, and the number → text conversions of the
// original's YAML-to-JSON step.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "model/yaml_json.h"
#include "model/yaml_json_scalars.h"

namespace utask::model {
namespace {

// The YAML 1.1 words go-yaml v2 resolves without looking at digits.
struct Word {
  std::string_view text;
  enum { yes, no, null, nan, inf, neg_inf } kind;
};
constexpr std::array<Word, 38> kWords = {{
    {"y", Word::yes},       {"Y", Word::yes},        {"yes", Word::yes},
    {"Yes", Word::yes},     {"YES", Word::yes},      {"true", Word::yes},
    {"True", Word::yes},    {"TRUE", Word::yes},     {"on", Word::yes},
    {"On", Word::yes},      {"ON", Word::yes},       {"n", Word::no},
    {"N", Word::no},        {"no", Word::no},        {"No", Word::no},
    {"NO", Word::no},       {"false", Word::no},     {"False", Word::no},
    {"FALSE", Word::no},    {"off", Word::no},       {"Off", Word::no},
    {"OFF", Word::no},      {"~", Word::null},       {"null", Word::null},
    {"Null", Word::null},   {"NULL", Word::null},    {".nan", Word::nan},
    {".NaN", Word::nan},    {".NAN", Word::nan},     {".inf", Word::inf},
    {".Inf", Word::inf},    {".INF", Word::inf},     {"+.inf", Word::inf},
    {"+.Inf", Word::inf},   {"+.INF", Word::inf},    {"-.inf", Word::neg_inf},
    {"-.Inf", Word::neg_inf}, {"-.INF", Word::neg_inf},
}};

std::optional<Json> resolve_word(std::string_view text) {
  for (const auto& w : kWords) {
    if (w.text != text) continue;
    switch (w.kind) {
      case Word::yes: return Json(true);
      case Word::no: return Json(false);
      case Word::null: return Json(nullptr);
      case Word::nan: return Json(std::numeric_limits<double>::quiet_NaN());
      case Word::inf: return Json(std::numeric_limits<double>::infinity());
      case Word::neg_inf: return Json(-std::numeric_limits<double>::infinity());
    }
  }
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Go's strconv.ParseInt/ParseUint with base 0 (after `_` removal): optional sign, then `0x`,
// `0o`, `0b` or a leading `0` (octal) prefix, or decimal. Returns the decimal text.
std::optional<std::string> parse_go_integer(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') base = 16, s.remove_prefix(2);
    else if (p == 'o' || p == 'O') base = 8, s.remove_prefix(2);
    else if (p == 'b' || p == 'B') base = 2, s.remove_prefix(2);
    else base = 8, s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  unsigned __int128 value = 0;
  for (char c : s) {
    int digit;
    if (is_digit(c)) digit = c - '0';
    else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    else return std::nullopt;
    if (digit >= base) return std::nullopt;
    value = value * base + digit;
    if (value > std::numeric_limits<uint64_t>::max()) return std::nullopt;
  }
  // ParseInt covers [-2^63, 2^63-1]; ParseUint (no sign) covers up to 2^64-1.
  if (negative) {
    if (value > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max()) + 1) {
      return std::nullopt;
    }
    if (value == 0) return "0";
    return "-" + std::to_string(static_cast<uint64_t>(value));
  }
  return std::to_string(static_cast<uint64_t>(value));
}

// go-yaml's float syntax: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
// Returns the same number as JSON text (sign `+` dropped, `.5` → `0.5`, `1.` → `1.0`,
// leading zeros dropped, otherwise as written) when it is finite as a double.
std::optional<std::string> parse_yaml_float(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    if (s[i] == '-') out += '-';
    ++i;
  }
  std::string int_part, frac_part;
  bool has_dot = false;
  while (i < s.size() && is_digit(s[i])) int_part += s[i++];
  if (i < s.size() && s[i] == '.') {
    has_dot = true;
    ++i;
    while (i < s.size() && is_digit(s[i])) frac_part += s[i++];
  }
  if (int_part.empty() && (!has_dot || frac_part.empty())) return std::nullopt;
  std::string exponent;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    exponent += s[i];
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) exponent += s[i++];
    std::size_t digits = 0;
    while (i < s.size() && is_digit(s[i])) exponent += s[i++], ++digits;
    if (digits == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  std::size_t nz = int_part.find_first_not_of('0');
  int_part = nz == std::string::npos ? "0" : int_part.substr(nz);
  out += int_part;
  if (has_dot) out += "." + (frac_part.empty() ? std::string("0") : frac_part);
  out += exponent;
  double d = 0;
  auto [p, ec] = std::from_chars(out.data(), out.data() + out.size(), d);
  if (ec != std::errc() || !std::isfinite(d)) return std::nullopt;  // Go: ErrRange
  return out;
}

// YAML 1.1 resolution of an untagged plain scalar (go-yaml v2 resolve()).
}  // namespace

Json resolve_plain_scalar(const std::string& text) {
  if (text.empty()) return nullptr;
  if (auto w = resolve_word(text)) return *w;
  char hint = text[0];
  if (hint == '.') {
    if (text.size() > 1 && is_digit(text[1])) {
      if (auto f = parse_yaml_float(text)) return json_number_from_literal(*f);
    }
    return text;
  }
  if (!is_digit(hint) && hint != '+' && hint != '-') return text;
  std::string plain;
  for (char c : text) {
    if (c != '_') plain += c;
  }
  if (auto i = parse_go_integer(plain)) return json_number_from_literal(*i);
  if (auto f = parse_yaml_float(plain)) return json_number_from_literal(*f);
  return text;
}

std::string format_float32_g(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  float f = static_cast<float>(value);
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
  std::string sci(buf, end);  // e.g. "-1.2345679e+08"
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  std::size_t e_pos = sci.find('e');
  std::string digits = sci.substr(0, e_pos);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  int exp = std::stoi(sci.substr(e_pos + 1));
  std::string out = negative ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += exp < 0 ? "e-" : "e+";
    int a = exp < 0 ? -exp : exp;
    if (a < 10) out += "0";
    out += std::to_string(a);
    return out;
  }
  if (exp < 0) {
    out += "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
  } else if (static_cast<std::size_t>(exp) + 1 >= digits.size()) {
    out += digits + std::string(static_cast<std::size_t>(exp) + 1 - digits.size(), '0');
  } else {
    out += digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
  }
  return out;
}

std::string yaml_scalar_as_string(const Json& scalar) {
  if (scalar.is_boolean()) return scalar.get<bool>() ? "true" : "false";
  if (scalar.is_number_unsigned()) return std::to_string(scalar.get<uint64_t>());
  if (scalar.is_number_integer()) return std::to_string(scalar.get<int64_t>());
  double d = scalar.get<double>();
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  return format_float32_g(d);
}

}  // namespace utask::model

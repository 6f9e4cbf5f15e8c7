#include "model/json.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <mutex>
#include <unordered_set>

namespace utask {
namespace {

// Literal texts are interned once and never freed (JsonFloat must stay trivial). Only texts
// that differ from the shortest form are kept, and the pool is bounded: past the bound a
// number prints in its shortest form, which is still the same value.
constexpr size_t kMaxInternedLiterals = 1 << 20;
constexpr size_t kMaxLiteralLength = 60;  // nlohmann's number buffer holds 64 bytes

const std::string* intern_literal(std::string_view text) {
  static std::mutex mu;
  static auto* pool = new std::unordered_set<std::string>();
  std::lock_guard lock(mu);
  if (auto it = pool->find(std::string(text)); it != pool->end()) return &*it;
  if (pool->size() >= kMaxInternedLiterals) return nullptr;
  return &*pool->emplace(text).first;
}

JsonFloat float_with_literal(double value, std::string_view text) {
  JsonFloat f(value);
  if (text.size() <= kMaxLiteralLength && text != format_json_double(value)) f.literal = intern_literal(text);
  return f;
}

// nlohmann's DOM builder, with the literal text attached to floats.
class LiteralSaxParser : public nlohmann::detail::json_sax_dom_parser<Json> {
 public:
  using json_sax_dom_parser::json_sax_dom_parser;
  bool number_float(Json::number_float_t value, const std::string& text) {
    return json_sax_dom_parser::number_float(float_with_literal(value, text), text);
  }
};

}  // namespace

void to_json(Json& j, JsonFloat f) {
  j = Json::value_t::number_float;
  *j.get_ptr<Json::number_float_t*>() = f;
}

void from_json(const Json& j, JsonFloat& f) {
  if (j.is_number_float()) {
    f = *j.get_ptr<const Json::number_float_t*>();
  } else {
    f = JsonFloat(j.get<double>());
  }
}

Result<Json> parse_json(std::string_view text) {
  Json out;
  LiteralSaxParser sax(out, /*allow_exceptions=*/false);
  std::string error;
  try {
    if (!Json::sax_parse(text.begin(), text.end(), &sax) || sax.is_errored()) error = "malformed JSON";
  } catch (const nlohmann::json::exception& e) {
    error = e.what();
  }
  if (!error.empty()) {
    // Re-parse with exceptions for a message naming the position.
    try {
      auto ignored = nlohmann::json::parse(text.begin(), text.end());
      (void)ignored;
    } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e400
      error = e.what();
    }
    return Error::invalid_input("malformed JSON: " + error);
  }
  return out;
}

std::string to_json_text(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string to_json_text_pretty(const Json& value) {
  return value.dump(2, ' ', false, Json::error_handler_t::replace);
}

Json json_number_from_literal(std::string_view text) {
  const char* b = text.data();
  const char* e = text.data() + text.size();
  if (text.find_first_of(".eE") == std::string_view::npos) {
    int64_t i = 0;
    if (auto r = std::from_chars(b, e, i); r.ec == std::errc() && r.ptr == e) return Json(i);
    uint64_t u = 0;
    if (auto r = std::from_chars(b, e, u); r.ec == std::errc() && r.ptr == e) return Json(u);
  }
  double d = 0;
  std::from_chars(b, e, d);  // out-of-range keeps ±HUGE; the literal keeps the digits
  Json j;
  to_json(j, float_with_literal(d, text));
  return j;
}

std::string json_number_text(const Json& v) {
  if (v.is_number_integer() && !v.is_number_unsigned()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  JsonFloat f = *v.get_ptr<const Json::number_float_t*>();
  if (f.literal) return *f.literal;
  return format_json_double(f.value);
}

std::string format_json_double(double d) {
  if (std::isnan(d) || std::isinf(d)) return "null";  // JSON has no such numbers
  char buf[64];
  double a = std::fabs(d);
  bool exp_form = a != 0 && (a < 1e-6 || a >= 1e21);
  auto r = exp_form ? std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific)
                    : std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  std::string s(buf, r.ptr);
  if (exp_form) {
    // Go writes e-07 as e-7 and keeps the sign: 1e+21, 3e-7.
    auto epos = s.find('e');
    std::string mant = s.substr(0, epos);
    std::string exp = s.substr(epos + 1);
    char sign = exp[0] == '-' ? '-' : '+';
    if (exp[0] == '-' || exp[0] == '+') exp = exp.substr(1);
    while (exp.size() > 1 && exp[0] == '0') exp.erase(0, 1);
    s = mant + "e" + sign + exp;
  }
  return s;
}

}  // namespace utask

NLOHMANN_JSON_NAMESPACE_BEGIN
namespace detail {

char* to_chars(char* first, const char* last, utask::JsonFloat value) {
  std::string text = value.literal ? *value.literal : utask::format_json_double(value.value);
  size_t n = std::min(text.size(), static_cast<size_t>(last - first));
  std::memcpy(first, text.data(), n);
  return first + n;
}

}  // namespace detail
NLOHMANN_JSON_NAMESPACE_END

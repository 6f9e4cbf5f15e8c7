#include "values/js/error_text.h"

namespace utask::values::js {
namespace {

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// `a.b.c` → `c`; a callee that does not end in a property name stays whole.
std::string_view last_property(std::string_view callee) {
  size_t start = callee.size();
  while (start > 0 && is_identifier_char(callee[start - 1])) --start;
  if (start == callee.size()) return callee;
  if (start == 0 || callee[start - 1] == '.') return callee.substr(start);
  return callee;
}

bool strip(std::string_view& s, std::string_view prefix, std::string_view suffix) {
  if (s.size() < prefix.size() + suffix.size() || !s.starts_with(prefix) || !s.ends_with(suffix)) return false;
  s = s.substr(prefix.size(), s.size() - prefix.size() - suffix.size());
  return true;
}

}  // namespace

std::string otto_error_text(std::string_view v8_text) {
  std::string_view s = v8_text;
  if (strip(s, "ReferenceError: ", " is not defined") && !s.empty()) {
    return "ReferenceError: '" + std::string(s) + "' is not defined";
  }
  s = v8_text;
  for (std::string_view base : {"undefined", "null"}) {
    std::string prefix = "TypeError: Cannot read properties of " + std::string(base) + " (reading '";
    s = v8_text;
    if (strip(s, prefix, "')")) return "TypeError: Cannot access member '" + std::string(s) + "' of " + std::string(base);
  }
  s = v8_text;
  if (strip(s, "TypeError: ", " is not a function") && !s.empty()) {
    return "TypeError: '" + std::string(last_property(s)) + "' is not a function";
  }
  return std::string(v8_text);
}

}  // namespace utask::values::js

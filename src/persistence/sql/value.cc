#include "persistence/sql/value.h"

#include <stdexcept>

namespace utask::persistence::sql {

namespace {

const char* kind(const Value& v) {
  switch (v.index()) {
    case 0: return "NULL";
    case 1: return "an integer";
    case 2: return "text";
    default: return "bytes";
  }
}

[[noreturn]] void wrong(size_t i, const Value& v, const char* wanted) {
  throw std::logic_error("column " + std::to_string(i) + " is " + kind(v) + ", read as " +
                         wanted);
}

}  // namespace

bool Row::is_null(size_t i) const { return std::holds_alternative<std::monostate>(cell(i)); }

int64_t Row::integer(size_t i) const {
  const Value& v = cell(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  wrong(i, v, "an integer");
}

std::optional<int64_t> Row::optional_integer(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return integer(i);
}

const std::string& Row::text(size_t i) const {
  const Value& v = cell(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<Bytes>(&v)) return b->data;
  wrong(i, v, "text");
}

std::optional<std::string> Row::optional_text(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

}  // namespace utask::persistence::sql

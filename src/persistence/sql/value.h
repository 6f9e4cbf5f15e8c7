#pragma once
// The values that travel between the store and a SQL backend: parameters and result cells.
// Both backends speak this vocabulary, so the store's SQL is written once (docs/storage.md §1:
// ids and JSON as text, times as BIGINT microseconds, booleans as 0/1, encrypted values as
// BLOB / bytea).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace utask::persistence::sql {

// Binary data (an encrypted blob). Distinct from text so the backend binds it as BLOB/bytea.
struct Bytes {
  std::string data;
};

// NULL, an integer, text or bytes. Booleans are integers 0/1; times are microseconds since the
// Unix epoch, UTC.
using Value = std::variant<std::monostate, int64_t, std::string, Bytes>;
using Params = std::vector<Value>;

inline Value null() { return std::monostate{}; }
inline Value bytes(std::string data) { return Bytes{std::move(data)}; }
template <class T>
Value optional_value(const std::optional<T>& v) {
  return v ? Value(*v) : null();
}

// One result row. Accessors convert what the backend returned: a column read with the wrong
// accessor (text as an integer...) is a bug in the store and throws std::logic_error, which the
// store turns into an internal error naming the query.
class Row {
 public:
  explicit Row(std::vector<Value> cells) : cells_(std::move(cells)) {}

  size_t size() const { return cells_.size(); }
  bool is_null(size_t i) const;
  int64_t integer(size_t i) const;                 // NULL → logic_error
  std::optional<int64_t> optional_integer(size_t i) const;
  const std::string& text(size_t i) const;         // bytes are returned as text too
  std::optional<std::string> optional_text(size_t i) const;
  bool boolean(size_t i) const { return integer(i) != 0; }
  const Value& cell(size_t i) const { return cells_.at(i); }

 private:
  std::vector<Value> cells_;
};

using Rows = std::vector<Row>;

}  // namespace utask::persistence::sql

// sprig's string-list functions: split, splitList, splitn, join, sortAlpha, toStrings.

#include <algorithm>

#include "values/functions/families.h"
#include "values/functions/go_unicode.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

// strings.SplitN (n < 0: all; n == 0: none).
std::vector<std::string> split_n(std::string_view s, std::string_view sep, int64_t n) {
  std::vector<std::string> out;
  if (n == 0) return out;
  if (sep.empty()) {
    // explode: one element per rune, the last holding the rest.
    while (!s.empty()) {
      if (n > 0 && int64_t(out.size()) == n - 1) {
        out.emplace_back(s);
        return out;
      }
      int w = decode_rune(s).second;
      out.emplace_back(s.substr(0, size_t(w)));
      s.remove_prefix(size_t(w));
    }
    return out;
  }
  while (n < 0 || int64_t(out.size()) < n - 1) {
    size_t hit = s.find(sep);
    if (hit == std::string_view::npos) break;
    out.emplace_back(s.substr(0, hit));
    s.remove_prefix(hit + sep.size());
  }
  out.emplace_back(s);
  return out;
}

Value indexed_map(const std::vector<std::string>& parts) {
  Map m;
  for (size_t i = 0; i < parts.size(); ++i) m.emplace("_" + std::to_string(i), Value::string(parts[i]));
  return Value::map(std::move(m)).with_go_type(Value::GoType::string_map);
}

}  // namespace

std::vector<std::string> strslice(const Value& v) {
  std::vector<std::string> out;
  if (v.is(Value::Kind::missing) || v.is(Value::Kind::nil)) return out;
  if (!is_slice(v)) {
    out.push_back(strval(v));
    return out;
  }
  for (const Value& item : slice_items(v)) {
    if (item.is(Value::Kind::nil) || item.is(Value::Kind::missing)) continue;
    out.push_back(strval(item));
  }
  return out;
}

void add_string_list_functions(FunctionTable& t) {
  t.add(row(
      "split", "func(sep string, orig string) map[string]string", "Splits orig on sep into a map with keys _0, _1, ...",
      R"({{ (split "$" "foo$bar$baz")._1 }})",
      [](FunctionCall& c) -> Result<Value> { return indexed_map(split_n(arg_string(c, 1), arg_string(c, 0), -1)); }));
  t.add(row("splitList", "func(sep string, orig string) []string", "Splits orig on sep into a list.",
            R"({{ splitList "$" "foo$bar$baz" }})", [](FunctionCall& c) -> Result<Value> {
              return string_list(split_n(arg_string(c, 1), arg_string(c, 0), -1));
            }));
  t.add(row("splitn", "func(sep string, n int, orig string) map[string]string",
            "Splits orig on sep into at most n parts, in a map with keys _0, _1, ...",
            R"({{ (splitn "$" 2 "foo$bar$baz")._1 }})", [](FunctionCall& c) -> Result<Value> {
              return indexed_map(split_n(arg_string(c, 2), arg_string(c, 0), arg_int(c, 1)));
            }));
  t.add(row("join", "func(sep string, v interface{}) string", "Joins the list's elements (as strings) with sep.",
            R"({{ list "a" "b" 1 | join "-" }})", [](FunctionCall& c) -> Result<Value> {
              std::string out;
              bool first = true;
              for (const auto& s : strslice(arg(c, 1))) {
                if (!first) out += arg_string(c, 0);
                first = false;
                out += s;
              }
              return Value::string(out);
            }));
  t.add(row("sortAlpha", "func(list interface{}) []string", "The elements as strings, sorted.",
            R"({{ list "b" "c" "a" | sortAlpha }})", [](FunctionCall& c) -> Result<Value> {
              Value v = arg(c, 0);
              if (!is_slice(v)) return string_list({strval(v)});
              auto items = strslice(v);
              std::sort(items.begin(), items.end());
              return string_list(items);
            }));
  t.add(row("toStrings", "func(v interface{}) []string", "The elements of a list as strings (nil ones dropped).",
            R"({{ list 1 "a" 2.5 | toStrings }})",
            [](FunctionCall& c) -> Result<Value> { return string_list(strslice(arg(c, 0))); }));
}

}  // namespace utask::values::fn

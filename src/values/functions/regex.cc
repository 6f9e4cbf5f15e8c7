// sprig's regular expression functions (regex.go), with Go's regexp semantics (RE2 syntax).

#include "values/functions/families.h"
#include "values/functions/go_regexp.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

// The non-must forms call regexp.MustCompile, which panics on a bad pattern.
Result<RegexpPtr> compile(const std::string& pattern, bool must_form) {
  auto re = compile_regexp(pattern);
  if (!re && !must_form) return call_error(must_compile_message(pattern, re.error()));
  return re;
}

using Body = Result<Value> (*)(const GoRegexp& re, FunctionCall& c);

FunctionImpl regex_impl(bool must_form, Body body) {
  return [must_form, body](FunctionCall& c) -> Result<Value> {
    auto re = compile(arg_string(c, 0), must_form);
    if (!re) return re.error();
    return body(**re, c);
  };
}

}  // namespace

void add_regex_functions(FunctionTable& t) {
  t.add(row("regexMatch", "func(regex string, s string) bool", "Whether s contains a match (false on a bad regex).",
            R"({{ regexMatch "^[a-z]+$" "abc" }})", [](FunctionCall& c) -> Result<Value> {
              auto re = compile_regexp(arg_string(c, 0));
              return Value::boolean(re && regexp_match(**re, arg_string(c, 1)));
            }));
  t.add(row("mustRegexMatch", "func(regex string, s string) (bool, error)", "regexMatch, failing on a bad regex.",
            R"({{ mustRegexMatch "b+" "abbc" }})",
            regex_impl(true, [](const GoRegexp& re, FunctionCall& c) -> Result<Value> {
              return Value::boolean(regexp_match(re, arg_string(c, 1)));
            })));
  auto find_all = [](const GoRegexp& re, FunctionCall& c) -> Result<Value> {
    return string_list(regexp_find_all(re, arg_string(c, 1), long(arg_int(c, 2))));
  };
  t.add(row("regexFindAll", "func(regex string, s string, n int) []string", "Up to n matches (n < 0: all).",
            R"({{ regexFindAll "[0-9]" "a1b2c3" -1 }})", regex_impl(false, find_all)));
  t.add(row("mustRegexFindAll", "func(regex string, s string, n int) ([]string, error)", "regexFindAll (must form).",
            R"({{ mustRegexFindAll "[0-9]" "a1b2" 1 }})", regex_impl(true, find_all)));
  auto find = [](const GoRegexp& re, FunctionCall& c) -> Result<Value> {
    return Value::string(regexp_find(re, arg_string(c, 1)));
  };
  t.add(row("regexFind", "func(regex string, s string) string", "The first match, or \"\".",
            R"({{ regexFind "[0-9]+" "ab12cd" }})", regex_impl(false, find)));
  t.add(row("mustRegexFind", "func(regex string, s string) (string, error)", "regexFind (must form).",
            R"({{ mustRegexFind "[0-9]+" "ab12cd" }})", regex_impl(true, find)));
  auto replace = [](const GoRegexp& re, FunctionCall& c) -> Result<Value> {
    return Value::string(regexp_replace_all(re, arg_string(c, 1), arg_string(c, 2), false));
  };
  t.add(row("regexReplaceAll", "func(regex string, s string, repl string) string",
            "Replaces every match; repl may use $1, ${name}.", R"({{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }})",
            regex_impl(false, replace)));
  t.add(row("mustRegexReplaceAll", "func(regex string, s string, repl string) (string, error)",
            "regexReplaceAll (must form).", R"({{ mustRegexReplaceAll "a(x*)b" "-ab-" "$1W" }})",
            regex_impl(true, replace)));
  auto replace_literal = [](const GoRegexp& re, FunctionCall& c) -> Result<Value> {
    return Value::string(regexp_replace_all(re, arg_string(c, 1), arg_string(c, 2), true));
  };
  t.add(row("regexReplaceAllLiteral", "func(regex string, s string, repl string) string",
            "Replaces every match by repl as is.", R"({{ regexReplaceAllLiteral "a(x*)b" "-ab-" "$1" }})",
            regex_impl(false, replace_literal)));
  t.add(row("mustRegexReplaceAllLiteral", "func(regex string, s string, repl string) (string, error)",
            "regexReplaceAllLiteral (must form).", R"({{ mustRegexReplaceAllLiteral "a" "aba" "$" }})",
            regex_impl(true, replace_literal)));
  auto split = [](const GoRegexp& re, FunctionCall& c) -> Result<Value> {
    return string_list(regexp_split(re, arg_string(c, 1), long(arg_int(c, 2))));
  };
  t.add(row("regexSplit", "func(regex string, s string, n int) []string", "Splits s around matches (n < 0: all).",
            R"({{ regexSplit "z+" "pizza" -1 }})", regex_impl(false, split)));
  t.add(row("mustRegexSplit", "func(regex string, s string, n int) ([]string, error)", "regexSplit (must form).",
            R"({{ mustRegexSplit "z+" "pizza" 1 }})", regex_impl(true, split)));
  t.add(row("regexQuoteMeta", "func(s string) string", "Escapes the regex metacharacters of s.",
            R"({{ regexQuoteMeta "1.2.3" }})",
            [](FunctionCall& c) -> Result<Value> { return Value::string(regexp_quote_meta(arg_string(c, 0))); }));
}

}  // namespace utask::values::fn

// sprig's string functions (strings.go and the string rows of functions.go).

#include <sodium.h>

#include <algorithm>

#include "values/functions/families.h"
#include "values/functions/go_unicode.h"
#include "values/functions/support.h"
#include "values/functions/text_transforms.h"

namespace utask::values::fn {

namespace {

// quote, squote and cat: the non-nil arguments, each formatted, joined by single spaces.
template <class Format>
std::string join_non_nil(const std::vector<Value>& args, Format format) {
  std::string out;
  bool first = true;
  for (const Value& v : args) {
    if (v.is(Value::Kind::nil) || v.is(Value::Kind::missing)) continue;
    if (!first) out += ' ';
    first = false;
    out += format(v);
  }
  return out;
}

// Go refuses nothing here, but a template must not exhaust memory.
constexpr size_t kMaxRepeat = size_t(64) << 20;

Result<std::string> repeat(std::string_view s, int64_t count) {
  if (count < 0) return call_error("strings: negative Repeat count");
  if (count > 0 && s.size() > kMaxRepeat / size_t(count)) return call_error("strings: Repeat output too large");
  std::string out;
  out.reserve(s.size() * size_t(count));
  for (int64_t i = 0; i < count; ++i) out += s;
  return out;
}

// Go's runtime message for a string slice expression out of range.
Error slice_panic(int64_t lo, int64_t hi, int64_t len) {
  if (hi < 0) return call_error("runtime error: slice bounds out of range [:" + std::to_string(hi) + "]");
  if (hi > len) {
    return call_error("runtime error: slice bounds out of range [:" + std::to_string(hi) + "] with length " +
                      std::to_string(len));
  }
  return call_error("runtime error: slice bounds out of range [" + std::to_string(lo) + ":" + std::to_string(hi) + "]");
}

Result<Value> substring(int64_t start, int64_t end, const std::string& s) {
  int64_t len = int64_t(s.size());
  if (start < 0) {
    if (end < 0 || end > len) return slice_panic(0, end, len);
    return Value::string(s.substr(0, size_t(end)));
  }
  if (end < 0 || end > len) {
    if (start > len) return slice_panic(start, len, len);
    return Value::string(s.substr(size_t(start)));
  }
  if (start > end) return slice_panic(start, end, len);
  return Value::string(s.substr(size_t(start), size_t(end - start)));
}

// goutils.CryptoRandom for its three alphabets (letters, digits, printable ASCII).
Result<Value> random_string(int64_t count, std::string_view alphabet) {
  if (count > int64_t(kMaxRepeat)) return call_error("random string too long");
  std::string out;
  for (int64_t i = 0; i < count; ++i) out += alphabet[randombytes_uniform(uint32_t(alphabet.size()))];
  return Value::string(std::move(out));
}

constexpr std::string_view kLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

std::string printable_ascii() {
  std::string s;
  for (char c = 32; c < 127; ++c) s += c;
  return s;
}

Value str(std::string s) { return Value::string(std::move(s)); }

}  // namespace

void add_string_functions(FunctionTable& t) {
  t.add(row("hello", "func() string", "Returns \"Hello!\".", R"({{ hello }})",
            [](FunctionCall&) -> Result<Value> { return str("Hello!"); }));
  t.add(row("abbrev", "func(width int, s string) string",
            "Truncates s to width bytes with an ellipsis (width < 4 leaves s as is).",
            R"({{ abbrev 5 "hello world" }})", [](FunctionCall& c) -> Result<Value> {
              int64_t w = arg_int(c, 0);
              const std::string& s = arg_string(c, 1);
              if (w < 4) return str(s);
              return str(abbreviate_full(s, 0, long(w)));
            }));
  t.add(row("abbrevboth", "func(left int, right int, s string) string",
            "Abbreviates both sides: left offset, right maximum width.", R"({{ abbrevboth 5 10 "1234 5678 9123" }})",
            [](FunctionCall& c) -> Result<Value> {
              int64_t left = arg_int(c, 0), right = arg_int(c, 1);
              const std::string& s = arg_string(c, 2);
              if (right < 4 || (left > 0 && right < 7)) return str(s);
              return str(abbreviate_full(s, long(left), long(right)));
            }));
  t.add(row("trunc", "func(c int, s string) string",
            "Keeps the first c bytes, or the last -c bytes when c is negative.", R"({{ trunc 5 "hello world" }})",
            [](FunctionCall& c) -> Result<Value> {
              int64_t n = arg_int(c, 0);
              const std::string& s = arg_string(c, 1);
              int64_t len = int64_t(s.size());
              if (n < 0 && len + n > 0) return str(s.substr(size_t(len + n)));
              if (n >= 0 && len > n) return str(s.substr(0, size_t(n)));
              return str(s);
            }));
  t.add(row("trim", "func(s string) string", "Removes leading and trailing white space.", R"({{ trim "  hi  " }})",
            [](FunctionCall& c) -> Result<Value> { return str(go_trim_space(arg_string(c, 0))); }));
  t.add(row("upper", "func(s string) string", "Upper case.", R"({{ upper "hello" }})",
            [](FunctionCall& c) -> Result<Value> { return str(to_upper(arg_string(c, 0))); }));
  t.add(row("lower", "func(s string) string", "Lower case.", R"({{ lower "HELLO" }})",
            [](FunctionCall& c) -> Result<Value> { return str(to_lower(arg_string(c, 0))); }));
  t.add(row("title", "func(s string) string", "Title case (strings.Title).", R"({{ title "hello world" }})",
            [](FunctionCall& c) -> Result<Value> { return str(go_title(arg_string(c, 0))); }));
  t.add(row("untitle", "func(str string) string", "Lower-cases the first letter of each word.",
            R"({{ untitle "Hello World" }})",
            [](FunctionCall& c) -> Result<Value> { return str(uncapitalize(arg_string(c, 0))); }));
  t.add(row("substr", "func(start int, end int, s string) string",
            "Bytes start..end of s (start < 0: from 0; end < 0 or past the end: to the end).",
            R"({{ substr 0 5 "hello world" }})", [](FunctionCall& c) -> Result<Value> {
              return substring(arg_int(c, 0), arg_int(c, 1), arg_string(c, 2));
            }));
  t.add(row("repeat", "func(count int, str string) string", "Repeats str count times.", R"({{ repeat 3 "ab" }})",
            [](FunctionCall& c) -> Result<Value> {
              auto r = repeat(arg_string(c, 1), arg_int(c, 0));
              if (!r) return r.error();
              return str(std::move(*r));
            }));
  auto trim_all = [](FunctionCall& c) -> Result<Value> { return str(go_trim(arg_string(c, 1), arg_string(c, 0))); };
  t.add(row("trimall", "func(a string, b string) string", "Deprecated alias of trimAll.",
            R"({{ trimall "$" "$5.00$" }})", trim_all));
  t.add(row("trimAll", "func(a string, b string) string", "Removes the characters of a from both ends of b.",
            R"({{ trimAll "$" "$5.00$" }})", trim_all));
  t.add(row("trimSuffix", "func(a string, b string) string", "Removes the suffix a from b.",
            R"({{ trimSuffix "-" "hello-" }})", [](FunctionCall& c) -> Result<Value> {
              const std::string& a = arg_string(c, 0);
              const std::string& b = arg_string(c, 1);
              if (b.size() >= a.size() && b.compare(b.size() - a.size(), a.size(), a) == 0) {
                return str(b.substr(0, b.size() - a.size()));
              }
              return str(b);
            }));
  t.add(row("trimPrefix", "func(a string, b string) string", "Removes the prefix a from b.",
            R"({{ trimPrefix "-" "-hello" }})", [](FunctionCall& c) -> Result<Value> {
              const std::string& a = arg_string(c, 0);
              const std::string& b = arg_string(c, 1);
              if (b.compare(0, a.size(), a) == 0) return str(b.substr(a.size()));
              return str(b);
            }));
  t.add(row("nospace", "func(str string) string", "Removes all white space.", R"({{ nospace "h e l l o" }})",
            [](FunctionCall& c) -> Result<Value> { return str(delete_white_space(arg_string(c, 0))); }));
  t.add(row("initials", "func(s string) string", "First letter of each word.", R"({{ initials "First Try" }})",
            [](FunctionCall& c) -> Result<Value> { return str(initials(arg_string(c, 0))); }));
  t.add(row("randAlphaNum", "func(count int) string", "Random letters and digits (crypto-grade).",
            R"({{ len (randAlphaNum 8) }})",
            [](FunctionCall& c) -> Result<Value> { return random_string(arg_int(c, 0), kAlnum); }));
  t.add(row("randAlpha", "func(count int) string", "Random letters.", R"({{ len (randAlpha 8) }})",
            [](FunctionCall& c) -> Result<Value> { return random_string(arg_int(c, 0), kLetters); }));
  t.add(row("randAscii", "func(count int) string", "Random printable ASCII.", R"({{ len (randAscii 8) }})",
            [](FunctionCall& c) -> Result<Value> {
              static const std::string ascii = printable_ascii();
              return random_string(arg_int(c, 0), ascii);
            }));
  t.add(row("randNumeric", "func(count int) string", "Random digits.", R"({{ len (randNumeric 8) }})",
            [](FunctionCall& c) -> Result<Value> { return random_string(arg_int(c, 0), kDigits); }));
  t.add(row("swapcase", "func(str string) string", "Swaps the case of each letter (word starts become title case).",
            R"({{ swapcase "This Is A.Test" }})",
            [](FunctionCall& c) -> Result<Value> { return str(swap_case(arg_string(c, 0))); }));
  t.add(row("shuffle", "func(str string) string", "The characters of str in random order.",
            R"({{ len (shuffle "hello") }})", [](FunctionCall& c) -> Result<Value> {
              std::u32string runes = to_runes(arg_string(c, 0));
              for (size_t i = runes.size(); i > 1; --i) {
                size_t j = randombytes_uniform(uint32_t(i));
                std::swap(runes[i - 1], runes[j]);
              }
              return str(from_runes(runes));
            }));
  t.add(row("snakecase", "func(str string) string", "snake_case.", R"({{ snakecase "FirstName" }})",
            [](FunctionCall& c) -> Result<Value> { return str(camel_to_lower(arg_string(c, 0), '_')); }));
  t.add(row("camelcase", "func(str string) string", "CamelCase.", R"({{ camelcase "http_server" }})",
            [](FunctionCall& c) -> Result<Value> { return str(to_camel_case(arg_string(c, 0))); }));
  t.add(row("kebabcase", "func(str string) string", "kebab-case.", R"({{ kebabcase "FirstName" }})",
            [](FunctionCall& c) -> Result<Value> { return str(camel_to_lower(arg_string(c, 0), '-')); }));
  t.add(row("wrap", "func(l int, s string) string", "Wraps text at l columns on spaces.",
            R"({{ wrap 5 "Hello World" }})", [](FunctionCall& c) -> Result<Value> {
              return str(wrap_custom(arg_string(c, 1), long(arg_int(c, 0)), "", false));
            }));
  t.add(row("wrapWith", "func(l int, sep string, str string) string",
            "Wraps text at l columns with sep, breaking long words.", R"({{ wrapWith 5 "\t" "Hello World" }})",
            [](FunctionCall& c) -> Result<Value> {
              return str(wrap_custom(arg_string(c, 2), long(arg_int(c, 0)), arg_string(c, 1), true));
            }));
  t.add(row("contains", "func(substr string, str string) bool", "Whether str contains substr.",
            R"({{ contains "cat" "catch" }})", [](FunctionCall& c) -> Result<Value> {
              return Value::boolean(arg_string(c, 1).find(arg_string(c, 0)) != std::string::npos);
            }));
  t.add(row("hasPrefix", "func(substr string, str string) bool", "Whether str starts with substr.",
            R"({{ hasPrefix "cat" "catch" }})", [](FunctionCall& c) -> Result<Value> {
              return Value::boolean(arg_string(c, 1).compare(0, arg_string(c, 0).size(), arg_string(c, 0)) == 0);
            }));
  t.add(row("hasSuffix", "func(substr string, str string) bool", "Whether str ends with substr.",
            R"({{ hasSuffix "ch" "catch" }})", [](FunctionCall& c) -> Result<Value> {
              const std::string& a = arg_string(c, 0);
              const std::string& b = arg_string(c, 1);
              return Value::boolean(b.size() >= a.size() && b.compare(b.size() - a.size(), a.size(), a) == 0);
            }));
  t.add(row("quote", "func(str ...interface{}) string", "Each non-nil argument as a Go double-quoted string.",
            R"({{ quote "a" 1 }})", [](FunctionCall& c) -> Result<Value> {
              return str(join_non_nil(c.args, [](const Value& v) { return go_quote(strval(v)); }));
            }));
  t.add(row("squote", "func(str ...interface{}) string", "Each non-nil argument in single quotes.",
            R"({{ squote "a" 1 }})", [](FunctionCall& c) -> Result<Value> {
              return str(join_non_nil(c.args, [](const Value& v) { return "'" + sprint(v) + "'"; }));
            }));
  t.add(row("cat", "func(v ...interface{}) string", "The non-nil arguments printed and joined by spaces.",
            R"({{ cat "hello" 1 "world" }})", [](FunctionCall& c) -> Result<Value> {
              return str(join_non_nil(c.args, [](const Value& v) { return sprint(v); }));
            }));
  auto indent = [](int64_t spaces, const std::string& v) -> Result<std::string> {
    auto pad = repeat(" ", spaces);
    if (!pad) return pad.error();
    size_t lines = 1 + size_t(std::count(v.begin(), v.end(), '\n'));
    if (pad->size() > 0 && lines > kMaxRepeat / pad->size()) return call_error("strings: Repeat output too large");
    return *pad + go_replace_all(v, "\n", "\n" + *pad);
  };
  t.add(row("indent", "func(spaces int, v string) string", "Indents every line by spaces.", R"({{ indent 2 "a\nb" }})",
            [indent](FunctionCall& c) -> Result<Value> {
              auto r = indent(arg_int(c, 0), arg_string(c, 1));
              if (!r) return r.error();
              return str(std::move(*r));
            }));
  t.add(row("nindent", "func(spaces int, v string) string", "A newline, then indent.", R"({{ nindent 2 "a\nb" }})",
            [indent](FunctionCall& c) -> Result<Value> {
              auto r = indent(arg_int(c, 0), arg_string(c, 1));
              if (!r) return r.error();
              return str("\n" + *r);
            }));
  t.add(row("replace", "func(old string, new string, src string) string", "Replaces every old by new in src.",
            R"({{ replace " " "-" "a b c" }})", [](FunctionCall& c) -> Result<Value> {
              return str(go_replace_all(arg_string(c, 2), arg_string(c, 0), arg_string(c, 1)));
            }));
  t.add(row("plural", "func(one string, many string, count int) string", "one when count is 1, else many.",
            R"({{ plural "one" "many" 2 }})", [](FunctionCall& c) -> Result<Value> {
              return str(arg_int(c, 2) == 1 ? arg_string(c, 0) : arg_string(c, 1));
            }));
  t.add(row("toString", "func(v interface{}) string", "The value as a string (as fmt's %v).", R"({{ toString 1.5 }})",
            [](FunctionCall& c) -> Result<Value> { return str(strval(arg(c, 0))); }));
}

}  // namespace utask::values::fn

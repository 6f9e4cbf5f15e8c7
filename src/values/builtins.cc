#include "values/builtins.h"

#include "values/functions/go_unicode.h"
#include "values/go_format.h"

namespace utask::values {
namespace {

using K = Value::Kind;

Error fail(std::string msg) { return Error::invalid_template(std::move(msg)); }

bool is_invalid(const Value& v) { return v.is(K::missing) || v.is(K::nil); }

// The kinds eq/lt compare (text/template basicKind).
enum class Basic { invalid, boolean, integer, floating, string, unsigned_integer };

Basic basic_kind(const Value& v) {
  switch (v.kind()) {
    case K::boolean:
      return Basic::boolean;
    case K::integer:
      if (v.go_type() == Value::GoType::uint8 || v.go_type() == Value::GoType::uint) return Basic::unsigned_integer;
      return Basic::integer;
    case K::unsigned_integer:
      return Basic::unsigned_integer;
    case K::floating:
      return Basic::floating;
    case K::string:
    case K::number:
      return Basic::string;
    default:
      return Basic::invalid;
  }
}

bool is_numeric(Basic k) { return k == Basic::integer || k == Basic::unsigned_integer || k == Basic::floating; }

// A JSON number against a Go number: compared by value (a deliberate difference: Go fails on
// json.Number vs int). Returns -1, 0, 1.
int compare_numeric(const Value& a, const Value& b) {
  auto as_long_double = [](const Value& v) -> long double {
    if (v.is(K::integer)) return static_cast<long double>(v.as_int());
    if (v.is(K::unsigned_integer)) return static_cast<long double>(v.as_uint());
    if (v.is(K::number)) return std::strtold(v.as_string().c_str(), nullptr);
    return static_cast<long double>(v.as_float());
  };
  long double x = as_long_double(a), y = as_long_double(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

bool number_vs_numeric(const Value& a, Basic ka, const Value& b, Basic kb) {
  return (a.is(K::number) && is_numeric(kb)) || (b.is(K::number) && is_numeric(ka));
}

uint64_t as_unsigned(const Value& v) { return v.is(K::integer) ? static_cast<uint64_t>(v.as_int()) : v.as_uint(); }

Result<bool> eq(const Value& arg1_in, const std::vector<Value>& rest) {
  Value arg1 = arg1_in.is(K::nil) ? Value::missing() : arg1_in;
  if (rest.empty()) return fail("missing argument for comparison");
  Basic k1 = basic_kind(arg1);
  for (const Value& a : rest) {
    Value arg = a.is(K::nil) ? Value::missing() : a;
    Basic k2 = basic_kind(arg);
    bool truth = false;
    if (number_vs_numeric(arg1, k1, arg, k2)) {
      truth = compare_numeric(arg1, arg) == 0;
    } else if (k1 != k2) {
      if (k1 == Basic::integer && k2 == Basic::unsigned_integer) {
        truth = arg1.as_int() >= 0 && static_cast<uint64_t>(arg1.as_int()) == as_unsigned(arg);
      } else if (k1 == Basic::unsigned_integer && k2 == Basic::integer) {
        truth = arg.as_int() >= 0 && as_unsigned(arg1) == static_cast<uint64_t>(arg.as_int());
      } else if (!arg1.is(K::missing) && !arg.is(K::missing)) {
        return fail("incompatible types for comparison");
      }
    } else {
      switch (k1) {
        case Basic::boolean:
          truth = arg1.as_bool() == arg.as_bool();
          break;
        case Basic::floating:
          truth = arg1.as_float() == arg.as_float();
          break;
        case Basic::integer:
          truth = arg1.as_int() == arg.as_int();
          break;
        case Basic::string:
          truth = arg1.as_string() == arg.as_string();
          break;
        case Basic::unsigned_integer:
          truth = as_unsigned(arg1) == as_unsigned(arg);
          break;
        case Basic::invalid: {
          bool same_kind = arg1.kind() == arg.kind() ||
                           ((arg1.is(K::list) || arg1.is(K::bytes)) && (arg.is(K::list) || arg.is(K::bytes)));
          if (!same_kind && !arg1.is(K::missing) && !arg.is(K::missing)) {
            return fail("non-comparable types " + go_sprintf("%s", {arg1}) + ": " + arg1.go_type_name() + ", " +
                        arg.go_type_name() + ": " + go_sprint_value(arg));
          }
          if (arg1.is(K::missing) || arg.is(K::missing)) {
            truth = arg1.is(K::missing) == arg.is(K::missing);
          } else if (arg.is(K::time)) {
            const Time& x = arg1.as_time();
            const Time& y = arg.as_time();
            truth = x.unix_seconds == y.unix_seconds && x.nanos == y.nanos && x.utc_offset_seconds == y.utc_offset_seconds &&
                    x.zone_name == y.zone_name;
          } else {
            return fail("non-comparable type " + go_sprintf("%s", {arg}) + ": " + arg.go_type_name());
          }
          break;
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

Result<bool> lt(const Value& a1, const Value& a2) {
  Value arg1 = a1.is(K::nil) ? Value::missing() : a1;
  Value arg2 = a2.is(K::nil) ? Value::missing() : a2;
  Basic k1 = basic_kind(arg1);
  if (k1 == Basic::invalid) return fail("invalid type for comparison");
  Basic k2 = basic_kind(arg2);
  if (k2 == Basic::invalid) return fail("invalid type for comparison");
  if (number_vs_numeric(arg1, k1, arg2, k2)) return compare_numeric(arg1, arg2) < 0;
  if (k1 != k2) {
    if (k1 == Basic::integer && k2 == Basic::unsigned_integer)
      return arg1.as_int() < 0 || static_cast<uint64_t>(arg1.as_int()) < as_unsigned(arg2);
    if (k1 == Basic::unsigned_integer && k2 == Basic::integer)
      return arg2.as_int() >= 0 && as_unsigned(arg1) < static_cast<uint64_t>(arg2.as_int());
    return fail("incompatible types for comparison");
  }
  switch (k1) {
    case Basic::boolean:
      return fail("invalid type for comparison");
    case Basic::floating:
      return arg1.as_float() < arg2.as_float();
    case Basic::integer:
      return arg1.as_int() < arg2.as_int();
    case Basic::string:
      return arg1.as_string() < arg2.as_string();
    case Basic::unsigned_integer:
      return as_unsigned(arg1) < as_unsigned(arg2);
    default:
      return fail("invalid type for comparison");
  }
}

Result<bool> le(const Value& a, const Value& b) {
  auto l = lt(a, b);
  if (!l || *l) return l;
  return eq(a, {b});
}

// indexArg
Result<int64_t> index_arg(const Value& index, size_t cap) {
  int64_t x;
  if (index.is(K::integer)) {
    x = index.as_int();
  } else if (index.is(K::unsigned_integer)) {
    x = static_cast<int64_t>(index.as_uint());
  } else if (is_invalid(index)) {
    return fail("cannot index slice/array with nil");
  } else {
    return fail("cannot index slice/array with type " + index.go_type_name());
  }
  if (x < 0 || x > static_cast<int64_t>(cap)) return fail("index out of range: " + std::to_string(x));
  return x;
}

Value list_element_type(const Value& list, const Value& e) {
  switch (list.go_type()) {
    case Value::GoType::int64_slice:
      return e.with_go_type(Value::GoType::int64);
    default:
      return e;
  }
}

Result<Value> index_fn(FunctionCall& call) {
  Value item = call.args[0];
  if (is_invalid(item)) return fail("index of untyped nil");
  for (size_t i = 1; i < call.args.size(); i++) {
    Value index = call.args[i].is(K::nil) ? Value::missing() : call.args[i];
    if (item.is(K::nil)) return fail("index of nil pointer");
    switch (item.kind()) {
      case K::list: {
        auto x = index_arg(index, item.as_list().size());
        if (!x) return x.error();
        if (static_cast<size_t>(*x) >= item.as_list().size()) return fail("reflect: slice index out of range");
        item = list_element_type(item, item.as_list()[*x]);
        break;
      }
      case K::bytes:
      case K::string:
      case K::number: {
        const std::string& s = item.as_string();
        auto x = index_arg(index, s.size());
        if (!x) return x.error();
        if (static_cast<size_t>(*x) >= s.size())
          return fail(item.is(K::bytes) ? "reflect: slice index out of range" : "reflect: string index out of range");
        item = Value::integer(static_cast<unsigned char>(s[*x])).with_go_type(Value::GoType::uint8);
        break;
      }
      case K::map: {
        if (index.is(K::missing)) return fail("value is nil; should be of type string");
        if (!index.is(K::string)) return fail("value has type " + index.go_type_name() + "; should be string");
        const Map& m = item.as_map();
        auto it = m.find(index.as_string());
        if (it != m.end()) {
          item = it->second;
        } else {
          item = item.go_type() == Value::GoType::string_map ? Value::string("") : Value::nil();
        }
        break;
      }
      default:
        return fail("can't index item of type " + item.go_type_name());
    }
  }
  return item;
}

Result<Value> slice_fn(FunctionCall& call) {
  Value item = call.args[0];
  if (is_invalid(item)) return fail("slice of untyped nil");
  size_t n = call.args.size() - 1;
  if (n > 3) return fail("too many slice indexes: " + std::to_string(n));
  size_t cap, len;
  bool is_str = item.is(K::string) || item.is(K::number);
  if (is_str) {
    if (n == 3) return fail("cannot 3-index slice a string");
    cap = len = item.as_string().size();
  } else if (item.is(K::list)) {
    cap = len = item.as_list().size();
  } else if (item.is(K::bytes)) {
    cap = len = item.as_string().size();
  } else {
    return fail("can't slice item of type " + item.go_type_name());
  }
  int64_t idx[3] = {0, static_cast<int64_t>(len), 0};
  for (size_t i = 0; i < n; i++) {
    Value index = call.args[i + 1].is(K::nil) ? Value::missing() : call.args[i + 1];
    auto x = index_arg(index, cap);
    if (!x) return x.error();
    idx[i] = *x;
  }
  if (idx[0] > idx[1])
    return fail("invalid slice index: " + std::to_string(idx[0]) + " > " + std::to_string(idx[1]));
  if (n == 3 && idx[1] > idx[2])
    return fail("invalid slice index: " + std::to_string(idx[1]) + " > " + std::to_string(idx[2]));
  if (is_str) {
    Value out = Value::string(item.as_string().substr(idx[0], idx[1] - idx[0]));
    return item.is(K::number) ? Value::number(out.as_string()) : out;
  }
  if (item.is(K::bytes)) return Value::bytes(item.as_string().substr(idx[0], idx[1] - idx[0]));
  const List& l = item.as_list();
  return Value::list(List(l.begin() + idx[0], l.begin() + idx[1])).with_go_type(item.go_type());
}

Result<Value> len_fn(FunctionCall& call) {
  const Value& item = call.args[0];
  if (item.is(K::nil)) return fail("len of nil pointer");
  switch (item.kind()) {
    case K::list:
      return Value::integer(static_cast<int64_t>(item.as_list().size()));
    case K::map:
      return Value::integer(static_cast<int64_t>(item.as_map().size()));
    case K::string:
    case K::number:
    case K::bytes:
      return Value::integer(static_cast<int64_t>(item.as_string().size()));
    case K::missing:
      return fail("reflect: call of reflect.Value.Type on zero Value");
    default:
      return fail("len of type " + item.go_type_name());
  }
}

// evalArgs of html/js/urlquery: one string argument as is, else Sprint with nil as <no value>.
std::string eval_args(const std::vector<Value>& args) {
  if (args.size() == 1 && args[0].is(K::string)) return args[0].as_string();
  std::vector<Value> printable;
  printable.reserve(args.size());
  for (const auto& a : args) printable.push_back(is_invalid(a) ? Value::string("<no value>") : a);
  return go_sprint(printable);
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\0':
        out += "\xEF\xBF\xBD";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string js_escape(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < s.size(); i++) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '\\':
          out += "\\\\";
          continue;
        case '\'':
          out += "\\'";
          continue;
        case '"':
          out += "\\\"";
          continue;
        case '<':
          out += "\\u003C";
          continue;
        case '>':
          out += "\\u003E";
          continue;
        case '&':
          out += "\\u0026";
          continue;
        case '=':
          out += "\\u003D";
          continue;
        default:
          break;
      }
      if (c < ' ') {
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
      } else {
        out += static_cast<char>(c);
      }
      continue;
    }
    auto [r, w] = fn::decode_rune(std::string_view(s).substr(i));
    if (fn::is_print(r)) {
      out.append(s, i, w);
    } else {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(r));
      out += buf;
    }
    i += w - 1;
  }
  return out;
}

std::string query_escape(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

FunctionRow builtin(std::string name, std::string sig, std::string desc, std::string example, FunctionImpl impl) {
  return FunctionRow{std::move(name), std::move(sig), std::move(desc), std::move(example), std::move(impl)};
}

FunctionTable make_builtins() {
  FunctionTable t;
  auto unreachable = [](FunctionCall&) -> Result<Value> { return fail("unreachable"); };
  t.add(builtin("and", "func(arg0 reflect.Value, args ...reflect.Value) reflect.Value",
                "The first empty argument or the last one; stops evaluating at the first empty one.",
                "{{ and 1 0 2 }}", unreachable));
  t.add(builtin("or", "func(arg0 reflect.Value, args ...reflect.Value) reflect.Value",
                "The first non-empty argument or the last one; stops evaluating at the first non-empty one.",
                "{{ or 0 \"\" \"x\" }}", unreachable));
  t.add(builtin("not", "func(arg reflect.Value) bool", "The boolean negation of the argument's truth.",
                "{{ not 0 }}", [](FunctionCall& c) -> Result<Value> { return Value::boolean(!go_is_true(c.args[0])); }));
  t.add(builtin("len", "func(item reflect.Value) (int, error)", "Length of a string, list or map.",
                "{{ len \"abc\" }}", len_fn));
  t.add(builtin("index", "func(item reflect.Value, indexes ...reflect.Value) (reflect.Value, error)",
                "Element of a list, string or map by successive indexes.", "{{ index (list 1 2) 1 }}", index_fn));
  t.add(builtin("slice", "func(item reflect.Value, indexes ...reflect.Value) (reflect.Value, error)",
                "Slice of a string or list: slice x 1 2 is x[1:2].", "{{ slice \"abc\" 1 2 }}", slice_fn));
  t.add(builtin("eq", "func(arg1 reflect.Value, arg2 ...reflect.Value) (bool, error)",
                "arg1 == arg2 || arg1 == arg3 ...", "{{ eq 1 2 1 }}", [](FunctionCall& c) -> Result<Value> {
                  auto r = eq(c.args[0], std::vector<Value>(c.args.begin() + 1, c.args.end()));
                  if (!r) return r.error();
                  return Value::boolean(*r);
                }));
  t.add(builtin("ne", "func(arg1 reflect.Value, arg2 reflect.Value) (bool, error)", "arg1 != arg2",
                "{{ ne 1 2 }}", [](FunctionCall& c) -> Result<Value> {
                  auto r = eq(c.args[0], {c.args[1]});
                  if (!r) return r.error();
                  return Value::boolean(!*r);
                }));
  t.add(builtin("lt", "func(arg1 reflect.Value, arg2 reflect.Value) (bool, error)", "arg1 < arg2", "{{ lt 1 2 }}",
                [](FunctionCall& c) -> Result<Value> {
                  auto r = lt(c.args[0], c.args[1]);
                  if (!r) return r.error();
                  return Value::boolean(*r);
                }));
  t.add(builtin("le", "func(arg1 reflect.Value, arg2 reflect.Value) (bool, error)", "arg1 <= arg2", "{{ le 1 2 }}",
                [](FunctionCall& c) -> Result<Value> {
                  auto r = le(c.args[0], c.args[1]);
                  if (!r) return r.error();
                  return Value::boolean(*r);
                }));
  t.add(builtin("gt", "func(arg1 reflect.Value, arg2 reflect.Value) (bool, error)", "arg1 > arg2", "{{ gt 1 2 }}",
                [](FunctionCall& c) -> Result<Value> {
                  auto r = le(c.args[0], c.args[1]);
                  if (!r) return r.error();
                  return Value::boolean(!*r);
                }));
  t.add(builtin("ge", "func(arg1 reflect.Value, arg2 reflect.Value) (bool, error)", "arg1 >= arg2", "{{ ge 1 2 }}",
                [](FunctionCall& c) -> Result<Value> {
                  auto r = lt(c.args[0], c.args[1]);
                  if (!r) return r.error();
                  return Value::boolean(!*r);
                }));
  t.add(builtin("print", "func(args ...interface{}) string", "fmt.Sprint of the arguments.", "{{ print 1 2 \"a\" }}",
                [](FunctionCall& c) -> Result<Value> { return Value::string(go_sprint(c.args)); }));
  t.add(builtin("println", "func(args ...interface{}) string", "fmt.Sprintln of the arguments.",
                "{{ println 1 2 }}",
                [](FunctionCall& c) -> Result<Value> { return Value::string(go_sprintln(c.args)); }));
  t.add(builtin("printf", "func(format string, args ...interface{}) string", "fmt.Sprintf of the arguments.",
                "{{ printf \"%05.1f\" 3.14159 }}", [](FunctionCall& c) -> Result<Value> {
                  return Value::string(
                      go_sprintf(c.args[0].as_string(), std::vector<Value>(c.args.begin() + 1, c.args.end())));
                }));
  t.add(builtin("html", "func(args ...interface{}) string", "HTML-escaped text of the arguments.",
                "{{ html \"<a>\" }}",
                [](FunctionCall& c) -> Result<Value> { return Value::string(html_escape(eval_args(c.args))); }));
  t.add(builtin("js", "func(args ...interface{}) string", "JavaScript-escaped text of the arguments.",
                "{{ js \"it's\" }}",
                [](FunctionCall& c) -> Result<Value> { return Value::string(js_escape(eval_args(c.args))); }));
  t.add(builtin("urlquery", "func(args ...interface{}) string", "Query-escaped text of the arguments.",
                "{{ urlquery \"a b&c\" }}",
                [](FunctionCall& c) -> Result<Value> { return Value::string(query_escape(eval_args(c.args))); }));
  t.add(builtin("call", "func(fn reflect.Value, args ...reflect.Value) (reflect.Value, error)",
                "Calls a function value (data holds none, so it always fails).", "",
                [](FunctionCall& c) -> Result<Value> {
                  if (is_invalid(c.args[0])) return fail("call of nil");
                  return fail("non-function of type " + c.args[0].go_type_name());
                }));
  return t;
}

}  // namespace

bool go_is_true(const Value& v) {
  switch (v.kind()) {
    case K::missing:
    case K::nil:
      return false;
    case K::boolean:
      return v.as_bool();
    case K::integer:
      return v.as_int() != 0;
    case K::unsigned_integer:
      return v.as_uint() != 0;
    case K::floating:
      return v.as_float() != 0;
    case K::number:
    case K::string:
    case K::bytes:
      return !v.as_string().empty();
    case K::list:
      return !v.as_list().empty();
    case K::map:
      return !v.as_map().empty();
    case K::time:
      return true;
  }
  return false;
}

const FunctionTable& builtin_function_table() {
  static const FunctionTable* t = new FunctionTable(make_builtins());
  return *t;
}

}  // namespace utask::values

// sprig's list functions (list.go). Every function accepts any slice; errors name the Go kind
// of a non-list argument as sprig does ("Cannot find first on type string").

#include <cmath>

#include "values/functions/families.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

// The items of a slice argument, or sprig's error "<prefix> <kind>" for another value.
Result<List> items_of(const Value& v, const std::string& prefix) {
  auto kind = slice_kind(v);
  if (!kind) return kind.error();
  if (!is_slice(v)) return call_error(prefix + " " + *kind);
  return slice_items(v);
}

bool contains(const List& haystack, const Value& needle) {
  for (const Value& h : haystack) {
    if (deep_equal(needle, h)) return true;
  }
  return false;
}

using ListFn = Result<Value> (*)(const List& items, FunctionCall& c);

// Registers `name` and `mustName` for a function of one list argument at position `pos`.
void add_pair(FunctionTable& t, const std::string& name, const std::string& params, const std::string& result,
              const std::string& description, const std::string& example, const std::string& error_prefix, size_t pos,
              ListFn fn) {
  auto impl = [error_prefix, pos, fn](FunctionCall& c) -> Result<Value> {
    auto items = items_of(arg(c, pos), error_prefix);
    if (!items) return items.error();
    return fn(*items, c);
  };
  std::string must = "must" + std::string(1, char(std::toupper(name[0]))) + name.substr(1);
  t.add(row(name, "func(" + params + ") " + result, description, example, impl));
  t.add(row(must, "func(" + params + ") (" + result + ", error)", description + " (must form: same errors).",
            "{{ " + must + example.substr(3 + name.size()), impl));
}

Result<Value> chunk(int64_t size, const List& items) {
  int64_t l = int64_t(items.size());
  double csd = std::floor(double(l - 1) / double(size)) + 1;
  if (!std::isfinite(csd) || csd < 0 || csd > 1e9) return call_error("runtime error: makeslice: len out of range");
  int64_t cs = int64_t(csd);
  List out;
  for (int64_t i = 0; i < cs; ++i) {
    int64_t clen = size;
    if (i == cs - 1) {
      clen = int64_t(std::floor(std::fmod(double(l), double(size))));
      if (clen == 0) clen = size;
    }
    if (clen < 0) return call_error("runtime error: makeslice: len out of range");
    List part;
    for (int64_t j = 0; j < clen; ++j) {
      int64_t ix = i * size + j;
      if (ix < 0 || ix >= l) return call_error("reflect: slice index out of range");
      part.push_back(items[size_t(ix)]);
    }
    out.push_back(Value::list(std::move(part)));
  }
  return Value::list(std::move(out));
}

}  // namespace

void add_list_functions(FunctionTable& t) {
  auto list = [](FunctionCall& c) -> Result<Value> {
    List out;
    for (size_t i = 0; i < c.args.size(); ++i) out.push_back(arg(c, i));
    return Value::list(std::move(out));
  };
  t.add(row("list", "func(v ...interface{}) []interface{}", "A list of the arguments.", R"({{ list 1 "a" }})", list));
  t.add(row("tuple", "func(v ...interface{}) []interface{}", "Alias of list.", R"({{ tuple 1 "a" }})", list));

  auto push = [](FunctionCall& c) -> Result<Value> {
    auto items = items_of(arg(c, 0), "Cannot push on type");
    if (!items) return items.error();
    items->push_back(arg(c, 1));
    return Value::list(std::move(*items));
  };
  t.add(row("append", "func(list interface{}, v interface{}) []interface{}", "A copy of list with v added at the end.",
            R"({{ append (list 1 2) 3 }})", push));
  t.add(row("push", "func(list interface{}, v interface{}) []interface{}", "Alias of append.",
            R"({{ push (list 1 2) 3 }})", push));
  t.add(row("mustAppend", "func(list interface{}, v interface{}) ([]interface{}, error)", "append (must form).",
            R"({{ mustAppend (list 1) 2 }})", push));
  t.add(row("mustPush", "func(list interface{}, v interface{}) ([]interface{}, error)", "push (must form).",
            R"({{ mustPush (list 1) 2 }})", push));
  auto prepend = [](FunctionCall& c) -> Result<Value> {
    auto items = items_of(arg(c, 0), "Cannot prepend on type");
    if (!items) return items.error();
    items->insert(items->begin(), arg(c, 1));
    return Value::list(std::move(*items));
  };
  t.add(row("prepend", "func(list interface{}, v interface{}) []interface{}", "A copy of list with v in front.",
            R"({{ prepend (list 2 3) 1 }})", prepend));
  t.add(row("mustPrepend", "func(list interface{}, v interface{}) ([]interface{}, error)", "prepend (must form).",
            R"({{ mustPrepend (list 2) 1 }})", prepend));

  add_pair(t, "first", "list interface{}", "interface{}", "The first element (nil for an empty list).",
           R"({{ first (list 1 2 3) }})", "Cannot find first on type", 0,
           [](const List& l, FunctionCall&) -> Result<Value> { return l.empty() ? Value::nil() : l.front(); });
  add_pair(t, "last", "list interface{}", "interface{}", "The last element (nil for an empty list).",
           R"({{ last (list 1 2 3) }})", "Cannot find last on type", 0,
           [](const List& l, FunctionCall&) -> Result<Value> { return l.empty() ? Value::nil() : l.back(); });
  add_pair(t, "rest", "list interface{}", "[]interface{}", "All but the first element.", R"({{ rest (list 1 2 3) }})",
           "Cannot find rest on type", 0, [](const List& l, FunctionCall&) -> Result<Value> {
             return l.empty() ? Value::list({}) : Value::list(List(l.begin() + 1, l.end()));
           });
  add_pair(t, "initial", "list interface{}", "[]interface{}", "All but the last element.",
           R"({{ initial (list 1 2 3) }})", "Cannot find initial on type", 0,
           [](const List& l, FunctionCall&) -> Result<Value> {
             return l.empty() ? Value::list({}) : Value::list(List(l.begin(), l.end() - 1));
           });
  add_pair(t, "reverse", "v interface{}", "[]interface{}", "The elements in reverse order.",
           R"({{ reverse (list 1 2 3) }})", "Cannot find reverse on type", 0,
           [](const List& l, FunctionCall&) -> Result<Value> { return Value::list(List(l.rbegin(), l.rend())); });
  add_pair(t, "uniq", "list interface{}", "[]interface{}", "The elements without repeats (deep equality).",
           R"({{ uniq (list 1 2 1) }})", "Cannot find uniq on type", 0,
           [](const List& l, FunctionCall&) -> Result<Value> {
             List out;
             for (const Value& v : l) {
               if (!contains(out, v)) out.push_back(v);
             }
             return Value::list(std::move(out));
           });

  auto without = [](FunctionCall& c) -> Result<Value> {
    auto items = items_of(arg(c, 0), "Cannot find without on type");
    if (!items) return items.error();
    List omit;
    for (size_t i = 1; i < c.args.size(); ++i) omit.push_back(arg(c, i));
    List out;
    for (const Value& v : *items) {
      if (!contains(omit, v)) out.push_back(v);
    }
    return Value::list(std::move(out));
  };
  t.add(row("without", "func(list interface{}, omit ...interface{}) []interface{}",
            "The list without the given values.", R"({{ without (list 1 2 3) 2 }})", without));
  t.add(row("mustWithout", "func(list interface{}, omit ...interface{}) ([]interface{}, error)", "without (must form).",
            R"({{ mustWithout (list 1 2 3) 2 }})", without));

  auto has = [](FunctionCall& c) -> Result<Value> {
    Value haystack = arg(c, 1);
    if (haystack.is(Value::Kind::nil)) return Value::boolean(false);
    auto items = items_of(haystack, "Cannot find has on type");
    if (!items) return items.error();
    return Value::boolean(contains(*items, arg(c, 0)));
  };
  t.add(row("has", "func(needle interface{}, haystack interface{}) bool", "Whether the list holds needle.",
            R"({{ list 1 2 | has 2 }})", has));
  t.add(row("mustHas", "func(needle interface{}, haystack interface{}) (bool, error)", "has (must form).",
            R"({{ list 1 2 | mustHas 2 }})", has));

  auto slice = [](FunctionCall& c) -> Result<Value> {
    auto items = items_of(arg(c, 0), "list should be type of slice or array but");
    if (!items) return items.error();
    int64_t l = int64_t(items->size());
    if (l == 0) return Value::nil();
    int64_t start = c.args.size() > 1 ? to_int64(c.args[1]) : 0;
    int64_t end = c.args.size() > 2 ? to_int64(c.args[2]) : l;
    if (start < 0 || end < start || end > l) return call_error("reflect.Value.Slice: slice index out of bounds");
    return Value::list(List(items->begin() + start, items->begin() + end)).with_go_type(arg(c, 0).go_type());
  };
  t.add(row("slice", "func(list interface{}, indices ...interface{}) interface{}",
            "Elements start..end of the list (sprig's, replacing Go's built-in slice).",
            R"({{ slice (list 1 2 3 4) 1 3 }})", slice));
  t.add(row("mustSlice", "func(list interface{}, indices ...interface{}) (interface{}, error)", "slice (must form).",
            R"({{ mustSlice (list 1 2 3) 1 }})", slice));

  t.add(row("concat", "func(lists ...interface{}) interface{}", "The lists joined into one.",
            R"({{ concat (list 1 2) (list 3) }})", [](FunctionCall& c) -> Result<Value> {
              List out;
              for (size_t i = 0; i < c.args.size(); ++i) {
                Value v = arg(c, i);
                auto kind = slice_kind(v);
                if (!kind) return kind.error();
                if (!is_slice(v)) return call_error("Cannot concat type " + *kind + " as list");
                for (const Value& item : slice_items(v)) out.push_back(item);
              }
              return Value::list(std::move(out));
            }));

  auto chunk_fn = [](FunctionCall& c) -> Result<Value> {
    auto items = items_of(arg(c, 1), "Cannot chunk type");
    if (!items) return items.error();
    return chunk(arg_int(c, 0), *items);
  };
  t.add(row("chunk", "func(size int, list interface{}) [][]interface{}", "Splits the list into lists of size.",
            R"({{ chunk 2 (list 1 2 3) }})", chunk_fn));
  t.add(row("mustChunk", "func(size int, list interface{}) ([][]interface{}, error)", "chunk (must form).",
            R"({{ mustChunk 2 (list 1 2 3) }})", chunk_fn));
}

}  // namespace utask::values::fn

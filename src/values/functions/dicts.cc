// sprig's dict functions (dict.go). As in Go, maps are references: set, unset, merge and
// mergeOverwrite change the map they are given (templates rely on `$_ := set $d "k" v`), so
// those functions write through the Value's shared map.

#include "values/functions/families.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

// The map a Value shares with every copy of it (Go's map reference semantics).
Map& shared_map(const Value& v) { return const_cast<Map&>(v.as_map()); }

// Whether v holds (at any depth) the map `target`: Go lets a map contain itself and then
// overflows its stack printing it; here such a write is refused instead.
bool holds_map(const Value& v, const Map* target) {
  if (v.is(Value::Kind::map)) {
    if (&v.as_map() == target) return true;
    for (const auto& [k, e] : v.as_map()) {
      if (holds_map(e, target)) return true;
    }
  } else if (v.is(Value::Kind::list)) {
    for (const Value& e : v.as_list()) {
      if (holds_map(e, target)) return true;
    }
  }
  return false;
}

Error cycle_error(const std::string& fn) { return call_error(fn + ": a map cannot contain itself"); }

// mergo.Merge / MergeWithOverwrite of map[string]interface{} values, including mergo's
// handling of nested maps (merged in place), slices and nil sources.
void merge_into(Map& dst, const Map& src, bool overwrite) {
  for (const auto& [key, s] : src) {
    auto it = dst.find(key);
    const bool has = it != dst.end();
    const Value old = has ? it->second : Value::missing();
    const bool old_nil = !has || old.is(Value::Kind::nil) || old.is(Value::Kind::missing);
    if (s.is(Value::Kind::nil) || s.is(Value::Kind::missing)) {
      if (overwrite) dst[key] = Value::nil();
      continue;
    }
    const bool src_map = s.is(Value::Kind::map);
    const bool src_slice = is_slice(s);
    if (src_map) {
      if (has && old.is(Value::Kind::map)) merge_into(shared_map(old), s.as_map(), overwrite);
    } else if (src_slice) {
      Value slice = old_nil ? Value::list({}) : old;
      if (overwrite || dst.empty()) slice = s;
      dst[key] = slice;
    }
    if (has && !is_empty(old) && (src_map || src_slice)) continue;
    if (overwrite || !has || is_empty(old)) dst[key] = s;
  }
}

Value deep_copy(const Value& v) {
  if (v.is(Value::Kind::map)) {
    Map m;
    for (const auto& [k, e] : v.as_map()) m.emplace(k, deep_copy(e));
    return Value::map(std::move(m)).with_go_type(v.go_type());
  }
  if (v.is(Value::Kind::list)) {
    List l;
    for (const Value& e : v.as_list()) l.push_back(deep_copy(e));
    return Value::list(std::move(l)).with_go_type(v.go_type());
  }
  return v;
}

// The text of Go's failed interface conversion `x.(T)`.
Error conversion_panic(const Value& v, const std::string& want) {
  std::string got = v.is(Value::Kind::nil) || v.is(Value::Kind::missing) ? "nil" : v.go_type_name();
  return call_error("interface conversion: interface {} is " + got + ", not " + want);
}

Result<Value> dig(const FunctionCall& c) {
  size_t n = c.args.size();
  if (n < 3) return call_error("dig needs at least three arguments");
  Value dict = arg(c, n - 1);
  if (!dict.is(Value::Kind::map) || dict.go_type() != Value::GoType::standard) {
    return conversion_panic(dict, "map[string]interface {}");
  }
  Value def = arg(c, n - 2);
  std::vector<std::string> keys;
  for (size_t i = 0; i + 2 < n; ++i) {
    Value k = arg(c, i);
    if (!k.is(Value::Kind::string)) return conversion_panic(k, "string");
    keys.push_back(k.as_string());
  }
  Value cur = dict;
  for (size_t i = 0; i < keys.size(); ++i) {
    const Map& m = cur.as_map();
    auto it = m.find(keys[i]);
    if (it == m.end()) return def;
    if (i + 1 == keys.size()) return it->second;
    cur = it->second;
    if (!cur.is(Value::Kind::map) || cur.go_type() != Value::GoType::standard) {
      return conversion_panic(cur, "map[string]interface {}");
    }
  }
  return def;
}

}  // namespace

void add_dict_functions(FunctionTable& t) {
  t.add(row("dict", "func(v ...interface{}) map[string]interface{}",
            "A map from key/value pairs (keys printed as strings; a missing last value is \"\").",
            R"({{ dict "a" 1 "b" 2 }})", [](FunctionCall& c) -> Result<Value> {
              Map m;
              for (size_t i = 0; i < c.args.size(); i += 2) {
                std::string key = strval(arg(c, i));
                m[key] = i + 1 < c.args.size() ? arg(c, i + 1) : Value::string("");
              }
              return Value::map(std::move(m));
            }));
  t.add(row("get", "func(d map[string]interface{}, key string) interface{}", "The value at key, or \"\".",
            R"({{ get (dict "a" 1) "a" }})", [](FunctionCall& c) -> Result<Value> {
              const Map& m = arg(c, 0).as_map();
              auto it = m.find(arg_string(c, 1));
              return it == m.end() ? Value::string("") : it->second;
            }));
  t.add(row("set", "func(d map[string]interface{}, key string, value interface{}) map[string]interface{}",
            "Sets key in the map (the map itself changes) and returns it.",
            R"({{ $d := dict }}{{ $_ := set $d "a" 1 }}{{ $d.a }})", [](FunctionCall& c) -> Result<Value> {
              Value d = arg(c, 0);
              if (!d.is(Value::Kind::map)) return call_error("assignment to entry in nil map");
              Value v = arg(c, 2);
              if (holds_map(v, &d.as_map())) return cycle_error("set");
              shared_map(d)[arg_string(c, 1)] = v;
              return d;
            }));
  t.add(row("unset", "func(d map[string]interface{}, key string) map[string]interface{}",
            "Removes key from the map (the map itself changes) and returns it.",
            R"({{ $d := dict "a" 1 "b" 2 }}{{ $_ := unset $d "a" }}{{ $d }})", [](FunctionCall& c) -> Result<Value> {
              Value d = arg(c, 0);
              if (d.is(Value::Kind::map)) shared_map(d).erase(arg_string(c, 1));
              return d;
            }));
  t.add(row("hasKey", "func(d map[string]interface{}, key string) bool", "Whether the map has key.",
            R"({{ hasKey (dict "a" 1) "a" }})", [](FunctionCall& c) -> Result<Value> {
              return Value::boolean(arg(c, 0).as_map().count(arg_string(c, 1)) > 0);
            }));
  t.add(row("pluck", "func(key string, d ...map[string]interface{}) []interface{}",
            "The values at key of each map that has it.", R"({{ pluck "a" (dict "a" 1) (dict "a" 2) (dict "b" 3) }})",
            [](FunctionCall& c) -> Result<Value> {
              List out;
              for (size_t i = 1; i < c.args.size(); ++i) {
                const Map& m = c.args[i].as_map();
                auto it = m.find(arg_string(c, 0));
                if (it != m.end()) out.push_back(it->second);
              }
              return Value::list(std::move(out));
            }));
  t.add(row("keys", "func(dicts ...map[string]interface{}) []string",
            "The keys of the maps (Go gives them in random order; here each map's keys are sorted).",
            R"({{ keys (dict "b" 1 "a" 2) | sortAlpha }})", [](FunctionCall& c) -> Result<Value> {
              std::vector<std::string> out;
              for (const Value& d : c.args) {
                for (const auto& [k, v] : d.as_map()) out.push_back(k);
              }
              return string_list(out);
            }));
  t.add(row("pick", "func(dict map[string]interface{}, keys ...string) map[string]interface{}",
            "A new map with only the given keys.", R"({{ pick (dict "a" 1 "b" 2) "a" }})",
            [](FunctionCall& c) -> Result<Value> {
              const Map& src = arg(c, 0).as_map();
              Map m;
              for (size_t i = 1; i < c.args.size(); ++i) {
                auto it = src.find(arg_string(c, i));
                if (it != src.end()) m[it->first] = it->second;
              }
              return Value::map(std::move(m));
            }));
  t.add(row("omit", "func(dict map[string]interface{}, keys ...string) map[string]interface{}",
            "A new map without the given keys.", R"({{ omit (dict "a" 1 "b" 2) "a" }})",
            [](FunctionCall& c) -> Result<Value> {
              Map m = arg(c, 0).as_map();
              for (size_t i = 1; i < c.args.size(); ++i) m.erase(arg_string(c, i));
              return Value::map(std::move(m));
            }));
  auto merge = [](bool overwrite) {
    return [overwrite](FunctionCall& c) -> Result<Value> {
      Value dst = arg(c, 0);
      if (!dst.is(Value::Kind::map)) dst = Value::map({});
      for (size_t i = 1; i < c.args.size(); ++i) {
        if (!c.args[i].is(Value::Kind::map)) continue;
        if (holds_map(c.args[i], &dst.as_map())) return cycle_error(overwrite ? "mergeOverwrite" : "merge");
        merge_into(shared_map(dst), c.args[i].as_map(), overwrite);
      }
      return dst;
    };
  };
  t.add(row("merge", "func(dst map[string]interface{}, srcs ...map[string]interface{}) interface{}",
            "Merges the sources into dst (dst's values win; nested maps merge).",
            R"({{ merge (dict "a" 1) (dict "a" 2 "b" 3) }})", merge(false)));
  t.add(row("mustMerge", "func(dst map[string]interface{}, srcs ...map[string]interface{}) (interface{}, error)",
            "merge (must form).", R"({{ mustMerge (dict "a" 1) (dict "b" 2) }})", merge(false)));
  t.add(row("mergeOverwrite", "func(dst map[string]interface{}, srcs ...map[string]interface{}) interface{}",
            "Merges the sources into dst (the sources' values win).",
            R"({{ mergeOverwrite (dict "a" 1) (dict "a" 2 "b" 3) }})", merge(true)));
  t.add(row("mustMergeOverwrite",
            "func(dst map[string]interface{}, srcs ...map[string]interface{}) (interface{}, error)",
            "mergeOverwrite (must form).", R"({{ mustMergeOverwrite (dict "a" 1) (dict "a" 2) }})", merge(true)));
  t.add(row("values", "func(dict map[string]interface{}) []interface{}",
            "The values of the map (Go's order is random; here by key).", R"({{ values (dict "a" 1) }})",
            [](FunctionCall& c) -> Result<Value> {
              List out;
              for (const auto& [k, v] : arg(c, 0).as_map()) out.push_back(v);
              return Value::list(std::move(out));
            }));
  t.add(row("dig", "func(ps ...interface{}) (interface{}, error)",
            "Walks nested maps by keys: dig \"k1\" \"k2\" default map.",
            R"({{ dig "a" "b" "none" (dict "a" (dict "b" 1)) }})", [](FunctionCall& c) { return dig(c); }));
  auto copy = [](FunctionCall& c) -> Result<Value> {
    Value v = arg(c, 0);
    if (v.is(Value::Kind::nil)) return call_error("reflect: call of reflect.Value.Type on zero Value");
    return deep_copy(v);
  };
  t.add(row("deepCopy", "func(i interface{}) interface{}", "A deep copy of the value.",
            R"({{ deepCopy (dict "a" 1) }})", copy));
  t.add(row("mustDeepCopy", "func(i interface{}) (interface{}, error)", "deepCopy (must form).",
            R"({{ mustDeepCopy (list 1) }})", copy));
}

}  // namespace utask::values::fn

// Instance validation over compiled Nodes. Every violation is reported, not just the first;
// subschemas whose result only decides a combinator (anyOf, oneOf, not, if, contains) are
// evaluated quietly and stop at their first failure.
//
// Termination: a Node is entered again for the same instance value only through a cycle of
// subschemas that consumes nothing ({"$ref": "#"}); such a re-entry adds no constraint that
// the outer evaluation is not already checking, so it counts as valid. Every other recursion
// descends into the (finite) instance.

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/json_schema_internal.h"

namespace utask::model::json_schema_detail {
namespace {

// Deeper instance nesting is reported instead of risking the stack.
constexpr std::size_t kMaxDepth = 512;

struct Violation {
  std::string pointer;
  std::string message;
};
using Violations = std::vector<Violation>;

bool is_integral(const Json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

// Exact for any two JSON integers (int64 or uint64), long double otherwise.
int compare_numbers(const Json& a, const Json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    bool a_neg = !a.is_number_unsigned() && a.get<std::int64_t>() < 0;
    bool b_neg = !b.is_number_unsigned() && b.get<std::int64_t>() < 0;
    if (a_neg != b_neg) return a_neg ? -1 : 1;
    if (a_neg) {
      auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    auto x = a.get<std::uint64_t>(), y = b.get<std::uint64_t>();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  auto x = a.get<long double>(), y = b.get<long double>();
  return x < y ? -1 : x > y ? 1 : 0;
}

std::uint64_t magnitude(const Json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  auto i = v.get<std::int64_t>();
  return i < 0 ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
}

bool is_multiple(const Json& value, const Json& divisor) {
  if (value.is_number_integer() && divisor.is_number_integer()) {
    return magnitude(value) % magnitude(divisor) == 0;
  }
  long double x = value.get<long double>(), m = divisor.get<long double>();
  long double q = x / m;
  if (!std::isfinite(q)) return false;
  // Decimal fractions are inexact in binary (0.0075 / 0.0001 is 75.00000000000001): the
  // quotient of two doubles is off by at most ~2.2e-16 of itself, so it may miss an integer
  // by that much. Past 1e13 that margin nears 1/2 and says nothing; the exact binary
  // remainder decides there.
  if (std::fabs(q) < 1e13L) {
    return std::fabs(q - std::round(q)) <= 4e-15L * std::max(1.0L, std::fabs(q));
  }
  return std::fmod(x, m) == 0;
}

// Numbers are equal by value (1 == 1.0); objects regardless of key order.
bool json_equal(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return compare_numbers(a, b) == 0;
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!json_equal(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto& [key, value] : a.items()) {
      auto other = b.find(key);
      if (other == b.end() || !json_equal(value, *other)) return false;
    }
    return true;
  }
  return a == b;
}

std::uint64_t code_points(const std::string& s) {
  std::uint64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

unsigned type_of(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return kNull;
    case Json::value_t::boolean:
      return kBoolean;
    case Json::value_t::object:
      return kObject;
    case Json::value_t::array:
      return kArray;
    case Json::value_t::string:
      return kString;
    default:
      return is_integral(v) ? kNumber | kInteger : kNumber;
  }
}

std::string type_name(const Json& v) {
  if (v.is_number()) return is_integral(v) ? "integer" : "number";
  return v.type_name();
}

std::string type_names(unsigned types) {
  static const std::pair<unsigned, const char*> kNames[] = {
      {kArray, "array"},   {kBoolean, "boolean"}, {kInteger, "integer"}, {kNull, "null"},
      {kNumber, "number"}, {kObject, "object"},   {kString, "string"}};
  std::string out;
  for (auto [bit, name] : kNames) {
    if ((types & bit) == 0) continue;
    if (!out.empty()) out += " or ";
    out += name;
  }
  return out;
}

std::string quoted(const std::string& s) { return to_json_text(Json(s)); }

class Validator {
 public:
  explicit Validator(const Compiled& compiled) : c_(compiled) {}

  // Valid or not; with `out`, every violation is appended to it, without, the first failure
  // ends the evaluation.
  bool check(int index, const Json& inst, const std::string& ptr, Violations* out) {
    for (const auto& [node, value] : stack_) {
      if (node == index && value == &inst) return true;
    }
    if (stack_.size() >= kMaxDepth) {
      if (out != nullptr) out->push_back({ptr, "value is nested too deeply to be validated"});
      return false;
    }
    stack_.emplace_back(index, &inst);
    bool ok = check_node(c_.nodes[index], inst, ptr, out);
    stack_.pop_back();
    return ok;
  }

 private:
  bool check_node(const Node& n, const Json& inst, const std::string& ptr, Violations* out) {
    if (n.schema->is_boolean()) {
      if (n.schema->get<bool>()) return true;
      if (out != nullptr) out->push_back({ptr, "no value is allowed here"});
      return false;
    }
    if (n.ref >= 0) return check(n.ref, inst, ptr, out);
    Sink sink{ptr, out};
    if (n.types != 0 && (type_of(inst) & n.types) == 0) {
      sink.fail("expected " + type_names(n.types) + ", got " + type_name(inst));
      if (sink.stop()) return false;
    }
    if (n.enum_values != nullptr) {
      bool found = false;
      for (const auto& allowed : *n.enum_values) found = found || json_equal(inst, allowed);
      if (!found) sink.fail("value must be one of " + to_json_text(*n.enum_values));
    }
    if (n.const_value != nullptr && !json_equal(inst, *n.const_value)) {
      sink.fail("value must be " + to_json_text(*n.const_value));
    }
    if (sink.stop()) return false;
    if (inst.is_number()) check_number(n, inst, sink);
    if (inst.is_string()) check_string(n, inst, sink);
    if (inst.is_array()) check_array(n, inst, ptr, sink);
    if (inst.is_object()) check_object(n, inst, ptr, sink);
    if (sink.stop()) return false;
    check_combinators(n, inst, ptr, sink);
    return sink.ok;
  }

  // Where the violations of one node go.
  struct Sink {
    const std::string& ptr;
    Violations* out;
    bool ok = true;
    void fail(std::string message) {
      ok = false;
      if (out != nullptr) out->push_back({ptr, std::move(message)});
    }
    // A failed quiet evaluation need not go on.
    bool stop() const { return !ok && out == nullptr; }
  };

  void check_number(const Node& n, const Json& inst, Sink& sink) {
    if (n.multiple_of != nullptr && !is_multiple(inst, *n.multiple_of)) {
      sink.fail("must be a multiple of " + to_json_text(*n.multiple_of));
    }
    auto bound = [&](const Json* limit, int reject, bool or_equal, const char* op) {
      if (limit == nullptr) return;
      int cmp = compare_numbers(inst, *limit);
      if (cmp == reject || (or_equal && cmp == 0)) {
        sink.fail(std::string("must be ") + op + " " + to_json_text(*limit));
      }
    };
    bound(n.maximum, 1, false, "<=");
    bound(n.exclusive_maximum, 1, true, "<");
    bound(n.minimum, -1, false, ">=");
    bound(n.exclusive_minimum, -1, true, ">");
  }

  void check_string(const Node& n, const Json& inst, Sink& sink) {
    const auto& s = inst.get_ref<const std::string&>();
    if (n.max_length || n.min_length) {
      auto length = code_points(s);
      if (n.max_length && length > *n.max_length) {
        sink.fail("length must be <= " + std::to_string(*n.max_length) + ", got " +
                  std::to_string(length));
      }
      if (n.min_length && length < *n.min_length) {
        sink.fail("length must be >= " + std::to_string(*n.min_length) + ", got " +
                  std::to_string(length));
      }
    }
    if (n.pattern && !RE2::PartialMatch(s, *n.pattern)) {
      sink.fail("does not match pattern " + quoted(n.pattern_text));
    }
  }

  void check_array(const Node& n, const Json& inst, const std::string& ptr, Sink& sink) {
    if (n.max_items && inst.size() > *n.max_items) {
      sink.fail("must have at most " + std::to_string(*n.max_items) + " items, got " +
                std::to_string(inst.size()));
    }
    if (n.min_items && inst.size() < *n.min_items) {
      sink.fail("must have at least " + std::to_string(*n.min_items) + " items, got " +
                std::to_string(inst.size()));
    }
    if (n.unique_items) {
      for (std::size_t i = 0; i < inst.size() && !sink.stop(); ++i) {
        for (std::size_t j = i + 1; j < inst.size(); ++j) {
          if (!json_equal(inst[i], inst[j])) continue;
          sink.fail("items " + std::to_string(i) + " and " + std::to_string(j) +
                    " are equal, items must be unique");
          break;
        }
      }
    }
    for (std::size_t i = 0; i < inst.size() && !sink.stop(); ++i) {
      int schema = n.items;
      if (n.has_tuple_items)
        schema = i < n.tuple_items.size() ? n.tuple_items[i] : n.additional_items;
      if (schema < 0) continue;
      std::string at = append_pointer(ptr, std::to_string(i));
      if (n.has_tuple_items && i >= n.tuple_items.size() && is_false(schema)) {
        sink.fail("has " + std::to_string(inst.size()) + " items, at most " +
                  std::to_string(n.tuple_items.size()) + " are allowed");
        break;
      }
      if (!check(schema, inst[i], at, sink.out)) sink.ok = false;
    }
    if (n.contains >= 0 && !sink.stop()) {
      bool found = false;
      for (std::size_t i = 0; i < inst.size() && !found; ++i) {
        found = check(n.contains, inst[i], append_pointer(ptr, std::to_string(i)), nullptr);
      }
      if (!found) sink.fail("no item matches the \"contains\" schema");
    }
  }

  void check_object(const Node& n, const Json& inst, const std::string& ptr, Sink& sink) {
    if (n.max_properties && inst.size() > *n.max_properties) {
      sink.fail("must have at most " + std::to_string(*n.max_properties) + " properties, got " +
                std::to_string(inst.size()));
    }
    if (n.min_properties && inst.size() < *n.min_properties) {
      sink.fail("must have at least " + std::to_string(*n.min_properties) + " properties, got " +
                std::to_string(inst.size()));
    }
    for (const auto& name : n.required) {
      if (!inst.contains(name)) sink.fail("missing required property " + quoted(name));
    }
    for (const auto& [name, needed] : n.dependent_required) {
      if (!inst.contains(name)) continue;
      for (const auto& other : needed) {
        if (!inst.contains(other)) {
          sink.fail("property " + quoted(name) + " requires property " + quoted(other));
        }
      }
    }
    for (const auto& [name, schema] : n.dependent_schemas) {
      if (inst.contains(name) && !sink.stop() && !check(schema, inst, ptr, sink.out)) {
        sink.ok = false;
      }
    }
    for (auto& [key, value] : inst.items()) {
      if (sink.stop()) return;
      check_property(n, key, value, ptr, sink);
    }
  }

  void check_property(const Node& n, const std::string& key, const Json& value,
                      const std::string& ptr, Sink& sink) {
    std::string at = append_pointer(ptr, key);
    bool matched = false;
    for (const auto& [name, schema] : n.properties) {
      if (name != key) continue;
      matched = true;
      if (!check(schema, value, at, sink.out)) sink.ok = false;
    }
    for (const auto& [re, schema] : n.pattern_properties) {
      if (!RE2::PartialMatch(key, *re)) continue;
      matched = true;
      if (!check(schema, value, at, sink.out)) sink.ok = false;
    }
    if (!matched && n.additional_properties >= 0) {
      if (is_false(n.additional_properties)) {
        sink.fail("property " + quoted(key) + " is not allowed");
      } else if (!check(n.additional_properties, value, at, sink.out)) {
        sink.ok = false;
      }
    }
    if (n.property_names >= 0) {
      Json name(key);
      Violations names;
      if (!check(n.property_names, name, ptr, sink.out != nullptr ? &names : nullptr)) {
        if (names.empty()) sink.fail("property name " + quoted(key) + " is not allowed");
        for (auto& v : names) sink.fail("property name " + quoted(key) + ": " + v.message);
      }
    }
  }

  void check_combinators(const Node& n, const Json& inst, const std::string& ptr, Sink& sink) {
    for (int schema : n.all_of) {
      if (sink.stop()) return;
      if (!check(schema, inst, ptr, sink.out)) sink.ok = false;
    }
    if (!n.any_of.empty()) {
      bool any = false;
      for (std::size_t i = 0; i < n.any_of.size() && !any; ++i) {
        any = check(n.any_of[i], inst, ptr, nullptr);
      }
      if (!any) sink.fail("does not match any schema of \"anyOf\"");
    }
    if (!n.one_of.empty()) {
      std::vector<std::size_t> matches;
      for (std::size_t i = 0; i < n.one_of.size() && matches.size() < 2; ++i) {
        if (check(n.one_of[i], inst, ptr, nullptr)) matches.push_back(i);
      }
      if (matches.empty()) sink.fail("does not match any schema of \"oneOf\"");
      if (matches.size() > 1) {
        sink.fail("matches schemas " + std::to_string(matches[0]) + " and " +
                  std::to_string(matches[1]) + " of \"oneOf\", exactly one must match");
      }
    }
    if (n.not_schema >= 0 && check(n.not_schema, inst, ptr, nullptr)) {
      sink.fail("must not match the \"not\" schema");
    }
    if (n.if_schema >= 0) {
      int branch = check(n.if_schema, inst, ptr, nullptr) ? n.then_schema : n.else_schema;
      if (branch >= 0 && !sink.stop() && !check(branch, inst, ptr, sink.out)) sink.ok = false;
    }
  }

  bool is_false(int index) const {
    const Json& s = *c_.nodes[index].schema;
    return s.is_boolean() && !s.get<bool>();
  }

  const Compiled& c_;
  std::vector<std::pair<int, const Json*>> stack_;  // nodes being evaluated, and on what
};

}  // namespace

std::vector<std::string> validate_instance(const Compiled& compiled, const Json& instance) {
  Violations violations;
  Validator(compiled).check(0, instance, "", &violations);
  std::vector<std::string> out;
  out.reserve(violations.size());
  for (auto& v : violations) out.push_back(v.pointer + ": " + v.message);
  return out;
}

}  // namespace utask::model::json_schema_detail

#include "model/input_rules.h"

#include <re2/re2.h>

#include <algorithm>
#include <memory>

namespace utask::model {
namespace {

constexpr std::size_t kMaxValueText = 100000;  // MaxTextSizeLong of the original

std::unique_ptr<RE2> compile_regex(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) return nullptr;
  return re;
}

// The type check of one value (null always passes, as in the original). An unknown type name
// accepts anything: the definition check reports it.
Result<void> check_value_type(const Input& input, const Json& value) {
  if (value.is_null()) return {};
  InputType type;
  if (!parse_input_type(input.type_name, type)) return {};
  const char* expected = nullptr;
  switch (type) {
    case InputType::string:
    case InputType::password:
      if (!value.is_string()) expected = "a string";
      break;
    case InputType::boolean:
      if (!value.is_boolean()) expected = "a boolean";
      break;
    case InputType::number:
      if (!value.is_number()) expected = "a number";
      break;
  }
  if (expected == nullptr) return {};
  return Error::invalid_input("Invalid value '" + input.name + "': expected " + expected, input.name);
}

// Equality of a given value with a legal value: same JSON type, except that numbers compare
// by value whatever their representation (DECISIONS.md).
bool legal_value_equal(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_number_float() || b.is_number_float()) return a.get<double>() == b.get<double>();
    return a == b;
  }
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!legal_value_equal(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !legal_value_equal(it.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

Result<void> check_single_value(const Input& input, const Json& value) {
  if (auto r = check_value_type(input, value); !r) return r;
  std::string text = format_go_value(value);
  if (text.size() > kMaxValueText) {
    return Error::invalid_input("Invalid input '" + input.name + "': value can't be longer than " +
                                    std::to_string(kMaxValueText),
                                input.name);
  }
  if (!input.legal_values.empty()) {
    bool legal = std::any_of(input.legal_values.begin(), input.legal_values.end(),
                             [&](const Json& lv) { return legal_value_equal(lv, value); });
    if (!legal) {
      Json list = Json::array();
      for (const auto& lv : input.legal_values) list.push_back(lv);
      return Error::invalid_input("Invalid input '" + input.name + "': '" + text +
                                      "' is not a legal value (" + format_go_value(list) + ")",
                                  input.name);
    }
  } else if (input.regex) {
    auto re = compile_regex(*input.regex);
    if (!re) return Error::invalid_input("Invalid regex for input '" + input.name + "'", input.name);
    if (!RE2::PartialMatch(text, *re)) {
      return Error::invalid_input("Invalid input '" + input.name + "': '" + text +
                                      "' doesnt comply with regex '" + *input.regex + "'",
                                  input.name);
    }
  } else if (text.find('"') != std::string::npos) {
    return Error::invalid_input("Invalid input '" + input.name + "': cannot contain double quotes",
                                input.name);
  }
  return {};
}

bool is_empty_value(const Json& v) { return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()); }

void add_unique(std::vector<std::string>& out, std::string msg) {
  if (std::find(out.begin(), out.end(), msg) == out.end()) out.push_back(std::move(msg));
}

}  // namespace

bool parse_input_type(std::string_view name, InputType& type) {
  if (name.empty() || name == "string") type = InputType::string;
  else if (name == "password") type = InputType::password;
  else if (name == "bool") type = InputType::boolean;
  else if (name == "number") type = InputType::number;
  else return false;
  return true;
}

std::vector<std::string> check_input_definition(const Input& input) {
  std::vector<std::string> problems;
  if (input.regex) {
    if (!input.legal_values.empty()) {
      add_unique(problems, "Invalid input '" + input.name + "': both regex and legal value list configured");
    }
    if (!compile_regex(*input.regex)) add_unique(problems, "Invalid regex for input '" + input.name + "'");
  }
  InputType type;
  if (!parse_input_type(input.type_name, type)) {
    std::string names;
    for (auto n : kInputTypeNames) names += (names.empty() ? "" : " ") + std::string(n);
    add_unique(problems, "Invalid input type '" + input.type_name + "': must be either [" + names + "]");
  }
  for (const auto& lv : input.legal_values) {
    if (auto r = check_value_type(input, lv); !r) add_unique(problems, r.error().message);
  }
  if (input.default_value && !input.default_value->is_null()) {
    const Json& def = *input.default_value;
    if (auto r = check_value_type(input, def); !r) add_unique(problems, r.error().message);
    if (auto r = check_input_value(input, def); !r) add_unique(problems, r.error().message);
  }
  return problems;
}

Result<void> check_input_value(const Input& input, const Json& value) {
  if (value.is_null()) return {};
  if (!input.collection) return check_single_value(input, value);
  if (!value.is_array()) {
    return Error::invalid_input("Input '" + input.name + "' is expected to be an array", input.name);
  }
  for (const auto& item : value) {
    if (auto r = check_single_value(input, item); !r) return r;
  }
  return {};
}

InputCheck validate_input_values(const std::vector<Input>& declared, const Json& given,
                                 bool keep_undeclared) {
  InputCheck check;
  check.values = Json::object();
  if (!given.is_null() && !given.is_object()) {
    check.errors.push_back(Error::invalid_input("Invalid inputs: expected an object"));
    return check;
  }
  if (keep_undeclared && given.is_object()) check.values = given;
  for (const auto& input : declared) {
    const Json* value = nullptr;
    if (given.is_object()) {
      auto it = given.find(input.name);
      if (it != given.end()) value = &*it;
    }
    if (value == nullptr || is_empty_value(*value)) {
      if (input.default_value && !input.default_value->is_null()) {
        check.values[input.name] = *input.default_value;
        continue;
      }
      if (value != nullptr) check.values[input.name] = *value;
      if (!input.optional) {
        check.errors.push_back(Error::invalid_input("Missing input '" + input.name + "'", input.name));
      }
      continue;
    }
    check.values[input.name] = *value;
    if (auto r = check_input_value(input, *value); !r) check.errors.push_back(r.error());
  }
  return check;
}

std::string format_go_value(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "<nil>";
    case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case Json::value_t::string: return value.get<std::string>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return json_number_text(value);
    case Json::value_t::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (i > 0) out += ' ';
        out += format_go_value(value[i]);
      }
      return out + "]";
    }
    case Json::value_t::object: {
      std::string out = "map[";
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ' ';
        first = false;
        out += it.key() + ":" + format_go_value(it.value());
      }
      return out + "]";
    }
    default: return value.dump();
  }
}

}  // namespace utask::model

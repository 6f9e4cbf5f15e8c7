#include "engine/conditions.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "engine/cycle.h"
#include "engine/function_chain.h"
#include "model/state.h"

namespace utask::engine {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void erase_no_value(std::string& s) {
  static constexpr std::string_view kNoValue = "<no value>";
  for (size_t pos; (pos = s.find(kNoValue)) != std::string::npos;) s.erase(pos, kNoValue.size());
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::optional<int64_t> as_int(const std::string& s) {
  int64_t v = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end || s.empty()) return std::nullopt;
  return v;
}

std::optional<double> as_double(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

// -1, 0, 1; nullopt when one side is not a number.
std::optional<int> compare_numbers(const std::string& a, const std::string& b) {
  if (auto x = as_int(a), y = as_int(b); x && y) return *x < *y ? -1 : (*x > *y ? 1 : 0);
  auto x = as_double(a), y = as_double(b);
  if (!x || !y) return std::nullopt;
  return *x < *y ? -1 : (*x > *y ? 1 : 0);
}

std::vector<std::string> split_list(const std::string& value, const std::string& sep) {
  std::vector<std::string> out;
  if (sep.empty()) {
    out.push_back(trim(value));
    return out;
  }
  size_t start = 0;
  for (size_t pos; (pos = value.find(sep, start)) != std::string::npos; start = pos + sep.size()) {
    out.push_back(trim(std::string_view(value).substr(start, pos - start)));
  }
  out.push_back(trim(std::string_view(value).substr(start)));
  return out;
}

}  // namespace

AssertResult evaluate_assert(const model::Assert& assert, DataTree& tree, const Json* item,
                             std::string_view step_name) {
  AssertResult r;
  auto value = tree.render(assert.value, item, step_name);
  if (!value) {
    r.error = value.error().message;
    return r;
  }
  auto expected = tree.render(assert.expected, item, step_name);
  if (!expected) {
    r.error = expected.error().message;
    return r;
  }
  std::string v = std::move(*value), e = std::move(*expected);
  erase_no_value(v);
  erase_no_value(e);
  const std::string op = upper(assert.op);
  if (op == "EQ") {
    r.holds = v == e;
  } else if (op == "NE") {
    r.holds = v != e;
  } else if (op == "GT" || op == "LT" || op == "GE" || op == "LE") {
    auto cmp = compare_numbers(v, e);
    if (!cmp) {
      r.error = "cannot compare \"" + v + "\" and \"" + e + "\" as numbers";
      return r;
    }
    r.holds = op == "GT" ? *cmp > 0 : op == "LT" ? *cmp < 0 : op == "GE" ? *cmp >= 0 : *cmp <= 0;
  } else if (op == "REGEXP" || op == "NOTREGEXP") {
    RE2 re(e, RE2::Quiet);
    if (!re.ok()) {
      r.error = "invalid regular expression '" + e + "': " + re.error();
      r.fatal = true;
      return r;
    }
    const bool found = RE2::PartialMatch(v, re);
    r.holds = op == "REGEXP" ? found : !found;
  } else if (op == "IN" || op == "NOTIN") {
    const auto pieces = split_list(v, assert.list_separator.empty() ? "," : assert.list_separator);
    const bool found = std::find(pieces.begin(), pieces.end(), e) != pieces.end();
    r.holds = op == "IN" ? found : !found;
  } else {
    r.error = "Unknown condition operator: " + assert.op;
  }
  return r;
}

ConditionRun run_conditions(Cycle& cycle, const std::string& step_name, ConditionScope scope) {
  ConditionRun run;
  StepState* step = cycle.find(step_name);
  if (!step) return run;
  size_t own_first = 0;
  const std::vector<model::Condition> conditions =
      effective_conditions(step->definition, cycle.registry, &own_first);
  const std::string_view wanted = scope == ConditionScope::check ? "check" : "skip";
  const Json item = step->is_child ? step->item : Json();

  for (size_t i = 0; i < conditions.size(); ++i) {
    const model::Condition& c = conditions[i];
    if (c.type != wanted) continue;
    if (scope == ConditionScope::skip_parent && c.foreach != "parent") continue;
    if (scope == ConditionScope::skip && c.foreach == "parent") continue;

    bool holds = true;
    for (const auto& a : c.if_) {
      AssertResult r = evaluate_assert(a, *cycle.live, &item, step_name);
      if (r.error) {
        const std::string_view state = r.fatal ? model::state::kFatalError
                                       : scope == ConditionScope::check
                                           ? model::state::kAfterrunError
                                           : model::state::kServerError;
        cycle.set_state(step_name, std::string(state), *r.error);
        run.failed = true;
        run.modified.insert(step_name);
        return run;
      }
      if (!r.holds) {
        holds = false;
        break;
      }
    }
    if (!holds) continue;
    run.held = true;

    std::string message = c.message;
    if (!message.empty()) {
      auto rendered = cycle.live->render(c.message, &item, step_name);
      message = rendered ? *rendered : c.message + " (TEMPLATING ERROR: " + rendered.error().message + ")";
    }
    step = cycle.find(step_name);
    if (step && i >= own_first && i - own_first < step->definition.conditions.size()) {
      step->definition.conditions[i - own_first].message = message;  // persisted rendered
    }
    for (const auto& [target, state] : c.then) {
      const std::string name = target == "this" ? step_name : target;
      if (!cycle.find(name)) continue;
      cycle.set_state(name, state, message);
      run.modified.insert(name);
    }
    if (step) cycle.touch(step_name);
    if (c.final) break;
  }
  return run;
}

}  // namespace utask::engine

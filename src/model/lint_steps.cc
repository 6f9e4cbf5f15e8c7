// Per-step checks of engine.md §2.2 (the action chain is in lint_actions.cc, conditions in
// lint_conditions.cc).

#include <algorithm>

#include "model/go_duration.h"
#include "model/json.h"

#include "model/json_schema.h"
#include "model/lint_internal.h"
#include "model/state.h"

namespace utask::model::lint_detail {
namespace {

constexpr int64_t kMaxExecutionDelayNs = 20'000'000'000;

std::string join(const std::vector<std::string_view>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

void lint_foreach_strategy(Step& step, const std::string& subject, Sink& sink) {
  if (step.foreach.empty()) {
    if (!step.foreach_strategy.empty()) {
      sink.error(subject, "foreach-strategy-without-foreach",
                 "step foreach_strategy can't be set without foreach");
    }
    return;
  }
  if (step.foreach_strategy.empty()) {
    step.foreach_strategy = "parallel";
  } else if (step.foreach_strategy != "parallel" && step.foreach_strategy != "sequence") {
    sink.error(subject, "foreach-strategy",
               "step foreach_strategy \"" + step.foreach_strategy + "\" is not a valid value");
  }
}

void lint_json_schema(Step& step, const std::string& subject, Sink& sink) {
  if (!step.json_schema || step.json_schema->is_null()) return;
  Json normalized = normalize_json_schema(*step.json_schema);
  auto compiled = JsonSchema::compile(normalized);
  if (!compiled) {
    sink.error(subject, "json-schema",
               "Jsonschema: step " + step.name + ": " + compiled.error().message);
  }
  step.json_schema = std::move(normalized);
}

// §2.2 item 10.
void lint_dependencies(const TaskTemplate& tmpl, const Step& step, const std::string& subject,
                       Sink& sink) {
  std::set<std::string> seen;
  for (const auto& text : step.dependencies) {
    const DependencyRef dep = parse_dependency(text);
    auto target = tmpl.steps.find(dep.step);
    if (target == tmpl.steps.end()) {
      sink.error(subject, "dependency-unknown",
                 "Invalid dependency, no step with that name: \"" + dep.step + "\"");
      continue;
    }
    if (!seen.insert(dep.step).second) {
      sink.error(subject, "dependency-repeated",
                 "Invalid dependency, already defined dependency to: \"" + dep.step + "\"");
      continue;
    }
    std::set<std::string> states(dep.states.begin(), dep.states.end());
    if (states.size() != dep.states.size()) {
      sink.error(subject, "dependency-state-repeated",
                 "Invalid dependency, duplicated state detected");
      continue;
    }
    const auto& own_states = target->second.custom_states;
    for (const auto& s : dep.states) {
      if (s == state::kDone) continue;
      if (s == state::kAny) {
        if (dep.states.size() != 1) {
          sink.error(subject, "dependency-any-not-alone",
                     "Invalid dependency, no other state allowed if ANY is declared");
        }
        continue;
      }
      if (std::find(own_states.begin(), own_states.end(), s) == own_states.end()) {
        sink.error(subject, "dependency-state",
                   "Invalid dependency on step " + dep.step + ", step state not allowed: \"" + s +
                       "\"");
      }
    }
  }
}

// §2.2 item 11.
void lint_circularity(const TaskTemplate& tmpl, const Step& step, const std::string& subject,
                      Sink& sink) {
  const auto closure = dependency_closure(tmpl, step.dependencies);
  if (!closure.count(step.name)) return;
  std::vector<std::string_view> names(closure.begin(), closure.end());
  sink.error(subject, "dependency-cycle",
             "Invalid: circular dependency [" + join(names, " ") + "] <-> " + step.name);
}

}  // namespace

DependencyRef parse_dependency(std::string_view text) {
  DependencyRef dep;
  const auto colon = text.find(':');
  dep.step = std::string(text.substr(0, colon));
  if (colon == std::string_view::npos) {
    dep.states.emplace_back(state::kDone);
    return dep;
  }
  std::string_view rest = text.substr(colon + 1);
  while (true) {
    const auto comma = rest.find(',');
    dep.states.emplace_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return dep;
}

std::set<std::string> dependency_closure(const TaskTemplate& tmpl,
                                         const std::vector<std::string>& dependencies) {
  std::set<std::string> closure;
  std::vector<std::string> pending;
  for (const auto& d : dependencies) pending.push_back(parse_dependency(d).step);
  while (!pending.empty()) {
    std::string name = std::move(pending.back());
    pending.pop_back();
    if (!closure.insert(name).second) continue;
    auto it = tmpl.steps.find(name);
    if (it == tmpl.steps.end()) continue;
    for (const auto& d : it->second.dependencies) pending.push_back(parse_dependency(d).step);
  }
  return closure;
}

void check_custom_state(const std::string& s, const std::string& subject, Sink& sink) {
  if (!state::is_reserved_step_state(s)) return;
  std::vector<std::string_view> reserved(std::begin(state::kReservedStepStates),
                                         std::end(state::kReservedStepStates));
  sink.error(subject, "custom-state-reserved",
             "Custom state \"" + s + "\" is not allowed as it's a reserved state. Reserved state "
             "are: \"" + join(reserved, "\", \"") + "\"");
}

void lint_step(TaskTemplate& tmpl, Step& step, const ActionCatalog& catalog, Sink& sink) {
  const std::string subject = step_subject(step.name);
  if (step.name == "this") {
    sink.error(subject, "step-name-reserved", "'this' step name is reserved");
  }
  lint_step_actions(tmpl, step, catalog, sink);
  lint_foreach_strategy(step, subject, sink);
  if (step.execution_delay_ns < 0 || step.execution_delay_ns > kMaxExecutionDelayNs) {
    sink.error(subject, "execution-delay",
               "execution_delay: expected " + format_go_duration(std::chrono::nanoseconds(step.execution_delay_ns)) +
                   " to be a duration between 0s and 20s");
  }
  const auto& p = step.retry_pattern;
  if (!p.empty() && p != "seconds" && p != "minutes" && p != "hours") {
    sink.error(subject, "retry-pattern",
               "Invalid retry pattern: " + p + " Expecting(seconds|minutes|hours)");
  }
  for (const auto& s : step.custom_states) check_custom_state(s, subject, sink);
  lint_step_conditions(tmpl, step, catalog, sink);
  lint_json_schema(step, subject, sink);
  lint_dependencies(tmpl, step, subject, sink);
  lint_circularity(tmpl, step, subject, sink);
  for (const auto& field : step.forbidden_fields) {
    sink.error(subject, "runtime-field", "step " + field + " must not be set");
  }
  for (const auto& key : step.unknown_fields) {
    sink.warning(subject, "unknown-field", "unknown field \"" + key + "\" ignored");
  }
}

}  // namespace utask::model::lint_detail

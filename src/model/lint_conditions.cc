// Condition checks (engine.md §2.3) and DECISIONS.md's addition: a skip condition that holds
// skips the step, so it must give the step a state (`this`), else the original leaves the step
// RUNNING and the resolution crashes.

#include <algorithm>
#include <cctype>

#include <re2/re2.h>

#include "model/lint_internal.h"
#include "model/state.h"

namespace utask::model::lint_detail {
namespace {

constexpr std::string_view kOperators[] = {"EQ", "NE",    "GT",     "LT",       "GE",
                                           "LE", "IN",    "NOTIN",  "REGEXP",   "NOTREGEXP"};

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// §2.3 items 1 and 2. Operators match case-insensitively, as the original's validation does;
// the evaluator matches them the same way (DECISIONS.md: lower-case `gt` is compared, not
// always true).
void check_type_and_asserts(const Condition& c, const std::string& subject, Sink& sink) {
  if (c.type != "skip" && c.type != "check") {
    sink.error(subject, "condition-type", "Unknown condition type: " + c.type);
  }
  if (!c.foreach.empty() && c.foreach != "children" && c.foreach != "parent") {
    sink.error(subject, "condition-foreach", "Unknown condition foreach: " + c.foreach);
  }
  for (const auto& a : c.if_) {
    const std::string op = upper(a.op);
    if (std::find(std::begin(kOperators), std::end(kOperators), op) == std::end(kOperators)) {
      sink.error(subject, "condition-operator", "Unknown condition operator: " + a.op);
      continue;
    }
    // A templated pattern is known only after rendering: checked at evaluation time.
    if ((op == "REGEXP" || op == "NOTREGEXP") && a.expected.find("{{") == std::string::npos) {
      RE2::Options options;
      options.set_log_errors(false);
      RE2 re(a.expected, options);
      if (!re.ok()) {
        sink.error(subject, "condition-regexp", "error parsing regexp: " + re.error());
      }
    }
  }
}

// `children_conditions`: the condition is evaluated on the step that runs (a regular step or a
// foreach child), so holding without a state for `this` would leave that step RUNNING.
void check_skip_sets_this(const Condition& c, bool runs_on_the_step, const std::string& subject,
                          Sink& sink) {
  if (c.type != "skip" || !runs_on_the_step || c.then.count("this")) return;
  sink.error(subject, "skip-condition-without-this",
             "Skip condition must set a state for 'this': a skip condition that holds skips the "
             "step, which would otherwise never end");
}

// §2.3 item 3: one `then` entry.
void check_then_entry(const TaskTemplate& tmpl, const Step& step, bool is_foreach,
                      const std::set<std::string>& ancestors, const std::string& key,
                      const std::string& target_state, const ActionCatalog& catalog,
                      const std::string& subject, Sink& sink) {
  if (key == step.name && !is_foreach) {
    sink.error(subject, "condition-self-reference",
               "Step condition should not reference itself, use 'this'");
    return;
  }
  const std::string& name = key == "this" ? step.name : key;
  auto target = tmpl.steps.find(name);
  if (target == tmpl.steps.end()) {
    sink.error(subject, "condition-unknown-step",
               "Step condition points to non-existing step: " + key);
    return;
  }
  if (name != step.name && !ancestors.count(name) &&
      !dependency_closure(tmpl, target->second.dependencies).count(step.name)) {
    sink.error(subject, "condition-impact",
               "Step condition cannot impact the state of step " + key +
                   ", only those who belong to the dependency chain are allowed");
    return;
  }
  const bool builtin =
      std::find(std::begin(state::kConditionAssignableStates),
                std::end(state::kConditionAssignableStates),
                target_state) != std::end(state::kConditionAssignableStates);
  if (!builtin && !contains(effective_custom_states(target->second, catalog), target_state)) {
    sink.error(subject, "condition-state",
               "Step condition implies invalid state for step " + key + ": " + target_state);
  }
}

}  // namespace

std::vector<std::string> effective_custom_states(const Step& step, const ActionCatalog& catalog) {
  std::vector<std::string> states = step.custom_states;
  std::set<std::string, std::less<>> visited;
  std::string_view type = step.action.type;
  while (const Function* f = catalog.find_function(type)) {
    if (!visited.insert(f->name).second) break;
    for (const auto& s : f->custom_states) {
      if (!contains(states, s)) states.push_back(s);
    }
    type = f->action.type;
  }
  return states;
}

void lint_step_conditions(const TaskTemplate& tmpl, Step& step, const ActionCatalog& catalog,
                          Sink& sink) {
  const bool is_foreach = !step.foreach.empty();
  const std::string subject = step_subject(step.name);
  if (is_foreach) {
    for (auto& c : step.conditions) {
      if (c.type == "skip" && c.foreach.empty()) c.foreach = "children";
    }
  }
  const std::set<std::string> ancestors = dependency_closure(tmpl, step.dependencies);
  for (const auto& c : step.conditions) {
    check_type_and_asserts(c, subject, sink);
    for (const auto& [key, target_state] : c.then) {
      check_then_entry(tmpl, step, is_foreach, ancestors, key, target_state, catalog, subject,
                       sink);
    }
    if (!c.foreach.empty() && (c.foreach == "children" || c.foreach == "parent")) {
      if (!is_foreach) {
        sink.error(subject, "condition-foreach-step",
                   "Step condition cannot set foreach on a non-foreach step");
      } else if (c.type != "skip") {
        sink.error(subject, "condition-foreach-type",
                   "Step condition can set foreach on a skip condition");
      }
    }
    check_skip_sets_this(c, !is_foreach || c.foreach == "children", subject, sink);
  }
}

void lint_condition_shape(const Condition& c, const std::string& subject, Sink& sink) {
  check_type_and_asserts(c, subject, sink);
  check_skip_sets_this(c, c.foreach != "parent", subject, sink);
}

}  // namespace utask::model::lint_detail

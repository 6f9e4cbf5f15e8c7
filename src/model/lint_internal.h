#pragma once
// What the lint translation units share; nothing outside src/model/lint*.cc includes this.
// Each lint_<part>.cc checks one part of engine.md §2 and reports into a Sink, so lint_template
// can run every check and return all diagnostics.

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/action_catalog.h"
#include "model/lint.h"
#include "model/task_template.h"

namespace utask::model::lint_detail {

// Rule ids (Diagnostic::rule). Those of text-template handles start with "handle-": to_error
// wraps them as the original does ("Invalid text-template handles within task template: ...").
namespace rule {
inline constexpr const char* kHandlePrefix = "handle-";
}

// Collects the diagnostics of one linted file.
class Sink {
 public:
  Sink(std::string_view file, std::vector<Diagnostic>& out) : file_(file), out_(out) {}
  void error(std::string subject, std::string rule, std::string message) {
    out_.push_back({file_, std::move(subject), std::move(rule), std::move(message), false});
  }
  void warning(std::string subject, std::string rule, std::string message) {
    out_.push_back({file_, std::move(subject), std::move(rule), std::move(message), true});
  }

 private:
  std::string file_;
  std::vector<Diagnostic>& out_;
};

inline std::string step_subject(std::string_view name) { return "step " + std::string(name); }

// "name" ≡ "name:DONE"; "name:S1,S2" (engine.md §4.4). Splits at the first ':'.
struct DependencyRef {
  std::string step;
  std::vector<std::string> states;
};
DependencyRef parse_dependency(std::string_view text);

// Names of every step reachable through `dependencies` (qualifiers ignored), cycle safe.
// Names of missing steps are included (they are what the step depends on) but not followed.
std::set<std::string> dependency_closure(const TaskTemplate& tmpl,
                                         const std::vector<std::string>& dependencies);

// A step's custom states plus those of every function down its action chain (cycle safe).
std::vector<std::string> effective_custom_states(const Step& step, const ActionCatalog& catalog);

// §2.2 item 2 and 3: the action chain and the effective pre_hook of a step.
void lint_step_actions(const TaskTemplate& tmpl, const Step& step, const ActionCatalog& catalog,
                       Sink& sink);
// The same checks for a function's own action and pre_hook (no step base configuration).
void lint_function_actions(const Function& function, const ActionCatalog& catalog, Sink& sink);

// §2.1 item 4: each input and resolver input (model/input_rules.h's definition checks).
void lint_inputs(const TaskTemplate& tmpl, Sink& sink);

// §2.2 item 7: `Custom state "<s>" is not allowed as it's a reserved state. ...`.
void check_custom_state(const std::string& state, const std::string& subject, Sink& sink);

// §2.2 (everything but the actions), including the conditions (§2.3) and the json_schema
// (§2.4); normalizes the step.
void lint_step(TaskTemplate& tmpl, Step& step, const ActionCatalog& catalog, Sink& sink);

// §2.3 for every condition of `step`, after the foreach default is applied.
void lint_step_conditions(const TaskTemplate& tmpl, Step& step, const ActionCatalog& catalog,
                          Sink& sink);
// The checks of §2.3 that need no step context (type, foreach value, operators, regexps, a
// skip condition setting `this`), for functions' conditions.
void lint_condition_shape(const Condition& condition, const std::string& subject, Sink& sink);

// §2.5 over the whole template.
void lint_text_templates(const TaskTemplate& tmpl, const ActionCatalog& catalog, Sink& sink);

}  // namespace utask::model::lint_detail

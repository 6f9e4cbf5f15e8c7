#pragma once
// Template and function validation (engine.md §2, plus DECISIONS.md's additions).
//
// Contract: lint reports *every* problem it finds, not only the first, each as a Diagnostic
// whose `message` keeps the original's text (callers and tests look for those texts). It also
// normalizes the template in place, as the original's validation does: a foreach step's
// `foreach_strategy` defaults to "parallel", its skip conditions without `foreach` get
// "children", and each `json_schema` gets its "$schema" (§2.4). A template with no error
// diagnostic (warnings allowed) is valid and may be stored.
//
// What lint needs to know about action types comes from an ActionCatalog (model/
// action_catalog.h): the real one lives in src/actions, tests may use their own.

#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace utask::model {

struct TaskTemplate;
struct Function;
class ActionCatalog;

struct Diagnostic {
  std::string file;     // the file linted, or what the caller named (API: the template name)
  std::string subject;  // "template", "step stepOne", "input foo", "variable v", "function f"
  std::string rule;     // short stable id, e.g. "dependency-unknown"; tests/model/lint/*.yaml
                        // has a case for each
  std::string message;  // the original's text: `Invalid dependency, no step with that name: "x"`
  bool warning = false;

  // "file: subject: message"; a warning starts with "warning: ".
  std::string to_string() const;
};

// Lints a template and normalizes it in place (see above). `file` is copied into every
// diagnostic.
std::vector<Diagnostic> lint_template(TaskTemplate& tmpl, const ActionCatalog& catalog,
                                      std::string_view file);

// Lints a function of the functions directory. REQUIRES: every function is already in
// `catalog`, since a function may name another one as its action type.
std::vector<Diagnostic> lint_function(const Function& function, const ActionCatalog& catalog,
                                      std::string_view file);

bool has_errors(const std::vector<Diagnostic>& diagnostics);

// The errors (warnings left out) as one invalid_template Error in the original's nested form,
// joined by "; ": "Invalid task template: Invalid step stepOne: <detail>", or for text-template
// handles "Invalid task template: Invalid text-template handles within task template: <detail>".
// Error::field names the first error's subject ("steps.stepOne", "inputs.foo", ...).
// REQUIRES: has_errors(diagnostics).
Error to_error(const std::vector<Diagnostic>& diagnostics);

}  // namespace utask::model

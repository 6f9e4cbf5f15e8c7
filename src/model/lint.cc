#include "model/go_duration.h"
#include "model/lint.h"

#include "model/json.h"

#include "model/lint_internal.h"
#include "model/template_loader.h"

namespace utask::model {
namespace {

using lint_detail::Sink;

constexpr size_t kMinText = 3;
constexpr size_t kMaxText = 1000;
constexpr size_t kMaxLongText = 100000;
constexpr std::string_view kParentTaskTag = "_utask_parent_task_id";

void check_length(Sink& sink, const char* field, const char* rule, const std::string& value,
                  size_t max) {
  if (value.size() < kMinText) {
    sink.error("template", rule,
               std::string(field) + " can't be shorter than " + std::to_string(kMinText) +
                   " characters");
  } else if (value.size() > max) {
    sink.error("template", rule,
               std::string(field) + " can't be longer than " + std::to_string(max) +
                   " characters");
  }
}

// §2.1 items 1–3.
void lint_header(const TaskTemplate& t, Sink& sink) {
  check_length(sink, "template name", "name-length", t.name, kMaxText);
  check_length(sink, "template description", "description-length", t.description, kMaxText);
  check_length(sink, "template title format", "title-format-length", t.title_format, kMaxText);
  if (t.doc_link) check_length(sink, "template doc link", "doc-link-length", *t.doc_link, kMaxText);
  if (t.tags.count(std::string(kParentTaskTag))) {
    sink.error("template", "tag-reserved",
               "tag name \"" + std::string(kParentTaskTag) + "\" not allowed");
  }
  if (t.long_description) {
    check_length(sink, "template long description", "long-description-length",
                 *t.long_description, kMaxLongText);
  }
  if (t.auto_runnable && !t.resolver_inputs.empty()) {
    sink.error("template", "auto-runnable-resolver-inputs",
               "A template can't be auto runnable if it has resolver inputs");
  }
  if (t.allow_all_resolver_usernames && !t.auto_runnable) {
    sink.error("template", "allow-all-not-auto-runnable",
               "A template that can be resolved by everybody have to be auto-runnable");
  }
}

bool has_value(const std::optional<Json>& v) { return v.has_value() && !v->is_null(); }

// §1.3.
void lint_variables(const TaskTemplate& t, Sink& sink) {
  for (const auto& v : t.variables) {
    const std::string subject = "variable " + v.name;
    const std::string quoted = "variable \"" + v.name + "\"";
    const bool expression = v.expression.has_value() && !v.expression->empty();
    if (v.name.empty()) {
      sink.error(subject, "variable-name", "variable name can't be empty");
      continue;
    }
    if (has_value(v.value) && expression) {
      sink.error(subject, "variable-value-and-expression",
                 quoted + " can't have both value and expression defined");
    } else if (!has_value(v.value) && !expression) {
      sink.error(subject, "variable-empty",
                 quoted + " expression and value can't be empty at the same time");
    }
    if (v.expression_timeout && !v.expression_timeout->empty()) {
      if (has_value(v.value)) {
        sink.error(subject, "variable-timeout-with-value",
                   quoted + " expression timeout cannot be defined when value is defined");
      }
      auto timeout = parse_go_duration(*v.expression_timeout);
      if (!timeout) sink.error(subject, "variable-timeout", quoted + " " + timeout.error().message);
    }
  }
}

// Subject "step x" → field "steps.x"; "input x" → "inputs.x"; etc.
std::string field_of(const std::string& subject) {
  static const std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {"step ", "steps."},
      {"input ", "inputs."},
      {"resolver input ", "resolver_inputs."},
      {"variable ", "variables."},
      {"function ", "functions."},
  };
  for (const auto& [prefix, field] : kPrefixes) {
    if (subject.rfind(prefix, 0) == 0) {
      return std::string(field) + subject.substr(prefix.size());
    }
  }
  return {};
}

}  // namespace

std::string Diagnostic::to_string() const {
  std::string text = warning ? "warning: " : "";
  if (!file.empty()) text += file + ": ";
  if (!subject.empty()) text += subject + ": ";
  return text + message;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (!d.warning) return true;
  }
  return false;
}

Error to_error(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  std::string field;
  for (const auto& d : diagnostics) {
    if (d.warning) continue;
    if (!text.empty()) text += "; ";
    text += "Invalid task template: ";
    if (d.rule.rfind(lint_detail::rule::kHandlePrefix, 0) == 0) {
      text += "Invalid text-template handles within task template: ";
    } else if (d.subject.rfind("step ", 0) == 0) {
      text += "Invalid step " + d.subject.substr(5) + ": ";
    }
    text += d.message;
    if (field.empty()) field = field_of(d.subject);
  }
  return Error::invalid_template(std::move(text), std::move(field));
}

std::vector<Diagnostic> lint_template(TaskTemplate& tmpl, const ActionCatalog& catalog,
                                      std::string_view file) {
  std::vector<Diagnostic> out;
  Sink sink(file, out);
  lint_header(tmpl, sink);
  lint_detail::lint_inputs(tmpl, sink);
  lint_variables(tmpl, sink);
  for (auto& [name, step] : tmpl.steps) {
    step.name = name;  // the map key wins over a `name` written in the step (engine.md §1.4)
    lint_detail::lint_step(tmpl, step, catalog, sink);
  }
  lint_detail::lint_text_templates(tmpl, catalog, sink);
  for (const auto& key : tmpl.unknown_fields) {
    sink.warning("template", "unknown-field", "unknown field \"" + key + "\" ignored");
  }
  if (!tmpl.source.is_null()) tmpl.source = template_source_json(tmpl);
  return out;
}

std::vector<Diagnostic> lint_function(const Function& function, const ActionCatalog& catalog,
                                      std::string_view file) {
  std::vector<Diagnostic> out;
  Sink sink(file, out);
  const std::string subject = "function " + function.name;
  if (function.name.empty()) sink.error(subject, "function-name", "function name can't be empty");
  lint_detail::lint_function_actions(function, catalog, sink);
  for (const auto& s : function.custom_states) {
    lint_detail::check_custom_state(s, subject, sink);
  }
  for (const auto& c : function.conditions) lint_detail::lint_condition_shape(c, subject, sink);
  for (const auto& key : function.unknown_fields) {
    sink.warning(subject, "unknown-field", "unknown field \"" + key + "\" ignored");
  }
  return out;
}

}  // namespace utask::model

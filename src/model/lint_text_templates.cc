// Text-template handles (engine.md §2.5): every `{{ ... .kind.key.more }}` found in the
// template's strings is checked against what exists: declared inputs, step names, task keys,
// and the json_schema of a step (or the metadata schema of its plugin) for deeper paths.
//
// As in the original, only the first dotted path of each `{{…}}` block is checked, with the
// same pattern, over each string of the template in its JSON-escaped form (the original
// scanned the template's indented JSON line by line: one string per line). Keys of maps are
// strings of the template too.

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "model/json.h"
#include <re2/re2.h>

#include "model/lint_internal.h"
#include "model/lint_schema_paths.h"

namespace utask::model::lint_detail {
namespace {

constexpr std::string_view kTaskKeys[] = {
    "resolver_username", "created",       "requester_username", "requester_groups", "task_id",
    "region",            "resolution_id", "watcher_usernames",  "watcher_groups"};

// The original's message, with a hint when the key is a YAML 1.1 boolean word and an input is
// declared as "true"/"false": `name: n` declares the input `false` (YAML 1.1, as the original
// reads it), so `{{.input.n}}` looks wrong for no visible reason.
std::string wrong_input_key(const std::string& key, const std::set<std::string>& declared) {
  static const std::set<std::string> kTrue = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"};
  static const std::set<std::string> kFalse = {"n", "N", "no", "No", "NO", "off", "Off", "OFF"};
  std::string message = "Wrong input key: " + key;
  const char* as = kTrue.count(key) ? "true" : kFalse.count(key) ? "false" : nullptr;
  if (as != nullptr && declared.count(as)) {
    message += std::string(" (an input named ") + key + " is read by YAML 1.1 as the boolean " +
               as + ": quote its name, name: \"" + key + "\")";
  }
  return message;
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  while (true) {
    const auto pos = text.find(sep);
    out.emplace_back(text.substr(0, pos));
    if (pos == std::string_view::npos) return out;
    text = text.substr(pos + 1);
  }
}

std::string join(const std::vector<std::string>& parts, size_t from, char sep) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) {
    if (i > from) out += sep;
    out += parts[i];
  }
  return out;
}

class HandleLinter {
 public:
  HandleLinter(const TaskTemplate& tmpl, const ActionCatalog& catalog, Sink& sink)
      : tmpl_(tmpl),
        catalog_(catalog),
        sink_(sink),
        pattern_(R"(\{\{[^}.]*(\.[A-Za-z0-9_.]+)[^{]*\}\})") {
    for (const auto& i : tmpl.inputs) inputs_.insert(i.name);
    for (const auto& i : tmpl.resolver_inputs) resolver_inputs_.insert(i.name);
  }

  // Scans one string of the template; `subject` says where it is.
  void scan(const std::string& subject, const std::string& text) {
    if (text.find("{{") == std::string::npos) return;
    const std::string escaped = to_json_text(Json(text));
    re2::StringPiece input(escaped);
    std::string path;
    while (RE2::FindAndConsume(&input, pattern_, &path)) check(subject, path);
  }

  // Every string of a JSON value, keys included.
  void scan_json(const std::string& subject, const Json& value) {
    if (value.is_string()) {
      scan(subject, value.get<std::string>());
    } else if (value.is_object()) {
      for (const auto& [k, v] : value.items()) {
        scan(subject, k);
        scan_json(subject, v);
      }
    } else if (value.is_array()) {
      for (const auto& v : value) scan_json(subject, v);
    }
  }

 private:
  void report(const std::string& subject, const char* rule, std::string message) {
    if (reported_.insert({subject, message}).second) {
      sink_.error(subject, rule, std::move(message));
    }
  }

  void check(const std::string& subject, const std::string& path) {
    const auto parts = split(path, '.');  // parts[0] is "" (the path starts with '.')
    if (parts.size() < 3) return;
    const std::string& kind = parts[1];
    const std::string& key = parts[2];
    if (kind == "step") {
      check_step(subject, parts);
    } else if (kind == "input" || kind == "resolver_input") {
      const auto& declared = kind == "input" ? inputs_ : resolver_inputs_;
      if (!declared.count(key)) report(subject, "handle-input", wrong_input_key(key, declared));
    } else if (kind == "task") {
      if (std::find(std::begin(kTaskKeys), std::end(kTaskKeys), key) == std::end(kTaskKeys)) {
        report(subject, "handle-task", "Wrong task key: " + key);
      }
    }
    // Other kinds (config, var, iterator, function_args, pre_hook, range variables...) are
    // not checked: their keys are not known before run time.
  }

  void check_step(const std::string& subject, const std::vector<std::string>& parts) {
    const std::string& key = parts[2];
    auto step = tmpl_.steps.find(key);
    if (key != "this" && step == tmpl_.steps.end()) {
      report(subject, "handle-step", "step: Wrong step key: " + key);
      return;
    }
    if (key == "this" || parts.size() < 5) return;
    const std::string chain = join(parts, 4, '.');
    const std::vector<std::string> keys(parts.begin() + 4, parts.end());
    if (parts[3] == "output") {
      if (!step->second.json_schema || step->second.json_schema->is_null()) return;
      const std::string prefix = "Linting error: step " + key + ": ";
      check_schema_path(subject, "handle-output", prefix, output_paths_, key,
                        *step->second.json_schema, keys, chain);
    } else if (parts[3] == "metadata") {
      const std::string& type = step->second.action.type;
      if (!catalog_.has_plugin(type)) return;  // functions declare no metadata schema
      auto schema = catalog_.plugin_metadata_schema(type);
      if (!schema || schema->is_null()) return;
      const std::string prefix = "Linting error: step details for step \"" + key + "\": ";
      check_schema_path(subject, "handle-metadata", prefix, metadata_paths_, key, *schema, keys,
                        chain);
    }
  }

  using PathCache = std::map<std::string, Result<SchemaPaths>>;

  void check_schema_path(const std::string& subject, const char* rule, const std::string& prefix,
                         PathCache& cache, const std::string& step, const Json& schema,
                         const std::vector<std::string>& keys, const std::string& chain) {
    auto it = cache.find(step);
    if (it == cache.end()) it = cache.emplace(step, SchemaPaths::build(schema)).first;
    if (!it->second) {
      report(subject, rule, prefix + it->second.error().message);
    } else if (!it->second->has_path(keys)) {
      report(subject, rule, prefix + "Variable " + chain + " does not exist");
    }
  }

  const TaskTemplate& tmpl_;
  const ActionCatalog& catalog_;
  Sink& sink_;
  RE2 pattern_;
  std::set<std::string> inputs_, resolver_inputs_;
  PathCache output_paths_, metadata_paths_;
  std::set<std::pair<std::string, std::string>> reported_;
};

void scan_action(HandleLinter& h, const std::string& subject, const Action& a) {
  h.scan(subject, a.type);
  h.scan(subject, a.base_configuration);
  h.scan_json(subject, a.configuration);
  if (a.output) {
    h.scan(subject, a.output->strategy);
    h.scan_json(subject, a.output->format);
  }
}

void scan_inputs(HandleLinter& h, const char* kind, const std::vector<Input>& inputs) {
  for (const auto& i : inputs) {
    const std::string subject = std::string(kind) + " " + i.name;
    for (const auto* s : {&i.name, &i.description, &i.type_name}) h.scan(subject, *s);
    if (i.regex) h.scan(subject, *i.regex);
    for (const auto& v : i.legal_values) h.scan_json(subject, v);
    if (i.default_value) h.scan_json(subject, *i.default_value);
  }
}

void scan_step(HandleLinter& h, const std::string& name, const Step& step) {
  const std::string subject = step_subject(name);
  for (const auto* s : {&name, &step.description, &step.foreach, &step.foreach_strategy,
                        &step.retry_pattern}) {
    h.scan(subject, *s);
  }
  scan_action(h, subject, step.action);
  if (step.pre_hook) scan_action(h, subject, *step.pre_hook);
  for (const auto* list : {&step.dependencies, &step.custom_states, &step.resources}) {
    for (const auto& s : *list) h.scan(subject, s);
  }
  for (const auto& c : step.conditions) {
    for (const auto* s : {&c.type, &c.foreach, &c.message}) h.scan(subject, *s);
    for (const auto& a : c.if_) {
      for (const auto* s : {&a.value, &a.op, &a.expected, &a.list_separator, &a.message}) {
        h.scan(subject, *s);
      }
    }
    for (const auto& [k, v] : c.then) {
      h.scan(subject, k);
      h.scan(subject, v);
    }
  }
  if (step.json_schema) h.scan_json(subject, *step.json_schema);
}

}  // namespace

void lint_text_templates(const TaskTemplate& tmpl, const ActionCatalog& catalog, Sink& sink) {
  HandleLinter h(tmpl, catalog, sink);
  const std::string t = "template";
  for (const auto* s : {&tmpl.name, &tmpl.description, &tmpl.title_format}) h.scan(t, *s);
  if (tmpl.long_description) h.scan(t, *tmpl.long_description);
  if (tmpl.doc_link) h.scan(t, *tmpl.doc_link);
  h.scan_json(t, tmpl.result_format);
  for (const auto* list : {&tmpl.allowed_resolver_groups, &tmpl.allowed_resolver_usernames}) {
    for (const auto& s : *list) h.scan(t, s);
  }
  scan_inputs(h, "input", tmpl.inputs);
  scan_inputs(h, "resolver input", tmpl.resolver_inputs);
  for (const auto& v : tmpl.variables) {
    const std::string subject = "variable " + v.name;
    h.scan(subject, v.name);
    if (v.value) h.scan_json(subject, *v.value);
    if (v.expression) h.scan(subject, *v.expression);
    if (v.expression_timeout) h.scan(subject, *v.expression_timeout);
  }
  for (const auto& [k, v] : tmpl.tags) {
    h.scan(t, k);
    h.scan(t, v);
  }
  for (const auto& [name, step] : tmpl.steps) scan_step(h, name, step);
  for (const auto& [name, config] : tmpl.base_configurations) {
    h.scan(t, name);
    h.scan_json(t, config);
  }
}

}  // namespace utask::model::lint_detail

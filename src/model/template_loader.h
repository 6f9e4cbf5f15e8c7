#pragma once
// Loading task templates and functions from YAML into the typed model (engine.md §0.4, §1).
//
// Decoding follows the original (YAML → JSON → Go structs):
//  * field names match case-insensitively, an exact match first; unknown keys are ignored but
//    collected in `unknown_fields` (lint reports them as warnings);
//  * a number or boolean given to a string field becomes its text (`404` → "404",
//    `yes` → "true"); an empty or null value leaves the field at its zero value;
//  * `base_output`, when present and not null, replaces `output` by
//    {strategy: merge, format: <base_output>};
//  * runtime-only step keys (state, output, ...) are recorded in Step::forbidden_fields;
//  * the template name is trimmed and lower-cased; `source` is the template as JSON in the
//    original's shape (see template_source_json()).
// Shape errors (a list where a mapping is expected, `max_retries: abc`) and YAML syntax errors
// are returned as one Error (code invalid_template) whose message names the file, the
// line/column when known and the field path: `t.yaml:12:18: steps.a.max_retries: expected an
// integer, got "abc"`; Error::field holds the path. Rules that need the whole template
// (lengths, dependencies, ...) are lint's (model/lint.h), not the loader's.

#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "model/task_template.h"

namespace utask::model {

Result<TaskTemplate> parse_template_yaml(std::string_view yaml, std::string_view file);

// A function file (§1.7). Its required arguments are extracted from the action
// configuration: every `{{ .function_args.<path> }}` (optional spaces, letters and dots).
Result<Function> parse_function_yaml(std::string_view yaml, std::string_view file);

struct LoadOptions {
  // Replace every TAB by two spaces before parsing, as the original's test harness does
  // (two of its conformance templates are TAB-indented).
  bool tabs_to_spaces = false;
};

// Reads and parses one template file; an unreadable file is a not_found Error naming it.
Result<TaskTemplate> load_template_file(const std::string& path, LoadOptions options = {});

// Every function of `dir`, walked recursively: files ending in `.yaml` whose name does not
// start with `.`, sorted by path. A missing directory gives an empty list (the caller warns).
// Two functions with the same name are an error naming both files.
Result<std::vector<Function>> load_functions_dir(const std::string& dir);

// The template in the original's JSON shape (field names and omissions of its Go structs):
// what the API returns and what text-template lint scans. parse_template_yaml() stores it in
// `source`; call again after lint has normalized the model.
Json template_source_json(const TaskTemplate& tmpl);

// A function in its API shape (api.md §6.10): name, action, and pre_hook, conditions,
// custom_states when set. What the store keeps and GET /function returns.
Json function_source_json(const Function& function);

}  // namespace utask::model

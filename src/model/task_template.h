#pragma once
// The typed model of a task template and of a function (engine.md §1), as loaded from YAML.
// Every field of the original with its default. Free-form parts (configurations, schemas,
// values) stay JSON. Runtime fields of steps (state, output, ...) are not here: they belong to
// the resolution, not to the template.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/json.h"  // before any nlohmann header: it customizes number printing

namespace utask::model {

enum class InputType { string, password, boolean, number };

// An input of `inputs` or `resolver_inputs` (engine.md §1.2).
struct Input {
  std::string name;
  std::string description;
  std::optional<std::string> regex;
  std::vector<Json> legal_values;
  bool collection = false;
  InputType type = InputType::string;
  std::string type_name = "string";  // as written ("" when absent); an unknown name is a lint error
  bool optional = false;
  std::optional<Json> default_value;  // `default`; absent ≠ null
  bool hidden = false;
};

// A template variable (engine.md §1.3): a fixed value or a JS expression.
struct Variable {
  std::string name;
  std::optional<Json> value;
  std::optional<std::string> expression;
  std::optional<std::string> expression_timeout;  // Go duration text; default 10s
};

struct Assert {
  std::string value;  // template
  std::string op;     // `operator`, as written (EQ, NE, GT, LT, GE, LE, IN, NOTIN, REGEXP, NOTREGEXP)
  std::string expected;  // template
  std::string list_separator = ",";
  std::string message;
};

struct Condition {
  std::string type;  // as written: "skip" | "check"
  std::vector<Assert> if_;
  std::map<std::string, std::string> then;  // step name (or "this") → state
  bool final = false;
  std::string foreach;  // "" | "children" | "parent"
  std::string message;  // template
};

// `output` of an action (engine.md §8.2).
struct OutputSpec {
  std::string strategy;  // "" (= none) | "none" | "merge" | "template"
  Json format;           // null when absent
};

// An action (executor): a plugin or function name with its configuration.
struct Action {
  std::string type;
  std::string base_configuration;
  Json configuration;  // null when absent
  std::optional<OutputSpec> output;  // after the base_output alias is applied
};

struct Step {
  std::string name;  // the map key
  std::string description;
  bool idempotent = false;
  Action action;
  std::optional<Action> pre_hook;
  std::vector<std::string> dependencies;
  std::vector<std::string> custom_states;
  std::vector<Condition> conditions;
  std::string foreach;           // template; "" = not a loop
  std::string foreach_strategy;  // "" | "parallel" | "sequence"
  std::string retry_pattern;     // "" | "seconds" | "minutes" | "hours"
  int64_t max_retries = 0;       // 0 → 10000; negative = unlimited
  std::vector<std::string> resources;
  std::optional<Json> json_schema;
  int64_t execution_delay_ns = 0;
  // Runtime-only keys found in the YAML (must not be set in a template): kept for lint, with
  // the names the original's message uses ("metadatas", "last_time").
  std::vector<std::string> forbidden_fields;
  // Keys of the step's YAML that match no field, as paths relative to the step
  // ("retries", "action.configuraton", "conditions[0].iff"): warnings for lint.
  std::vector<std::string> unknown_fields;
};

struct TaskTemplate {
  std::string name;  // normalized: trimmed, lower case
  std::string description;
  std::optional<std::string> long_description;
  std::optional<std::string> doc_link;
  std::string title_format;
  Json result_format;  // object or null
  std::vector<std::string> allowed_resolver_groups;
  std::vector<std::string> allowed_resolver_usernames;
  bool allow_all_resolver_usernames = false;
  bool auto_runnable = false;
  bool blocked = false;
  bool hidden = false;
  std::optional<int64_t> retry_max;  // absent → 100
  bool allow_task_start_over = false;
  std::vector<Input> inputs;
  std::vector<Input> resolver_inputs;
  std::vector<Variable> variables;
  std::map<std::string, std::string> tags;
  std::map<std::string, Step> steps;  // by name
  std::map<std::string, Json> base_configurations;

  // The template as JSON, in the original's shape (API responses, storage, lint §2.5).
  Json source;
  // Keys outside `steps` that match no field, as paths ("retrymax", "inputs[1].regexp"):
  // warnings for lint. Unknown step keys are in Step::unknown_fields.
  std::vector<std::string> unknown_fields;
};

// A function of the functions directory (engine.md §1.7).
struct Function {
  std::string name;
  std::string description;
  Action action;
  std::optional<Action> pre_hook;
  std::vector<Condition> conditions;
  std::vector<std::string> custom_states;
  std::vector<std::string> required_args;  // paths of `{{ .function_args.<path> }}`
  std::string file;                        // where it was loaded from
  // Keys that match no field, as paths ("action.configuraton"): warnings for lint.
  std::vector<std::string> unknown_fields;
};

inline constexpr int64_t kDefaultRetryMax = 100;
inline constexpr int64_t kDefaultStepMaxRetries = 10000;

}  // namespace utask::model

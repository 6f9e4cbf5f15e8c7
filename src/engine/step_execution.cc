#include "engine/step_execution.h"

#include <algorithm>

#include "actions/catalog.h"
#include "engine/function_chain.h"
#include "model/json_schema.h"
#include "model/state.h"

namespace utask::engine {
namespace {

Error fail(std::string message) { return Error{ErrorCode::invalid_input, std::move(message), {}}; }

// §8.2 merge: the output's top-level keys win over the format's.
Json merge_output(const Json& format, const Json& output) {
  if (output.is_null() || !output.is_object()) return format;
  Json merged = format;
  for (const auto& [k, v] : output.items()) merged[k] = v;
  return merged;
}

}  // namespace

std::string_view state_for_error(actions::ErrorKind kind) {
  switch (kind) {
    case actions::ErrorKind::client: return model::state::kClientError;
    case actions::ErrorKind::not_assigned: return model::state::kWaiting;
    case actions::ErrorKind::not_provisioned: return model::state::kToRetry;
    case actions::ErrorKind::fatal: return model::state::kFatalError;
    case actions::ErrorKind::server: return model::state::kServerError;
  }
  return model::state::kServerError;
}

Result<Execution> build_execution(const BuildInput& in, DataTree& tree,
                                  std::vector<model::OutputSpec>* outputs,
                                  std::optional<model::OutputSpec>* own_output) {
  Execution e;
  e.step_name = in.step_name;
  e.task_id = in.task_id;
  e.resolution_id = in.resolution_id;

  if (!in.base_configuration.empty()) {
    const Json* bases = in.base_configurations;
    if (!bases || !bases->is_object() || !bases->contains(in.base_configuration)) {
      return fail("could not find base configuration '" + in.base_configuration + "'");
    }
    auto base = tree.render_json((*bases)[in.base_configuration], in.item, in.step_name);
    if (!base) return fail("failed to template base configuration: " + base.error().message);
    e.base_configuration = std::move(*base);
  }

  const model::Action* level = in.action;
  std::vector<model::OutputSpec> collected;
  std::vector<std::string> seen;
  for (bool first = true;; first = false) {
    if (outputs && level->output) {
      model::OutputSpec spec = *level->output;
      if (spec.strategy == "merge") {
        auto rendered = tree.render_json(spec.format, in.item, in.step_name);
        if (!rendered) return fail("failed to template base output: " + rendered.error().message);
        if (!rendered->is_null() && !rendered->is_object()) {
          return fail("failed to template merge output: merge output not a map");
        }
        spec.format = std::move(*rendered);
        if (first && own_output) *own_output = spec;
        if (!spec.format.is_null()) collected.insert(collected.begin(), spec);
      } else if (spec.strategy == "template") {
        collected.insert(collected.begin(), spec);
      }
    }
    auto config = tree.render_json(level->configuration, in.item, in.step_name);
    if (!config) return fail("failed to template configuration: " + config.error().message);
    const model::Function* function = in.registry->find_function(level->type);
    if (!function) {
      if (!in.registry->has_plugin(level->type)) return fail("No runner for type '" + level->type + "'");
      e.action_type = level->type;
      e.configuration = std::move(*config);
      break;
    }
    if (std::find(seen.begin(), seen.end(), function->name) != seen.end()) {
      return fail("invalid cyclic import in function for \"" + function->name + "\"");
    }
    seen.push_back(function->name);
    if (!config->is_null() && !config->is_object()) {
      return fail("function \"" + function->name + "\": configuration must be an object");
    }
    tree.set("function_args", config->is_null() ? Json::object() : *config);
    level = &function->action;
  }

  e.action = in.registry->find_action(e.action_type);
  if (!e.action) return fail("No executable action for type '" + e.action_type + "'");

  const Json context = e.action->context_template(in.step_name);
  if (!context.is_null()) {
    auto text = tree.render(to_json_text(context), in.item, in.step_name);
    if (!text) return fail("failed to template context: " + text.error().message);
    auto parsed = parse_json(*text);
    if (!parsed) return fail("failed to re-marshal context: " + parsed.error().message);
    e.context = std::move(*parsed);
  }

  std::vector<std::string> resources = e.action->resources(e.configuration);
  if (outputs) *outputs = std::move(collected);
  e.resources = std::move(resources);
  return e;
}

void post_process(StepInFlight& flight, actions::ActionResult result) {
  StepState& step = flight.step;
  step.output = std::move(result.output);
  step.metadata = std::move(result.metadata);
  step.tags = std::move(result.tags);
  const Json* item = step.is_child ? &step.item : nullptr;

  bool formatted = true;
  for (const auto& spec : flight.outputs) {
    if (spec.strategy == "merge") {
      step.output = merge_output(spec.format, step.output);
    } else if (spec.strategy == "template") {
      flight.snapshot.set_step_output(step.name(), step.output);
      auto rendered = flight.snapshot.render_json(spec.format, item, step.name());
      if (!rendered) {
        step.state = model::state::kFatalError;
        step.error = "unable to format output: " + rendered.error().message;
        formatted = false;
        break;
      }
      step.output = std::move(*rendered);
    }
  }

  if (formatted) {
    if (result.error) {
      step.state = std::string(state_for_error(result.error->kind));
      step.error = result.error->message;
    } else if (step.definition.json_schema) {
      auto schema = model::JsonSchema::compile(*step.definition.json_schema);
      if (!schema) {
        step.state = model::state::kFatalError;
        step.error = schema.error().message;
      } else if (auto violations = schema->validate(step.output); !violations.empty()) {
        step.state = model::state::kFatalError;
        std::string text;
        for (const auto& v : violations) text += (text.empty() ? "" : "; ") + v;
        step.error = text;
      }
    }
    if (step.state == model::state::kRunning) {
      step.state = model::state::kDone;
      step.error.clear();
    }
  }
  step.try_count += 1;
}

}  // namespace utask::engine

#include "engine/foreach.h"

#include "engine/cycle.h"
#include "model/state.h"

namespace utask::engine {
namespace {

const char* json_kind(const Json& v) {
  if (v.is_object()) return "object";
  if (v.is_string()) return "string";
  if (v.is_number()) return "number";
  if (v.is_boolean()) return "bool";
  return "value";
}

}  // namespace

Result<Json> parse_foreach_items(const std::string& text) {
  auto parsed = parse_json(text);
  if (!parsed) return parsed.error();
  if (parsed->is_null()) return Json::array();
  if (!parsed->is_array()) {
    return Error::invalid_input(std::string("json: cannot unmarshal ") + json_kind(*parsed) +
                                " into Go value of type []interface {}");
  }
  return std::move(*parsed);
}

std::vector<std::string> expand(Cycle& cycle, const std::string& parent_name) {
  StepState* parent = cycle.find(parent_name);
  auto rendered = cycle.live->render(parent->definition.foreach);
  Result<Json> items = rendered ? parse_foreach_items(*rendered) : Result<Json>(rendered.error());
  if (!items) {
    cycle.set_state(parent_name, std::string(model::state::kFatalError), items.error().message);
    return {};
  }
  const model::Step& def = parent->definition;
  const bool sequence = def.foreach_strategy == "sequence";
  std::vector<std::string> children;
  for (size_t i = 0; i < items->size(); ++i) {
    StepState child;
    model::Step& c = child.definition;
    c.name = parent_name + "-" + std::to_string(i);
    c.description = std::to_string(i) + " - " + def.description;
    c.idempotent = def.idempotent;
    c.action = def.action;
    c.json_schema = def.json_schema;
    c.retry_pattern = def.retry_pattern;
    c.max_retries = def.max_retries;
    c.dependencies = def.dependencies;
    c.custom_states = def.custom_states;
    c.resources = def.resources;
    for (const auto& cond : def.conditions) {
      if (cond.type == "skip" && cond.foreach == "parent") continue;
      c.conditions.push_back(cond);
    }
    if (sequence && i > 0) c.dependencies.push_back(children.back());
    child.is_child = true;
    child.item = (*items)[i];
    std::string name = c.name;
    cycle.res.steps[name] = std::move(child);
    children.push_back(std::move(name));
  }
  parent = cycle.find(parent_name);
  for (const auto& name : children) {
    parent->definition.dependencies.push_back(name + ":ANY");
    parent->children_steps.push_back(name);
    parent->children_steps_map[name] = true;
  }
  parent->state = model::state::kExpanded;
  cycle.touch(parent_name);
  for (const auto& name : children) cycle.touch(name);
  cycle.reindex();
  return children;
}

void contract(Cycle& cycle, const std::string& parent_name) {
  StepState* parent = cycle.find(parent_name);
  Json collection = Json::array();
  const std::vector<std::string> children = parent->children_steps;
  for (const auto& name : children) {
    cycle.contracted.insert(name);
    const StepState* child = cycle.find(name);
    if (!child) continue;
    if (child->state != model::state::kPrune) {
      Json entry = Json::object();
      if (!child->output.is_null()) entry["output"] = child->output;
      Json metadata = child->metadata.is_object() ? child->metadata : Json::object();
      metadata["iterator"] = child->item;
      entry["metadata"] = std::move(metadata);
      entry["state"] = child->state;
      collection.push_back(std::move(entry));
    }
    cycle.remove(name);
  }
  parent = cycle.find(parent_name);
  parent->error.clear();
  parent->children = std::move(collection);
  std::erase_if(parent->definition.dependencies, [&](const std::string& text) {
    return parent->children_steps_map.count(parse_dependency(text).step) > 0;
  });
  parent->children_steps.clear();
  parent->children_steps_map.clear();
  cycle.touch(parent_name);
  cycle.reindex();
}

}  // namespace utask::engine

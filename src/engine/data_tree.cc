#include "engine/data_tree.h"

#include "values/eval_context.h"
#include "values/renderer.h"
#include "values/value.h"
#include "values/variables.h"

namespace utask::engine {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ",";
    out += s;
  }
  return out;
}

Json or_empty(const Json& v) { return v.is_null() ? Json::object() : v; }

Json step_entry(const StepState& step) {
  return Json{{"output", or_empty(step.output)},
              {"metadata", or_empty(step.metadata)},
              {"children", or_empty(step.children)},
              {"error", step.error},
              {"state", step.state},
              {"try_count", step.try_count},
              {"max_retries", step.definition.max_retries}};
}

}  // namespace

Result<std::shared_ptr<const values::Template>> TemplateCache::get(std::string_view text) {
  auto it = cache_.find(text);
  if (it != cache_.end()) return it->second;
  auto parsed = values::Template::parse(text, "tmpl");
  Result<std::shared_ptr<const values::Template>> entry =
      parsed ? Result<std::shared_ptr<const values::Template>>(
                   std::make_shared<const values::Template>(std::move(*parsed)))
             : Result<std::shared_ptr<const values::Template>>(parsed.error());
  return cache_.emplace(std::string(text), std::move(entry)).first->second;
}

Json task_infos(const TaskState& task, const ResolutionState* resolution, std::string_view region) {
  Json t = Json::object();
  t["task_id"] = task.id;
  t["created"] = format_time(task.created);
  t["requester_username"] = task.requester_username;
  if (!task.requester_groups.empty()) t["requester_groups"] = join(task.requester_groups);
  if (resolution && !resolution->resolver_username.empty()) {
    t["resolver_username"] = resolution->resolver_username;
    if (!resolution->resolver_groups.empty()) t["resolver_groups"] = join(resolution->resolver_groups);
  }
  if (!task.watcher_usernames.empty()) t["watcher_usernames"] = join(task.watcher_usernames);
  if (!task.watcher_groups.empty()) t["watcher_groups"] = join(task.watcher_groups);
  t["last_activity"] = format_time(task.last_activity);
  t["region"] = std::string(region);
  if (resolution && !resolution->id.empty()) t["resolution_id"] = resolution->id;
  return t;
}

DataTree::DataTree(Json root, const values::Variables& variables, TemplateCache& cache)
    : root_(std::move(root)),
      variables_(&variables),
      cache_(&cache),
      ctx_(std::make_unique<values::EvalContext>()) {
  variables_->attach(*ctx_);
}

DataTree::DataTree(const ResolutionState& resolution, const Json& config_items,
                   std::string_view region, const values::Variables& variables,
                   TemplateCache& cache)
    : DataTree(Json::object(), variables, cache) {
  root_["input"] = resolution.task.input.is_null() ? Json::object() : resolution.task.input;
  root_["resolver_input"] =
      resolution.resolver_inputs.is_null() ? Json::object() : resolution.resolver_inputs;
  root_["config"] = config_items.is_null() ? Json::object() : config_items;
  root_["var"] = Json::object();  // variables are reached through eval / evalCache
  root_["step"] = Json::object();
  root_["task"] = task_infos(resolution.task, &resolution, region);
  for (const auto& [name, step] : resolution.steps) set_step(step);
}

DataTree::~DataTree() = default;
DataTree::DataTree(DataTree&&) noexcept = default;
DataTree& DataTree::operator=(DataTree&&) noexcept = default;

DataTree DataTree::snapshot() const {
  DataTree copy(root_, *variables_, *cache_);
  // The templates' view is immutable and shared; the copy drops it at its first change.
  if (value_) copy.value_ = std::make_unique<values::Value>(*value_);
  return copy;
}

void DataTree::changed() { value_.reset(); }

const values::Value& DataTree::value() {
  if (!value_) value_ = std::make_unique<values::Value>(values::Value::from_json(root_));
  return *value_;
}

void DataTree::set_step(const StepState& step) {
  root_["step"][step.name()] = step_entry(step);
  changed();
}

void DataTree::remove_step(std::string_view name) {
  root_["step"].erase(std::string(name));
  changed();
}

void DataTree::set_task(const ResolutionState& resolution) {
  const std::string region = root_["task"].value("region", "default");
  root_["task"] = task_infos(resolution.task, &resolution, region);
  changed();
}

void DataTree::set(std::string_view key, Json value) {
  if (value.is_null()) {
    root_.erase(std::string(key));
  } else {
    root_[std::string(key)] = std::move(value);
  }
  changed();
}

void DataTree::set_step_output(std::string_view name, const Json& output) {
  Json& steps = root_["step"];
  auto it = steps.find(std::string(name));
  if (it == steps.end()) return;
  (*it)["output"] = or_empty(output);
  changed();
}

Result<std::string> DataTree::render(std::string_view text, const Json* item,
                                     std::string_view step_name) {
  auto parsed = cache_->get(text);
  if (!parsed) return Error::invalid_template("Templating error: " + parsed.error().message);
  const bool with_item = item && !item->is_null();
  const bool with_this = !step_name.empty();
  values::Value data = value();
  if (with_item || with_this) {
    // `.iterator` and `.step.this` exist for this rendering only: shallow copies of the root
    // and step maps (values inside are shared).
    values::Map top = data.as_map();
    if (with_item) top["iterator"] = values::Value::from_json(*item);
    if (with_this) {
      values::Map steps = top["step"].is(values::Value::Kind::map) ? top["step"].as_map() : values::Map{};
      auto it = steps.find(std::string(step_name));
      steps["this"] = it != steps.end() ? it->second : values::Value::map({});
      top["step"] = values::Value::map(std::move(steps));
    }
    data = values::Value::map(std::move(top));
  }
  ctx_->set_root(data);
  auto out = (*parsed)->execute(data, ctx_.get());
  if (!out) return Error::invalid_template("Templating error: " + out.error().message);
  return std::move(*out);
}

Result<Json> DataTree::render_json(const Json& document, const Json* item,
                                   std::string_view step_name) {
  std::optional<Error> failure;
  std::function<Json(const Json&, bool)> walk = [&](const Json& v, bool top) -> Json {
    if (failure) return nullptr;
    if (v.is_string() && !top) {
      auto r = render(v.get_ref<const std::string&>(), item, step_name);
      if (!r) {
        failure = r.error();
        return nullptr;
      }
      return *r;
    }
    if (v.is_object()) {
      Json out = Json::object();
      for (const auto& [k, e] : v.items()) out[k] = walk(e, false);
      return out;
    }
    if (v.is_array()) {
      Json out = Json::array();
      for (const auto& e : v) out.push_back(walk(e, false));
      return out;
    }
    return v;
  };
  Json out = walk(document, true);
  if (failure) return *failure;
  return out;
}

}  // namespace utask::engine

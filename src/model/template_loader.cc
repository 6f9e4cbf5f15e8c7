#include "model/template_loader.h"

#include <fstream>
#include <sstream>

#include "model/input_rules.h"
#include "model/template_loader_decode.h"
#include "model/yaml_json.h"

namespace utask::model {
namespace {

using loader_detail::Decoder;
using loader_detail::StructReader;
using loader_detail::index_path;
using loader_detail::join_path;

// Persisted step fields a template must not set, with the name the original's message uses.
struct RuntimeField {
  const char* key;
  const char* message_name;
};
constexpr RuntimeField kRuntimeStepFields[] = {
    {"state", "state"},         {"children_steps", "children_steps"},
    {"children_steps_map", "children_steps_map"},
    {"output", "output"},       {"metadata", "metadatas"},
    {"tags", "tags"},           {"children", "children"},
    {"error", "error"},         {"try_count", "try_count"},
    {"last_run", "last_time"},  {"item", "item"},
};

// Whether a decoded Go field would hold a non-zero value.
bool is_set(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return false;
    case Json::value_t::boolean: return v.get<bool>();
    case Json::value_t::string: return !v.get_ref<const std::string&>().empty();
    case Json::value_t::array:
    case Json::value_t::object: return !v.empty();
    default: return v.is_number() && v.get<double>() != 0;
  }
}

std::string normalize_name(std::string_view name) {
  auto is_space = [](unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  std::size_t b = 0, e = name.size();
  while (b < e && is_space(name[b])) ++b;
  while (e > b && is_space(name[e - 1])) --e;
  std::string out(name.substr(b, e - b));
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<Input> decode_input(const Decoder& d, const Json& v, const std::string& path,
                           std::vector<std::string>& unknown) {
  StructReader r(d, v, path);
  Input in;
  in.type_name.clear();  // as written: absent = "" = string
  r.read("name", in.name);
  r.read("description", in.description);
  r.read("regex", in.regex);
  r.read("legal_values", in.legal_values);
  r.read("collection", in.collection);
  r.read("type", in.type_name);
  r.read("optional", in.optional);
  r.read("default", in.default_value);
  r.read("hidden", in.hidden);
  if (r.failed()) return r.error();
  if (!parse_input_type(in.type_name, in.type)) in.type = InputType::string;
  r.collect_unknown(unknown);
  return in;
}

Result<std::vector<Input>> decode_inputs(StructReader& root, std::string_view key,
                                         std::vector<std::string>& unknown) {
  std::vector<Json> items;
  root.read(key, items);
  std::vector<Input> out;
  for (std::size_t i = 0; i < items.size() && !root.failed(); ++i) {
    auto in = decode_input(root.decoder(), items[i], index_path(root.path(key), i), unknown);
    if (root.check(in)) out.push_back(std::move(*in));
  }
  if (root.failed()) return root.error();
  return out;
}

Result<Variable> decode_variable(const Decoder& d, const Json& v, const std::string& path,
                                 std::vector<std::string>& unknown) {
  StructReader r(d, v, path);
  Variable var;
  r.read("name", var.name);
  r.read("value", var.value);
  r.read("expression", var.expression);
  r.read("expression_timeout", var.expression_timeout);
  if (r.failed()) return r.error();
  // Go's zero value: an empty expression or timeout is no expression or timeout.
  if (var.expression && var.expression->empty()) var.expression.reset();
  if (var.expression_timeout && var.expression_timeout->empty()) var.expression_timeout.reset();
  r.collect_unknown(unknown);
  return var;
}

Result<Step> decode_step(const Decoder& d, const std::string& name, const Json& v,
                         const std::string& path) {
  StructReader r(d, v, path);
  Step st;
  st.name = name;
  auto& unknown = st.unknown_fields;
  r.get("name");  // known, but the map key wins
  r.read("description", st.description);
  r.read("idempotent", st.idempotent);
  r.read("dependencies", st.dependencies);
  r.read("custom_states", st.custom_states);
  r.read("foreach", st.foreach);
  r.read("foreach_strategy", st.foreach_strategy);
  r.read("retry_pattern", st.retry_pattern);
  r.read("max_retries", st.max_retries);
  r.read("resources", st.resources);
  r.read("json_schema", st.json_schema);
  r.read_duration("execution_delay", st.execution_delay_ns);
  if (const Json* f = r.get("action"); f && !r.failed()) {
    auto a = loader_detail::decode_action(d, *f, r.path("action"), unknown, path);
    if (r.check(a)) st.action = std::move(*a);
  }
  if (const Json* f = r.get("pre_hook"); f && !f->is_null() && !r.failed()) {
    auto a = loader_detail::decode_action(d, *f, r.path("pre_hook"), unknown, path);
    if (r.check(a)) st.pre_hook = std::move(*a);
  }
  if (const Json* f = r.get("conditions"); f && !r.failed()) {
    auto c = loader_detail::decode_conditions(d, *f, r.path("conditions"), unknown, path);
    if (r.check(c)) st.conditions = std::move(*c);
  }
  for (const auto& field : kRuntimeStepFields) {
    if (const Json* f = r.get(field.key); f && is_set(*f)) st.forbidden_fields.emplace_back(field.message_name);
  }
  if (r.failed()) return r.error();
  r.collect_unknown(unknown, path);
  return st;
}

Result<TaskTemplate> decode_template(const Decoder& d, const Json& root) {
  if (!root.is_object()) return d.shape_error("", "a mapping at the top of the template", root);
  StructReader r(d, root, "");
  TaskTemplate t;
  auto& unknown = t.unknown_fields;
  r.read("name", t.name);
  t.name = normalize_name(t.name);
  r.read("description", t.description);
  r.read("long_description", t.long_description);
  r.read("doc_link", t.doc_link);
  r.read("title_format", t.title_format);
  if (const Json* f = r.get("result_format"); f && !f->is_null() && !r.failed()) {
    if (f->is_object()) t.result_format = *f;
    else r.check(Result<void>(d.shape_error("result_format", "a mapping", *f)));
  }
  r.read("allowed_resolver_groups", t.allowed_resolver_groups);
  r.read("allowed_resolver_usernames", t.allowed_resolver_usernames);
  r.read("allow_all_resolver_usernames", t.allow_all_resolver_usernames);
  r.read("auto_runnable", t.auto_runnable);
  r.read("blocked", t.blocked);
  r.read("hidden", t.hidden);
  r.read("retry_max", t.retry_max);
  r.read("allow_task_start_over", t.allow_task_start_over);
  r.read("tags", t.tags);
  if (auto in = decode_inputs(r, "inputs", unknown); in) t.inputs = std::move(*in);
  if (auto in = decode_inputs(r, "resolver_inputs", unknown); in) t.resolver_inputs = std::move(*in);
  std::vector<Json> variables;
  r.read("variables", variables);
  for (std::size_t i = 0; i < variables.size() && !r.failed(); ++i) {
    auto v = decode_variable(d, variables[i], index_path("variables", i), unknown);
    if (r.check(v)) t.variables.push_back(std::move(*v));
  }
  if (const Json* f = r.get("base_configurations"); f && !f->is_null() && !r.failed()) {
    if (!f->is_object()) r.check(Result<void>(d.shape_error("base_configurations", "a mapping", *f)));
    else for (auto it = f->begin(); it != f->end(); ++it) t.base_configurations[it.key()] = it.value();
  }
  if (const Json* f = r.get("steps"); f && !f->is_null() && !r.failed()) {
    if (!f->is_object()) r.check(Result<void>(d.shape_error("steps", "a mapping", *f)));
    for (auto it = f->begin(); f->is_object() && it != f->end() && !r.failed(); ++it) {
      auto st = decode_step(d, it.key(), it.value(), join_path("steps", it.key()));
      if (r.check(st)) t.steps.emplace(it.key(), std::move(*st));
    }
  }
  if (r.failed()) return r.error();
  r.collect_unknown(unknown);
  t.source = template_source_json(t);
  return t;
}

}  // namespace

Result<TaskTemplate> parse_template_yaml(std::string_view yaml, std::string_view file) {
  auto doc = parse_yaml_document(yaml, file);
  if (!doc) return doc.error();
  Decoder d(file, *doc);
  return decode_template(d, doc->value);
}

Result<TaskTemplate> load_template_file(const std::string& path, LoadOptions options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::not_found(path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  if (options.tabs_to_spaces) {
    std::string replaced;
    replaced.reserve(yaml.size());
    for (char c : yaml) {
      if (c == '\t') replaced += "  ";
      else replaced += c;
    }
    yaml = std::move(replaced);
  }
  return parse_template_yaml(yaml, path);
}

}  // namespace utask::model

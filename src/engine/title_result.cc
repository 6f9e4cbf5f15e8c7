#include "engine/title_result.h"

#include "values/eval_context.h"
#include "values/renderer.h"
#include "values/value.h"
#include "values/variables.h"

namespace utask::engine {

Result<std::string> render_with_variables(std::string_view text, const Json& data,
                                          const values::Variables& variables) {
  auto parsed = values::Template::parse(text, "tmpl");
  if (!parsed) return Error::invalid_template("Templating error: " + parsed.error().message);
  const values::Value root = values::Value::from_json(data);
  values::EvalContext ctx(root);
  variables.attach(ctx);
  auto out = parsed->execute(root, &ctx);
  if (!out) return Error::invalid_template("Templating error: " + out.error().message);
  return std::move(*out);
}

namespace {

Result<void> render_object(const Json& format, DataTree& tree, Json& out) {
  if (!out.is_object()) out = Json::object();
  // Keys first, renaming as they render.
  std::vector<std::pair<std::string, Json>> entries;
  for (const auto& [k, v] : format.items()) {
    auto key = tree.render(k);
    if (!key) return key.error();
    entries.emplace_back(*key, v);
    out[*key] = v;
    if (*key != k) out.erase(k);
  }
  for (const auto& [k, v] : entries) {
    if (v.is_string()) {
      auto value = tree.render(v.get_ref<const std::string&>());
      if (!value) return value.error();
      out[k] = std::move(*value);
    } else if (v.is_object()) {
      Json nested = v;
      auto r = render_object(v, tree, nested);
      out[k] = std::move(nested);
      if (!r) return r;
    }
  }
  return {};
}

}  // namespace

Result<void> render_result(const Json& result_format, DataTree& tree, Json& out) {
  if (!result_format.is_object()) {
    out = result_format;
    return {};
  }
  out = result_format;
  return render_object(result_format, tree, out);
}

}  // namespace utask::engine

#pragma once
// The data tree templates see (engine.md §7.2): `.input`, `.resolver_input`, `.config`,
// `.var`, `.task`, `.step.<name>.{output,metadata,children,error,state,try_count,
// max_retries}`, and while rendering for a step `.step.this`, `.iterator`; in snapshots also
// `.pre_hook` and `.function_args`. The live tree of a run serves conditions, foreach
// expressions, titles, result and tags; a snapshot (§7.3, a deep copy with its own, empty
// evalCache) serves one execution's configuration, outputs and context.
//
// Differences from the original (DECISIONS.md): numbers print as written in every tree, and
// `.step.X.try_count` / `max_retries` exist as soon as the step does. Times are RFC 3339 in
// both trees.
//
// Not thread-safe: one tree per run loop (the live one) or per execution being prepared.

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "engine/resolution_state.h"
#include "model/error.h"
#include "model/json.h"

namespace utask::values {
class EvalContext;
class Variables;
class Template;
class Value;
}  // namespace utask::values

namespace utask::engine {

// Parsed templates shared by the trees of one run (templates are immutable once parsed).
class TemplateCache {
 public:
  // Parses `text` (named "tmpl"), or returns the cached parse. Errors are the parser's.
  Result<std::shared_ptr<const values::Template>> get(std::string_view text);

 private:
  std::map<std::string, Result<std::shared_ptr<const values::Template>>, std::less<>> cache_;
};

class DataTree {
 public:
  // The live tree of `resolution` (§7.2). `variables` (the template's, at run time) and
  // `cache` must outlive the tree and its snapshots.
  DataTree(const ResolutionState& resolution, const Json& config_items, std::string_view region,
           const values::Variables& variables, TemplateCache& cache);
  ~DataTree();
  DataTree(DataTree&&) noexcept;
  DataTree& operator=(DataTree&&) noexcept;

  // §7.3: a deep copy whose evalCache starts empty.
  DataTree snapshot() const;

  // Writes (or refreshes) the entry of a step: output, metadata, children, error, state,
  // try_count, max_retries; nulls become empty maps.
  void set_step(const StepState& step);
  void remove_step(std::string_view name);
  // Refreshes `.task` from the resolution and its task.
  void set_task(const ResolutionState& resolution);
  // Sets a top-level key (`pre_hook`, `function_args`, ...); null erases it.
  void set(std::string_view key, Json value);
  // Replaces only the `output` of a step's entry (template output strategy, §8.2).
  void set_step_output(std::string_view name, const Json& output);

  // §7.4: renders `text` with `.iterator` = item (when `item` is non-null) and `.step.this` =
  // the entry of `step_name` (when non-empty); both removed afterwards. Errors are
  // "Templating error: <go error>".
  Result<std::string> render(std::string_view text, const Json* item = nullptr,
                             std::string_view step_name = {});
  // §7.5: every string inside an object or array of `document` rendered (keys never, a
  // top-level string neither); the first error aborts.
  Result<Json> render_json(const Json& document, const Json* item = nullptr,
                           std::string_view step_name = {});

  const Json& root() const { return root_; }

 private:
  DataTree(Json root, const values::Variables& variables, TemplateCache& cache);

  // The templates' view of root_, converted once and kept until root_ changes: a rendering
  // then costs a shallow copy of two maps, not a conversion of every step's output.
  const values::Value& value();
  void changed();

  Json root_;
  std::unique_ptr<values::Value> value_;  // null: stale
  const values::Variables* variables_;
  TemplateCache* cache_;
  std::unique_ptr<values::EvalContext> ctx_;  // evalCache of this tree
};

// `.task` (§7.2) of a task and its resolution (null resolution: at task creation).
Json task_infos(const TaskState& task, const ResolutionState* resolution, std::string_view region);

}  // namespace utask::engine

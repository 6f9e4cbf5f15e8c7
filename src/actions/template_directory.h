#pragma once
// Which task templates exist, for the actions that name one (subtask, batch) to check it when
// a template is loaded (actions.md §6, §7: in the store, or among the templates imported with
// it). Whoever loads templates installs the lookup on the registry
// (ActionRegistry::set_template_lookup); until one is installed names are not checked, since
// nothing can tell.
//
// Thread safety: set() and exists() may be called concurrently.

#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>

#include "model/error.h"

namespace utask::actions {

// Whether a template of that name exists. Names compare as stored: trimmed and lower-case.
using TemplateExists = std::function<Result<bool>(const std::string& name)>;

class TemplateDirectory {
 public:
  void set(TemplateExists exists);
  // nullopt without a lookup; else the lookup's answer for the normalised name.
  std::optional<Result<bool>> exists(const std::string& name) const;

 private:
  mutable std::shared_mutex mu_;
  TemplateExists exists_;  // guarded by mu_
};

// The load-time check of subtask and batch: a literal name must exist, else not_found
// `<what> template "<name>" not found` (`what`: "sub-task", "batch"). A name holding "{{" is
// rendered at execution, where a missing template fails the step instead (actions.md §1.4).
Result<void> check_template_exists(const TemplateDirectory* directory, const std::string& name,
                                   const std::string& what);

}  // namespace utask::actions

#pragma once
// What linting needs to know about action types, without depending on src/actions: which
// types exist, how a plugin checks its configuration, which metadata schema it declares, and
// the loaded functions. src/actions provides the real catalog; tests may provide their own.

#include <optional>
#include <string>
#include <string_view>

#include "model/error.h"
#include "model/json.h"

namespace utask::model {

struct Function;

class ActionCatalog {
 public:
  virtual ~ActionCatalog() = default;

  // A plugin (builtin action or .so plugin) of that name exists.
  virtual bool has_plugin(std::string_view type) const = 0;

  // Checks a plugin configuration: `base` is the step's base configuration (null if none),
  // `configuration` the raw (unrendered) configuration. REQUIRES: has_plugin(type).
  virtual Result<void> validate_plugin_configuration(std::string_view type, const Json& base,
                                                     const Json& configuration) const = 0;

  // The JSON schema of the plugin's metadata, if it declares one (lint of `.step.X.metadata.*`).
  virtual std::optional<Json> plugin_metadata_schema(std::string_view type) const = 0;

  // A function of that name, or nullptr.
  virtual const Function* find_function(std::string_view name) const = 0;
};

}  // namespace utask::model

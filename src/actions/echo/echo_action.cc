#include "actions/echo/echo_action.h"

#include "actions/catalog.h"
#include "model/yaml_json.h"

namespace utask::actions {
namespace {

const std::vector<ConfigField> kFields = {{"output", FieldType::any},
                                          {"metadata", FieldType::object},
                                          {"unmarshal", FieldType::boolean},
                                          {"error_message", FieldType::string},
                                          {"error_type", FieldType::string}};

// Go's %T of a decoded JSON value, as the original's message names it.
const char* go_type(const Json& v) {
  if (v.is_null()) return "<nil>";
  if (v.is_boolean()) return "bool";
  if (v.is_number()) return "json.Number";
  if (v.is_array()) return "[]interface {}";
  if (v.is_object()) return "map[string]interface {}";
  return "string";
}

}  // namespace

Result<void> EchoAction::validate(const Json& base, const Json& configuration) const {
  auto config = decode_typed_configuration(base, configuration, kFields);
  if (!config) return config.error();
  const std::string type = config->value("error_type", "");
  if (type != "" && type != "client" && type != "server") {
    return Error::invalid_template("Wrong error type: expecting 'client' or 'server'");
  }
  return {};
}

ActionResult EchoAction::execute(const ExecutionRequest& request) const {
  auto config = decode_typed_configuration(request.base_configuration, request.configuration, kFields);
  if (!config) return ActionResult::failure(ErrorKind::client, config.error().message);
  ActionResult result;
  result.output = config->value("output", Json());
  result.metadata = config->value("metadata", Json());
  if (config->value("unmarshal", false)) {
    if (!result.output.is_string()) {
      return ActionResult::failure(ErrorKind::server, std::string("cannot unmarshal: invalid data type (") +
                                                          go_type(result.output) + ")");
    }
    auto parsed = model::yaml_to_json(result.output.get<std::string>());
    if (!parsed) {
      return ActionResult::failure(ErrorKind::server,
                                   "failed to unmarshal output: " + parsed.error().message);
    }
    result.output = std::move(*parsed);
  }
  const std::string message = config->value("error_message", "");
  if (!message.empty()) {
    const bool client = config->value("error_type", "") == "client";
    result.error = ActionError{client ? ErrorKind::client : ErrorKind::server, message};
  }
  return result;
}

}  // namespace utask::actions

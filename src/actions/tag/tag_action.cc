#include "actions/tag/tag_action.h"

#include "actions/catalog.h"
#include "actions/tag/tag_rules.h"

namespace utask::actions {
namespace {

const std::vector<ConfigField> kFields = {{"tags", FieldType::object}};

Result<std::map<std::string, std::string>> decode_tags(const Json& base, const Json& configuration) {
  auto config = decode_typed_configuration(base, configuration, kFields);
  if (!config) return config.error();
  auto tags = decode_string_map(*config, "tags");
  if (!tags) return tags.error();
  if (auto checked = check_tags(*tags); !checked) return checked.error();
  return tags;
}

}  // namespace

Result<void> TagAction::validate(const Json& base, const Json& configuration) const {
  auto tags = decode_tags(base, configuration);
  if (!tags) return tags.error();
  return {};
}

ActionResult TagAction::execute(const ExecutionRequest& request) const {
  auto tags = decode_tags(request.base_configuration, request.configuration);
  if (!tags) return ActionResult::failure(ErrorKind::client, tags.error().message);
  ActionResult result;
  result.tags = std::move(*tags);
  return result;
}

}  // namespace utask::actions

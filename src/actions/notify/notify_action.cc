#include "actions/notify/notify_action.h"

#include "actions/catalog.h"
#include "actions/config_lists.h"
#include "actions/notify/senders/dispatcher.h"
#include "actions/tag/tag_rules.h"

namespace utask::actions {
namespace {

const std::vector<ConfigField> kFields = {
    {"message", FieldType::string}, {"fields", FieldType::object}, {"backends", FieldType::any}};

struct NotifyConfig {
  notify::NotifyMessage message;
  std::vector<std::string> backends;
};

Result<NotifyConfig> decode(const Json& base, const Json& configuration) {
  auto config = decode_typed_configuration(base, configuration, kFields);
  if (!config) return config.error();
  NotifyConfig out;
  if (config->contains("message")) out.message.main = (*config)["message"].get<std::string>();
  auto fields = decode_string_map(*config, "fields");
  if (!fields) return fields.error();
  out.message.fields = std::move(*fields);
  auto backends = decode_string_list(*config, "backends");
  if (!backends) return backends.error();
  out.backends = std::move(*backends);
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// `deferred`: names holding "{{" are left for the check after rendering.
Result<void> check_backends(const notify::Dispatcher* dispatcher,
                            const std::vector<std::string>& backends, bool deferred) {
  if (backends.empty()) return {};
  if (!dispatcher || dispatcher->backend_names().empty()) {
    return Error::invalid_template("registered notify senders list is empty");
  }
  for (const auto& name : backends) {
    if (deferred && name.find("{{") != std::string::npos) continue;
    if (!dispatcher->has_backend(name)) {
      return Error::invalid_template("can't find backend name: " + name +
                                     ". Available backends: " + joined(dispatcher->backend_names()));
    }
  }
  return {};
}

}  // namespace

Result<void> NotifyAction::validate(const Json& base, const Json& configuration) const {
  auto config = decode(base, configuration);
  if (!config) return config.error();
  return check_backends(dispatcher_.get(), config->backends, true);
}

ActionResult NotifyAction::execute(const ExecutionRequest& request) const {
  auto config = decode(request.base_configuration, request.configuration);
  if (!config) return ActionResult::failure(ErrorKind::client, config.error().message);
  if (auto checked = check_backends(dispatcher_.get(), config->backends, false); !checked) {
    return ActionResult::failure(ErrorKind::client, checked.error().message);
  }
  if (dispatcher_) {
    auto targets = config->backends.empty() ? dispatcher_->backend_names() : config->backends;
    dispatcher_->submit(targets, config->message);
  }
  return ActionResult{};
}

}  // namespace utask::actions

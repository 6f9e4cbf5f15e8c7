#pragma once
// Notification settings of utask-cfg (spec config.md §7): backends (`notify_config`) and
// per-action switches (`notify_actions`), validated at load so a mistake stops startup.

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace utask::config {

enum class NotifyAction { task_state_update, task_validation, task_step_update };
enum class NotifyStrategy { always, silent, failure_only, failure_or_done };
enum class NotifyBackendType { opsgenie, slack, webhook };

inline constexpr std::array<NotifyAction, 3> kNotifyActions{
    NotifyAction::task_state_update, NotifyAction::task_validation, NotifyAction::task_step_update};

const char* to_string(NotifyAction a);
const char* to_string(NotifyStrategy s);
const char* to_string(NotifyBackendType t);
std::optional<NotifyAction> notify_action_from_string(std::string_view s);
std::optional<NotifyStrategy> notify_strategy_from_string(std::string_view s);
std::optional<NotifyBackendType> notify_backend_type_from_string(std::string_view s);

struct TemplateNotificationStrategy {
  std::vector<std::string> templates;
  NotifyStrategy strategy = NotifyStrategy::always;
};

struct NotifyBackend {
  std::string name;
  NotifyBackendType type = NotifyBackendType::webhook;
  // Every action present; missing ones default to `always`.
  std::map<NotifyAction, NotifyStrategy> default_strategy;
  std::map<NotifyAction, std::vector<TemplateNotificationStrategy>> template_strategies;

  // opsgenie
  std::string zone;     // global, eu or sandbox
  std::string api_key;  // secret
  std::chrono::nanoseconds timeout{std::chrono::seconds(30)};
  // slack and webhook
  std::string webhook_url;  // secret for slack (the URL holds the token)
  // webhook
  std::map<std::string, std::string> headers;
  std::string username;
  std::string password;          // secret
  std::string credentials_name;  // resolved into username/password at load
};

struct NotifyActionSettings {
  bool disabled = false;
  std::vector<std::string> backends;  // empty = every backend
};

struct NotifyConfig {
  std::map<std::string, NotifyBackend> backends;
  std::map<NotifyAction, NotifyActionSettings> actions;  // every action present

  // Whether `backend` should receive messages of `action` (disabled / notify_backends).
  bool action_enabled_for(NotifyAction action, const std::string& backend) const;
};

// Fills username/password of webhook backends naming `credentials_name` from the values of the
// `notify-webhook-credentials` items ({"credentials_name", "username", "password"}). Zero or
// several matching items is an error naming the backend.
Result<void> resolve_webhook_credentials(NotifyConfig& config,
                                         const std::vector<std::string>& credential_items);

}  // namespace utask::config

#include "config/notify_config.h"

#include <algorithm>

#include "config/fields.h"
#include "config/notify_parse.h"

namespace utask::config {
namespace {

struct Names {
  const char* action[3] = {"task_state_update", "task_validation", "task_step_update"};
  const char* strategy[4] = {"always", "silent", "failure_only", "failure_or_done"};
  const char* type[3] = {"opsgenie", "slack", "webhook"};
};
constexpr Names kNames;

template <class E, size_t N>
std::optional<E> from_table(const char* const (&table)[N], std::string_view s) {
  for (size_t i = 0; i < N; ++i)
    if (s == table[i]) return static_cast<E>(i);
  return std::nullopt;
}

std::string list_of(const auto& table) {
  std::string out;
  for (const char* n : table) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

using detail::fail;
using detail::Fields;

// failure_only / failure_or_done make no sense for task_validation (no failure to wait for).
NotifyStrategy strategy_for(NotifyAction action, const std::string& value, const std::string& path) {
  auto s = notify_strategy_from_string(value);
  if (!s)
    fail(path, "unknown notification strategy \"" + value + "\" (known: " +
                   list_of(kNames.strategy) + ")");
  if (action == NotifyAction::task_validation &&
      (*s == NotifyStrategy::failure_only || *s == NotifyStrategy::failure_or_done))
    fail(path, "notification strategy \"" + value + "\" is not allowed for action task_validation");
  return *s;
}

NotifyAction action_named(const std::string& name, const std::string& path) {
  auto a = notify_action_from_string(name);
  if (!a) fail(path, "unknown notification action \"" + name + "\" (known: " + list_of(kNames.action) + ")");
  return *a;
}

NotifyBackend parse_backend(const std::string& name, const Fields& f) {
  NotifyBackend b;
  b.name = name;
  std::string type = f.string("type");
  auto t = notify_backend_type_from_string(type);
  if (!t)
    fail(f.path("type"), "failed to identify backend type: \"" + type + "\" (known: " +
                             list_of(kNames.type) + ")");
  b.type = *t;

  for (NotifyAction a : kNotifyActions) b.default_strategy[a] = NotifyStrategy::always;
  Fields defaults = f.object("default_notification_strategy");
  for (auto it = defaults.json().begin(); it != defaults.json().end(); ++it) {
    NotifyAction a = action_named(it.key(), defaults.path(it.key()));
    if (!it.value().is_string())
      fail(defaults.path(it.key()), std::string("expected a string, got ") + detail::type_name(it.value()));
    b.default_strategy[a] = strategy_for(a, it.value().get<std::string>(), defaults.path(it.key()));
  }

  Fields per_template = f.object("template_notification_strategies");
  for (auto it = per_template.json().begin(); it != per_template.json().end(); ++it) {
    std::string path = per_template.path(it.key());
    NotifyAction a = action_named(it.key(), path);
    if (!it.value().is_array()) fail(path, std::string("expected a list, got ") + detail::type_name(it.value()));
    auto& list = b.template_strategies[a];
    for (size_t i = 0; i < it.value().size(); ++i) {
      Fields entry = Fields::of(it.value()[i], path + "[" + std::to_string(i) + "]");
      TemplateNotificationStrategy ts;
      ts.templates = entry.strings("templates");
      ts.strategy = strategy_for(a, entry.string("notification_strategy"), entry.path("notification_strategy"));
      list.push_back(std::move(ts));
    }
  }

  Fields cfg = f.object("config");
  switch (b.type) {
    case NotifyBackendType::opsgenie: {
      b.zone = cfg.string("zone");
      if (b.zone != "global" && b.zone != "eu" && b.zone != "sandbox")
        fail(cfg.path("zone"), "unknown opsgenie zone \"" + b.zone + "\" (known: global, eu, sandbox)");
      b.api_key = cfg.string("api_key");
      b.timeout = cfg.duration("timeout", std::chrono::seconds(30));
      break;
    }
    case NotifyBackendType::slack:
      b.webhook_url = cfg.string("webhook_url");
      if (b.webhook_url.empty()) fail(cfg.path("webhook_url"), "missing: a slack backend needs its webhook URL");
      break;
    case NotifyBackendType::webhook:
      b.webhook_url = cfg.string("webhook_url");
      if (b.webhook_url.empty()) fail(cfg.path("webhook_url"), "missing: a webhook backend needs a URL");
      b.headers = cfg.string_map("headers");
      b.username = cfg.string("username");
      b.password = cfg.string("password");
      b.credentials_name = cfg.string("credentials_name");
      break;
  }
  return b;
}

}  // namespace

const char* to_string(NotifyAction a) { return kNames.action[static_cast<int>(a)]; }
const char* to_string(NotifyStrategy s) { return kNames.strategy[static_cast<int>(s)]; }
const char* to_string(NotifyBackendType t) { return kNames.type[static_cast<int>(t)]; }
std::optional<NotifyAction> notify_action_from_string(std::string_view s) {
  return from_table<NotifyAction>(kNames.action, s);
}
std::optional<NotifyStrategy> notify_strategy_from_string(std::string_view s) {
  return from_table<NotifyStrategy>(kNames.strategy, s);
}
std::optional<NotifyBackendType> notify_backend_type_from_string(std::string_view s) {
  return from_table<NotifyBackendType>(kNames.type, s);
}

bool NotifyConfig::action_enabled_for(NotifyAction action, const std::string& backend) const {
  auto it = actions.find(action);
  if (it == actions.end()) return true;
  if (it->second.disabled) return false;
  const auto& list = it->second.backends;
  return list.empty() || std::find(list.begin(), list.end(), backend) != list.end();
}

namespace detail {

NotifyConfig parse_notify(const Fields& utask_cfg, std::vector<std::string>& warnings) {
  NotifyConfig out;
  Fields backends = utask_cfg.object("notify_config");
  for (auto it = backends.json().begin(); it != backends.json().end(); ++it)
    out.backends[it.key()] = parse_backend(it.key(), Fields::of(it.value(), backends.path(it.key())));

  Fields actions = utask_cfg.object("notify_actions");
  for (NotifyAction a : kNotifyActions) {
    Fields p = actions.object(to_string(a));
    NotifyActionSettings s;
    s.disabled = p.boolean("disabled", false);
    s.backends = p.strings("notify_backends");
    for (const auto& name : s.backends)
      if (!out.backends.count(name))
        warnings.push_back("configuration item \"utask-cfg\": field \"" + p.path("notify_backends") +
                           "\": no backend named \"" + name + "\" in notify_config");
    out.actions[a] = std::move(s);
  }
  return out;
}

}  // namespace detail

Result<void> resolve_webhook_credentials(NotifyConfig& config,
                                         const std::vector<std::string>& credential_items) {
  static const char* kItem = "notify-webhook-credentials";
  struct Cred {
    std::string name, username, password;
  };
  std::vector<Cred> creds;
  for (const auto& value : credential_items) {
    auto json = detail::parse_item_json(kItem, value);
    if (!json) return json.error();
    try {
      Fields f = Fields::of(*json, "");
      creds.push_back({f.string("credentials_name"), f.string("username"), f.string("password")});
    } catch (const detail::FieldError& e) {
      return detail::item_error(kItem, e);
    }
  }
  for (auto& [name, backend] : config.backends) {
    if (backend.type != NotifyBackendType::webhook || backend.credentials_name.empty()) continue;
    const Cred* match = nullptr;
    int count = 0;
    for (const auto& c : creds)
      if (c.name == backend.credentials_name) {
        match = &c;
        ++count;
      }
    if (count != 1)
      return detail::item_error(
          "utask-cfg", "notify_config." + name + ".config.credentials_name",
          std::string(count == 0 ? "no" : "several") + " \"" + kItem +
              "\" items with credentials_name \"" + backend.credentials_name + "\" (exactly one needed)");
    backend.username = match->username;
    backend.password = match->password;
  }
  return {};
}

}  // namespace utask::config

#include "service/task_notifier.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "actions/notify/senders/opsgenie_sender.h"
#include "actions/notify/senders/slack_sender.h"
#include "actions/notify/senders/webhook_sender.h"
#include "model/json.h"

namespace utask::service {
namespace {

using actions::notify::NotifyMessage;
using config::NotifyAction;
using config::NotifyStrategy;

void set_if(NotifyMessage& m, const char* key, const std::string& value) {
  if (!value.empty()) m.fields[key] = value;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

std::string tags_text(const std::map<std::string, std::string>& tags) {
  if (tags.empty()) return {};
  Json j = Json::object();
  for (const auto& [k, v] : tags) j[k] = v;
  return to_json_text(j);
}

bool one_of(const std::string& s, std::initializer_list<const char*> values) {
  return std::any_of(values.begin(), values.end(), [&](const char* v) { return s == v; });
}

}  // namespace

TaskNotifier::TaskNotifier(config::NotifyConfig config,
                           std::shared_ptr<actions::notify::Dispatcher> dispatcher,
                           std::string dashboard_url)
    : config_(std::move(config)),
      dispatcher_(std::move(dispatcher)),
      dashboard_url_(std::move(dashboard_url)) {}

NotifyMessage TaskNotifier::message_of(const TaskEvent& e) const {
  NotifyMessage m;
  m.type = config::to_string(e.action);
  m.main = "#task #id:" + e.task.id + "\n" + e.task.title;
  const TaskSnapshot& t = e.task;
  m.fields["task_id"] = t.id;
  m.fields["title"] = t.title;
  m.fields["state"] = t.state;
  m.fields["template"] = t.template_name;
  set_if(m, "requester", t.requester);
  set_if(m, "potential_resolvers", joined(t.potential_resolvers));
  set_if(m, "tags", tags_text(t.tags));
  m.fields["url"] = dashboard_url_ + "/ui/dashboard/#/task/" + t.id;
  if (e.action == NotifyAction::task_validation) return m;
  set_if(m, "resolver", t.resolver);
  m.fields["steps"] = std::to_string(t.steps_done) + "/" + std::to_string(t.steps_total);
  set_if(m, "resolution_id", t.resolution_id);
  if (e.action == NotifyAction::task_step_update) {
    // Always present on step updates (config.md §7.4), even when empty.
    m.fields["requester"] = t.requester;
    m.fields["resolver"] = t.resolver;
    m.fields["resolution_id"] = t.resolution_id;
    m.fields["step_name"] = e.step_name;
    m.fields["step_state"] = e.step_state;
    m.fields.erase("potential_resolvers");
  }
  return m;
}

bool strategy_allows(NotifyStrategy strategy, NotifyAction action, bool template_specific,
                     const NotifyMessage& message) {
  switch (strategy) {
    case NotifyStrategy::always: return true;
    case NotifyStrategy::silent: return false;
    case NotifyStrategy::failure_only:
    case NotifyStrategy::failure_or_done: {
      const bool or_done = strategy == NotifyStrategy::failure_or_done;
      // Template-specific step strategies look at the step; everything else at the task
      // (the original's default step strategy reads the task state too).
      if (template_specific && action == NotifyAction::task_step_update) {
        const std::string s = message.field("step_state");
        return one_of(s, {"FATAL_ERROR", "CRASHED", "AFTERRUN_ERROR"}) || (or_done && s == "DONE");
      }
      const std::string s = message.field("state");
      return s == "BLOCKED" || (or_done && s == "DONE");
    }
  }
  return false;
}

std::vector<std::string> TaskNotifier::recipients(NotifyAction action,
                                                  const NotifyMessage& message) const {
  std::vector<std::string> out;
  const std::string tmpl = message.field("template");
  for (const auto& [name, backend] : config_.backends) {
    if (!config_.action_enabled_for(action, name)) continue;
    std::optional<NotifyStrategy> chosen;
    if (auto it = backend.template_strategies.find(action); it != backend.template_strategies.end()) {
      for (const auto& entry : it->second) {
        if (std::find(entry.templates.begin(), entry.templates.end(), tmpl) != entry.templates.end()) {
          chosen = entry.strategy;
          break;
        }
      }
    }
    bool allowed = false;
    if (chosen) {
      allowed = strategy_allows(*chosen, action, true, message);
    } else {
      auto d = backend.default_strategy.find(action);
      const NotifyStrategy s = d == backend.default_strategy.end() ? NotifyStrategy::always : d->second;
      allowed = strategy_allows(s, action, false, message);
    }
    if (allowed) out.push_back(name);
  }
  return out;
}

void TaskNotifier::notify(std::vector<TaskEvent> events) {
  if (!dispatcher_) return;
  for (const auto& e : events) {
    auto message = message_of(e);
    auto names = recipients(e.action, message);
    if (!names.empty()) dispatcher_->submit(names, message);
  }
}

Result<std::shared_ptr<actions::notify::Dispatcher>> make_notify_dispatcher(
    const config::NotifyConfig& config) {
  namespace n = actions::notify;
  std::vector<std::shared_ptr<const n::Sender>> senders;
  for (const auto& [name, b] : config.backends) {
    switch (b.type) {
      case config::NotifyBackendType::slack:
        senders.push_back(std::make_shared<n::SlackSender>(name, b.webhook_url));
        break;
      case config::NotifyBackendType::webhook:
        senders.push_back(std::make_shared<n::WebhookSender>(
            name, n::WebhookSettings{b.webhook_url, b.headers, b.username, b.password}));
        break;
      case config::NotifyBackendType::opsgenie: {
        auto url = n::opsgenie_zone_url(b.zone);
        if (!url) {
          return Error::invalid_config("opsgenie zone \"" + b.zone + "\" not found",
                                       "utask-cfg.notify_config." + name + ".config.zone");
        }
        senders.push_back(std::make_shared<n::OpsgenieSender>(
            name, *url, b.api_key, std::chrono::duration_cast<std::chrono::milliseconds>(b.timeout)));
        break;
      }
    }
  }
  n::DispatcherOptions options;
  options.on_failure = [](const n::DeliveryFailure& f) {
    spdlog::warn("notification not delivered: backend {} ({}), type {}, task {}: {}", f.backend,
                 f.backend_type, f.notification_type.empty() ? "notify action" : f.notification_type,
                 f.task_id, f.error);
  };
  return std::make_shared<n::Dispatcher>(std::move(senders), std::move(options));
}

Result<TaskNotifications> make_task_notifications(const config::UtaskConfig& utask_cfg) {
  auto dispatcher = make_notify_dispatcher(utask_cfg.notify);
  if (!dispatcher) return dispatcher.error();
  TaskNotifications out;
  out.dispatcher = *dispatcher;
  out.notifier = std::make_unique<TaskNotifier>(
      utask_cfg.notify, out.dispatcher, utask_cfg.base_url + utask_cfg.dashboard_path_prefix);
  return Result<TaskNotifications>(std::move(out));
}

}  // namespace utask::service

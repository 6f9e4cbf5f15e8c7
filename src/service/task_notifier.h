#pragma once
// TaskNotifier: the Notifier of utask-cfg's notify settings (actions.md §8.2, §8.3). For each
// event it builds the message (`#task #id:<id>\n<title>` and the event's fields), picks the
// backends — notify_actions (disabled, notify_backends), then each backend's strategy for the
// event and the task's template — and queues one delivery per backend on the dispatcher.

#include <memory>
#include <string>

#include "actions/notify/senders/dispatcher.h"
#include "actions/notify/senders/notify_message.h"
#include "config/notify_config.h"
#include "config/utask_config.h"
#include "model/error.h"
#include "service/notifier.h"

namespace utask::service {

class TaskNotifier final : public Notifier {
 public:
  // `dashboard_url`: base_url + dashboard_path_prefix, for the `url` field.
  TaskNotifier(config::NotifyConfig config, std::shared_ptr<actions::notify::Dispatcher> dispatcher,
               std::string dashboard_url);
  void notify(std::vector<TaskEvent> events) override;

  // The message of one event (fields as §8.2 lists them for its action).
  actions::notify::NotifyMessage message_of(const TaskEvent& event) const;
  // The backends that receive `message` for `action`, sorted.
  std::vector<std::string> recipients(config::NotifyAction action,
                                      const actions::notify::NotifyMessage& message) const;

 private:
  config::NotifyConfig config_;
  std::shared_ptr<actions::notify::Dispatcher> dispatcher_;
  std::string dashboard_url_;
};

// §8.3's decision for one backend: whether `strategy`, chosen from the template list
// (`template_specific`) or the default, lets `message` of `action` through.
bool strategy_allows(config::NotifyStrategy strategy, config::NotifyAction action,
                     bool template_specific, const actions::notify::NotifyMessage& message);

// The senders of every configured backend (opsgenie zones mapped to their URLs), in a
// dispatcher whose failures are logged (backend name and type, notification type, task id, the
// error — no secret). Errors: invalid_config for an unknown opsgenie zone.
Result<std::shared_ptr<actions::notify::Dispatcher>> make_notify_dispatcher(
    const config::NotifyConfig& config);

// What a server wires from utask-cfg: `dispatcher` as ActionRegistry's BuiltinOptions::notify,
// `notifier` as ServiceContext::notifier and actors' RuntimeOptions::notifier (links use
// base_url + dashboard_path_prefix). Both must outlive the runtime and the API.
struct TaskNotifications {
  std::shared_ptr<actions::notify::Dispatcher> dispatcher;
  std::unique_ptr<TaskNotifier> notifier;
};
Result<TaskNotifications> make_task_notifications(const config::UtaskConfig& utask_cfg);

}  // namespace utask::service

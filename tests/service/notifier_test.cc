// Task-event notifications (actions.md §8.2, §8.3; config.md §7): the messages of each event,
// the strategies per backend and template, the events a run's checkpoints produce, the events
// TaskService reports after its commits, and delivery to a real webhook peer.

#include <gtest/gtest.h>

#include <mutex>

#include "actions/notify/senders/dispatcher.h"
#include "actions/notify/senders/webhook_sender.h"
#include "model/json.h"
#include "service/service_fixture.h"
#include "service/task_events.h"
#include "service/task_notifier.h"
#include "support/http_peer.h"

namespace utask::service {
namespace {

using actions::notify::NotifyMessage;
using config::NotifyAction;
using config::NotifyStrategy;

TaskSnapshot deploy_task(const std::string& state = "RUNNING") {
  TaskSnapshot t;
  t.id = "t1";
  t.title = "Deploy api";
  t.state = state;
  t.template_name = "deploy";
  t.requester = "alice";
  t.resolver = "bob";
  t.resolution_id = "r1";
  t.steps_done = 1;
  t.steps_total = 3;
  t.tags = {{"team", "infra"}};
  return t;
}

TaskNotifier notifier_for(config::NotifyConfig config,
                          std::shared_ptr<actions::notify::Dispatcher> dispatcher = nullptr) {
  return TaskNotifier(std::move(config), std::move(dispatcher), "https://utask.example/prefix");
}

config::NotifyBackend backend(const std::string& name) {
  config::NotifyBackend b;
  b.name = name;
  b.type = config::NotifyBackendType::webhook;
  return b;
}

TEST(TaskNotifier, StateUpdateMessage) {
  TaskEvent e{NotifyAction::task_state_update, deploy_task(), {}, {}};
  e.task.potential_resolvers = {"bob", "carol"};
  NotifyMessage m = notifier_for({}).message_of(e);
  EXPECT_EQ(m.type, "task_state_update");
  EXPECT_EQ(m.main, "#task #id:t1\nDeploy api");
  EXPECT_EQ(m.fields, (std::map<std::string, std::string>{
                          {"task_id", "t1"},
                          {"title", "Deploy api"},
                          {"state", "RUNNING"},
                          {"template", "deploy"},
                          {"requester", "alice"},
                          {"resolver", "bob"},
                          {"steps", "1/3"},
                          {"potential_resolvers", "bob carol"},
                          {"resolution_id", "r1"},
                          {"tags", R"({"team":"infra"})"},
                          {"url", "https://utask.example/prefix/ui/dashboard/#/task/t1"}}));
}

TEST(TaskNotifier, ValidationAndStepMessagesCarryTheirFields) {
  TaskSnapshot fresh = deploy_task("TODO");
  fresh.resolver.clear();
  fresh.resolution_id.clear();
  fresh.tags.clear();
  NotifyMessage v = notifier_for({}).message_of(TaskEvent{NotifyAction::task_validation, fresh, {}, {}});
  EXPECT_EQ(v.type, "task_validation");
  EXPECT_FALSE(v.fields.count("steps"));
  EXPECT_FALSE(v.fields.count("resolver"));
  EXPECT_FALSE(v.fields.count("resolution_id"));
  EXPECT_FALSE(v.fields.count("tags"));
  EXPECT_EQ(v.fields.at("state"), "TODO");

  NotifyMessage s = notifier_for({}).message_of(
      TaskEvent{NotifyAction::task_step_update, deploy_task(), "build", "FATAL_ERROR"});
  EXPECT_EQ(s.type, "task_step_update");
  EXPECT_EQ(s.fields.at("step_name"), "build");
  EXPECT_EQ(s.fields.at("step_state"), "FATAL_ERROR");
  EXPECT_EQ(s.fields.at("resolution_id"), "r1");
  EXPECT_EQ(s.fields.at("steps"), "1/3");
}

struct StrategyCase {
  NotifyStrategy strategy;
  NotifyAction action;
  bool template_specific;
  const char* task_state;
  const char* step_state;
  bool sent;
};

TEST(TaskNotifier, StrategyDecisions) {
  using A = NotifyAction;
  using S = NotifyStrategy;
  const StrategyCase cases[] = {
      {S::always, A::task_state_update, false, "RUNNING", "", true},
      {S::silent, A::task_state_update, false, "BLOCKED", "", false},
      {S::failure_only, A::task_state_update, false, "BLOCKED", "", true},
      {S::failure_only, A::task_state_update, false, "DONE", "", false},
      {S::failure_or_done, A::task_state_update, false, "DONE", "", true},
      {S::failure_or_done, A::task_state_update, true, "RUNNING", "", false},
      // Template-specific step strategies look at the step state...
      {S::failure_only, A::task_step_update, true, "RUNNING", "FATAL_ERROR", true},
      {S::failure_only, A::task_step_update, true, "RUNNING", "CRASHED", true},
      {S::failure_only, A::task_step_update, true, "RUNNING", "AFTERRUN_ERROR", true},
      {S::failure_only, A::task_step_update, true, "BLOCKED", "SERVER_ERROR", false},
      {S::failure_or_done, A::task_step_update, true, "RUNNING", "DONE", true},
      {S::failure_or_done, A::task_step_update, true, "RUNNING", "RUNNING", false},
      // ... the default step strategy at the task state (original behaviour).
      {S::failure_only, A::task_step_update, false, "RUNNING", "FATAL_ERROR", false},
      {S::failure_only, A::task_step_update, false, "BLOCKED", "DONE", true},
  };
  for (const auto& c : cases) {
    NotifyMessage m;
    m.fields = {{"state", c.task_state}, {"step_state", c.step_state}};
    EXPECT_EQ(strategy_allows(c.strategy, c.action, c.template_specific, m), c.sent)
        << config::to_string(c.strategy) << " " << config::to_string(c.action) << " "
        << c.template_specific << " " << c.task_state << " " << c.step_state;
  }
}

TEST(TaskNotifier, RecipientsFollowActionsDefaultsAndTemplates) {
  config::NotifyConfig cfg;
  cfg.backends["chat"] = backend("chat");
  cfg.backends["pager"] = backend("pager");
  cfg.backends["pager"].default_strategy[NotifyAction::task_state_update] = NotifyStrategy::failure_only;
  cfg.backends["pager"].template_strategies[NotifyAction::task_state_update] = {
      {{"noisy"}, NotifyStrategy::silent}, {{"deploy"}, NotifyStrategy::always}};
  cfg.actions[NotifyAction::task_validation] = {false, {"chat"}};
  cfg.actions[NotifyAction::task_step_update] = {true, {}};
  auto n = notifier_for(cfg);

  auto message = [&](const std::string& tmpl, const std::string& state) {
    NotifyMessage m;
    m.fields = {{"template", tmpl}, {"state", state}};
    return m;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(n.recipients(NotifyAction::task_state_update, message("other", "RUNNING")), V{"chat"});
  EXPECT_EQ(n.recipients(NotifyAction::task_state_update, message("other", "BLOCKED")), (V{"chat", "pager"}));
  EXPECT_EQ(n.recipients(NotifyAction::task_state_update, message("deploy", "RUNNING")), (V{"chat", "pager"}));
  EXPECT_EQ(n.recipients(NotifyAction::task_state_update, message("noisy", "BLOCKED")), V{"chat"});
  EXPECT_EQ(n.recipients(NotifyAction::task_validation, message("other", "TODO")), V{"chat"});
  EXPECT_EQ(n.recipients(NotifyAction::task_step_update, message("other", "BLOCKED")), V{});
}

TEST(TaskNotifier, DeliversToAWebhookPeer) {
  testing::HttpPeer peer;
  peer.on("POST", "/hook", testing::PeerResponse{200, {}, ""});
  config::NotifyConfig cfg;
  cfg.backends["hook"] = backend("hook");
  cfg.backends["hook"].webhook_url = peer.url("/hook");
  auto dispatcher = make_notify_dispatcher(cfg);
  ASSERT_TRUE(dispatcher.ok());
  auto n = notifier_for(cfg, *dispatcher);
  n.notify({TaskEvent{NotifyAction::task_state_update, deploy_task("BLOCKED"), {}, {}}});
  ASSERT_TRUE((*dispatcher)->wait_idle(std::chrono::seconds(10)));
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  Json body = parse_json(requests[0].body).value();
  EXPECT_EQ(body["notification_type"], "task_state_update");
  EXPECT_EQ(body["message"], "#task #id:t1\nDeploy api");
  EXPECT_EQ(body["state"], "BLOCKED");
  EXPECT_EQ(body["url"], "https://utask.example/prefix/ui/dashboard/#/task/t1");
}

TEST(TaskNotifier, UnknownOpsgenieZoneIsAConfigurationError) {
  config::NotifyConfig cfg;
  cfg.backends["og"] = backend("og");
  cfg.backends["og"].type = config::NotifyBackendType::opsgenie;
  cfg.backends["og"].zone = "mars";
  auto d = make_notify_dispatcher(cfg);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::invalid_config);
  EXPECT_EQ(d.error().message, "opsgenie zone \"mars\" not found");
  cfg.backends["og"].zone = "eu";
  auto ok = make_notify_dispatcher(cfg);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->backend_names(), std::vector<std::string>{"og"});
}

TEST(TaskNotifier, ServerWiringFromUtaskCfg) {
  config::UtaskConfig cfg;
  cfg.base_url = "https://utask.example";
  cfg.dashboard_path_prefix = "/ops";
  cfg.notify.backends["chat"] = backend("chat");
  cfg.notify.backends["chat"].type = config::NotifyBackendType::slack;
  cfg.notify.backends["chat"].webhook_url = "http://127.0.0.1:9/never-called";
  auto wired = make_task_notifications(cfg);
  ASSERT_TRUE(wired.ok()) << wired.error().message;
  EXPECT_EQ(wired->dispatcher->backend_names(), std::vector<std::string>{"chat"});
  auto m = wired->notifier->message_of(TaskEvent{NotifyAction::task_state_update, deploy_task(), {}, {}});
  EXPECT_EQ(m.fields.at("url"), "https://utask.example/ops/ui/dashboard/#/task/t1");
  cfg.notify.backends["chat"].type = config::NotifyBackendType::opsgenie;
  cfg.notify.backends["chat"].zone = "nowhere";
  EXPECT_FALSE(make_task_notifications(cfg).ok());
}

engine::ResolutionState resolution_with(std::map<std::string, std::string> step_states,
                                        const std::string& task_state) {
  engine::ResolutionState r;
  r.id = "r1";
  r.resolver_username = "bob";
  r.task.id = "t1";
  r.task.state = task_state;
  for (auto& [name, state] : step_states) r.steps[name].state = state;
  return r;
}

TEST(TaskEventTracker, AnnouncesStateChangesOnly) {
  TaskEventTracker tracker;
  auto r = resolution_with({{"a", "TODO"}, {"b", "TODO"}}, "TODO");
  tracker.reset(r);
  r.steps["a"].state = "RUNNING";
  r.task.state = "RUNNING";
  engine::Changes changes;
  changes.steps = {"a", "b"};  // b was upserted without a new state
  changes.task = true;
  auto events = tracker.collect(r, changes);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].action, NotifyAction::task_step_update);
  EXPECT_EQ(events[0].step_name, "a");
  EXPECT_EQ(events[0].step_state, "RUNNING");
  EXPECT_EQ(events[1].action, NotifyAction::task_state_update);
  EXPECT_EQ(events[1].task.state, "RUNNING");
  EXPECT_EQ(events[1].task.resolution_id, "r1");
  // The same states again: nothing new.
  EXPECT_TRUE(tracker.collect(r, changes).empty());
  // A foreach child appears with its first state.
  r.steps["a-0"].state = "DONE";
  changes = {};
  changes.steps = {"a-0"};
  events = tracker.collect(r, changes);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].step_name, "a-0");
}

class RecordingNotifier : public Notifier {
 public:
  void notify(std::vector<TaskEvent> events) override {
    std::lock_guard lock(mutex);
    for (auto& e : events) received.push_back(std::move(e));
  }
  std::mutex mutex;
  std::vector<TaskEvent> received;
};

class TaskServiceEventsTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    add_standard_templates();
    ctx_.notifier = &notifier_;
  }
  RecordingNotifier notifier_;
};

TEST_P(TaskServiceEventsTest, CreationAnnouncesTheTaskAndAsksForValidation) {
  TaskService tasks(ctx_);
  CreateTaskRequest manual;
  manual.template_name = "manual";
  manual.input = {{"reason", "x"}};
  auto created = tasks.create_task(as("req"), manual);
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_EQ(notifier_.received.size(), 2u);
  EXPECT_EQ(notifier_.received[0].action, NotifyAction::task_state_update);
  EXPECT_EQ(notifier_.received[0].task.id, created->task.id);
  EXPECT_EQ(notifier_.received[0].task.state, "TODO");
  EXPECT_EQ(notifier_.received[0].task.potential_resolvers, std::vector<std::string>{"owner"});
  EXPECT_EQ(notifier_.received[1].action, NotifyAction::task_validation);

  // An auto-run task needs nobody: no validation request.
  notifier_.received.clear();
  CreateTaskRequest all;
  all.template_name = "allow-all";
  ASSERT_TRUE(tasks.create_task(as("req"), all).ok());
  ASSERT_EQ(notifier_.received.size(), 1u);
  EXPECT_EQ(notifier_.received[0].action, NotifyAction::task_state_update);
  EXPECT_EQ(notifier_.received[0].task.potential_resolvers, std::vector<std::string>{"req"});
  EXPECT_FALSE(notifier_.received[0].task.resolution_id.empty());
}

TEST_P(TaskServiceEventsTest, WontfixIsAnnouncedAndARefusalIsNot) {
  TaskService tasks(ctx_);
  CreateTaskRequest manual;
  manual.template_name = "manual";
  auto created = tasks.create_task(as("req"), manual);
  ASSERT_TRUE(created.ok()) << created.error().message;
  notifier_.received.clear();
  ASSERT_FALSE(tasks.wontfix(as("eve"), created->task.id).ok());
  EXPECT_TRUE(notifier_.received.empty());
  ASSERT_TRUE(tasks.wontfix(as("admin"), created->task.id).ok());
  ASSERT_EQ(notifier_.received.size(), 1u);
  EXPECT_EQ(notifier_.received[0].task.state, "WONTFIX");
}

TEST_P(TaskServiceEventsTest, AFailedCreationAnnouncesNothing) {
  TaskService tasks(ctx_);
  CreateTaskRequest blocked;
  blocked.template_name = "blocked-template";
  ASSERT_FALSE(tasks.create_task(as("req"), blocked).ok());
  EXPECT_TRUE(notifier_.received.empty());
}

TEST_P(TaskServiceEventsTest, OperatorEditsAnnounceStepAndTaskStates) {
  TaskService tasks(ctx_);
  CreateTaskRequest hello;
  hello.template_name = "hello";
  hello.input = {{"name", "bob"}};
  auto created = tasks.create_task(as("req"), hello);
  ASSERT_TRUE(created.ok()) << created.error().message;
  ResolutionService resolutions(ctx_);
  auto res = resolutions.create_resolution(as("owner"), {created->task.id, Json::object(), false});
  ASSERT_TRUE(res.ok()) << res.error().message;
  const std::string rid = (*res)["id"].get<std::string>();
  ASSERT_TRUE(resolutions.pause(as("owner"), rid, false).ok());
  notifier_.received.clear();

  // A refused edit announces nothing.
  ASSERT_FALSE(resolutions.set_step_state(as("owner"), rid, "greet", "NOPE").ok());
  EXPECT_TRUE(notifier_.received.empty());
  ASSERT_TRUE(resolutions.set_step_state(as("owner"), rid, "custom", "SPECIAL").ok());
  ASSERT_EQ(notifier_.received.size(), 1u);
  EXPECT_EQ(notifier_.received[0].action, NotifyAction::task_step_update);
  EXPECT_EQ(notifier_.received[0].step_name, "custom");
  EXPECT_EQ(notifier_.received[0].step_state, "SPECIAL");
  EXPECT_EQ(notifier_.received[0].task.resolution_id, rid);

  notifier_.received.clear();
  ASSERT_TRUE(resolutions.cancel(as("owner"), rid).ok());
  ASSERT_EQ(notifier_.received.size(), 1u);
  EXPECT_EQ(notifier_.received[0].action, NotifyAction::task_state_update);
  EXPECT_EQ(notifier_.received[0].task.state, "CANCELLED");
}

UTASK_SERVICE_TEST_SUITE(TaskServiceEventsTest);

}  // namespace
}  // namespace utask::service

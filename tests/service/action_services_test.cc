// ActionServicesImpl on a real store: child tasks (identity, reserved tag, auto-run, delay),
// batch waves (new batch, joining, re-creating a collected batch), reads, run_max, parents
// woken by a child's WONTFIX, and callbacks end to end (create, URL, call, refusals).

#include <gtest/gtest.h>

#include "model/json.h"
#include "service/action_services_impl.h"
#include "service/service_fixture.h"

namespace utask::testing {
namespace {

using service::ActionServicesImpl;

class ActionServicesTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    add_standard_templates();
    config::CallbackConfig cb;
    cb.base_url = "http://utask.example";
    cb.path_prefix = "/unsecured/callback";
    services_ = std::make_unique<ActionServicesImpl>(ctx_, cb);
  }
  // A parent task with a resolution (as a running parent has).
  std::pair<std::string, std::string> parent() {
    service::TaskService tasks(ctx_);
    service::CreateTaskRequest r;
    r.template_name = "hello";
    r.input = {{"name", "parent"}};
    auto created = tasks.create_task(as("admin"), r);
    EXPECT_TRUE(created.ok());
    return {created->task.id, *created->task.resolution_id};
  }
  actions::ChildTaskRequest child(const std::string& parent_id, const std::string& requester = "req") {
    actions::ChildTaskRequest c;
    c.template_name = "hello";
    c.parent_task_id = parent_id;
    c.requester = {requester, {"devs"}};
    c.input = {{"name", "child"}};
    c.comment = "Auto created subtask, parent task " + parent_id;
    return c;
  }
  int64_t wake_seq(const std::string& rid) {
    return store().get_resolution(rid, persistence::ResolutionView::without_steps)->wake_seq;
  }
  std::unique_ptr<ActionServicesImpl> services_;
};

TEST_P(ActionServicesTest, ChildTaskCarriesParentAndRequester) {
  const auto [pid, prid] = parent();
  auto created = services_->create_child_task(child(pid));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->state, "TODO");
  EXPECT_FALSE(created->has_resolution);  // req may not run hello: waits for a human
  EXPECT_FALSE(created->resolver_username);
  EXPECT_EQ(created->requester_username, "req");
  auto task = store().get_task(created->id);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->tags.at("_utask_parent_task_id"), pid);
  EXPECT_EQ(task->parent_task_id, pid);
  EXPECT_EQ(task->requester_groups, std::vector<std::string>{"devs"});
  auto comments = store().list_comments(created->id);
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ((*comments)[0].content, "Auto created subtask, parent task " + pid);

  auto view = services_->get_task(created->id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->id, created->id);
  EXPECT_EQ(view->result, Json::object({{"greeting", "{{.step.greet.output.v}}"}}));
  EXPECT_EQ(services_->get_task("00000000-0000-4000-8000-000000000000").error().code, ErrorCode::not_found);
}

TEST_P(ActionServicesTest, ChildAutoRunsForManagersWithDelay) {
  const auto [pid, prid] = parent();
  auto c = child(pid, "owner");
  c.delay = std::chrono::seconds(30);
  auto created = services_->create_child_task(c);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(created->has_resolution);
  EXPECT_EQ(created->resolver_username, std::optional<std::string>("owner"));
  EXPECT_EQ(created->state, "DELAYED");
  auto task = store().get_task(created->id);
  auto res = store().get_resolution(*task->resolution_id, persistence::ResolutionView::without_steps);
  EXPECT_EQ(res->state, "TO_AUTORUN_DELAYED");
}

TEST_P(ActionServicesTest, ChildCreationRefusals) {
  const auto [pid, prid] = parent();
  auto c = child(pid);
  c.tags["_utask_parent_task_id"] = "x";
  EXPECT_EQ(services_->create_child_task(c).error().code, ErrorCode::invalid_input);
  c = child(pid);
  c.template_name = "nope";
  EXPECT_EQ(services_->create_child_task(c).error().code, ErrorCode::not_found);
  c = child(pid);
  c.input = Json::object();
  auto invalid = services_->create_child_task(c);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().message, "Failed to create new Task: Missing input 'name'");
  c = child(pid);
  c.template_name = "blocked-template";
  EXPECT_EQ(services_->create_child_task(c).error().message, "Template not available (blocked)");
}

TEST_P(ActionServicesTest, BatchWaves) {
  const auto [pid, prid] = parent();
  actions::BatchWaveRequest wave;
  wave.template_name = "hello";
  wave.parent_task_id = pid;
  wave.requester = {"req", {}};
  wave.inputs = {Json{{"name", "a"}}, Json{{"name", "b"}}};
  wave.tags = {{"wave", "1"}};
  auto first = services_->create_batch_wave(wave);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->tasks.size(), 2u);
  EXPECT_FALSE(first->batch_id.empty());
  for (const auto& t : first->tasks) EXPECT_EQ(t.batch_id, first->batch_id);

  wave.batch_id = first->batch_id;
  wave.inputs = {Json{{"name", "c"}}};
  auto second = services_->create_batch_wave(wave);
  ASSERT_TRUE(second.ok()) << second.error().message;
  auto states = services_->batch_task_states(first->batch_id);
  ASSERT_TRUE(states.ok()) << states.error().message;
  EXPECT_EQ(states->size(), 3u);
  auto child = store().get_task(second->tasks[0].id);
  EXPECT_EQ(child->tags.at("_utask_parent_task_id"), pid);
  EXPECT_EQ(child->tags.at("wave"), "1");

  // A batch that is gone (collected) is created again with the same id.
  const std::string gone = "9b2f4c1e-1111-4222-8333-444455556666";
  EXPECT_EQ(services_->batch_task_states(gone).error().code, ErrorCode::not_found);
  wave.batch_id = gone;
  auto again = services_->create_batch_wave(wave);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->batch_id, gone);
  EXPECT_EQ(services_->batch_task_states(gone)->size(), 1u);

  // One bad input: nothing of the wave is created.
  wave.inputs = {Json{{"name", "d"}}, Json::object()};
  EXPECT_FALSE(services_->create_batch_wave(wave).ok());
  EXPECT_EQ(services_->batch_task_states(gone)->size(), 1u);
}

TEST_P(ActionServicesTest, ChildWontfixWakesParent) {
  const auto [pid, prid] = parent();
  auto created = services_->create_child_task(child(pid));
  ASSERT_TRUE(created.ok());
  const int64_t before = wake_seq(prid);
  service::TaskService tasks(ctx_);
  ASSERT_TRUE(tasks.wontfix(as("req"), created->id).ok());
  EXPECT_EQ(wake_seq(prid), before + 1);
}

TEST_P(ActionServicesTest, RunMaxAndTemplates) {
  const auto [pid, prid] = parent();
  const int before = store().get_resolution(prid, persistence::ResolutionView::without_steps)->run_max;
  ASSERT_TRUE(services_->add_run_max(prid, 3).ok());
  EXPECT_EQ(store().get_resolution(prid, persistence::ResolutionView::without_steps)->run_max, before + 3);
  EXPECT_TRUE(services_->template_exists("hello").value());
  EXPECT_FALSE(services_->template_exists("nope").value());
}

TEST_P(ActionServicesTest, CallbackRoundTrip) {
  const auto [pid, prid] = parent();
  actions::NewCallbackRequest request{pid, prid, "admin",
                                      Json{{"type", "object"}, {"required", {"ok"}}}};
  auto cb = services_->create_callback(request);
  ASSERT_TRUE(cb.ok()) << cb.error().message;
  EXPECT_EQ(cb->id.size(), 36u);
  EXPECT_EQ(cb->token.size(), 36u);
  EXPECT_NE(cb->id, cb->token);
  EXPECT_FALSE(cb->called);
  EXPECT_EQ(services_->callback_url(cb->id, cb->token),
            "http://utask.example/unsecured/callback/" + cb->id + "?t=" + cb->token);

  const std::string unknown = "failed to load callback from public id: callback not found";
  auto wrong = service::resolve_callback(ctx_, cb->id, "not-the-token", Json{{"ok", true}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::not_found);
  EXPECT_EQ(wrong.error().message, unknown);
  EXPECT_EQ(service::resolve_callback(ctx_, "00000000-0000-4000-8000-000000000000", cb->token, {}).error().message,
            unknown);

  auto early = service::resolve_callback(ctx_, cb->id, cb->token, Json{{"ok", true}});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().message, "related task is not in a valid state: TODO");
  force_resolution_state(prid, "WAITING", "WAITING");

  auto invalid = service::resolve_callback(ctx_, cb->id, cb->token, Json{{"nope", 1}});
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(invalid.error().message.rfind("unable to validate body: ", 0), 0u) << invalid.error().message;

  const int64_t before = wake_seq(prid);
  const int wakes = runner_.wakes;
  ASSERT_TRUE(service::resolve_callback(ctx_, cb->id, cb->token, Json{{"ok", true}, {"n", 12345678901234567890u}}).ok());
  EXPECT_EQ(wake_seq(prid), before + 1);
  EXPECT_EQ(runner_.wakes, wakes + 1);
  auto seen = services_->get_callback(cb->id);
  ASSERT_TRUE(seen.ok());
  ASSERT_TRUE(seen->called);
  EXPECT_EQ(seen->body["ok"], true);
  EXPECT_EQ(to_json_text(seen->body["n"]), "12345678901234567890");
  EXPECT_EQ(seen->schema["required"][0], "ok");

  auto twice = service::resolve_callback(ctx_, cb->id, cb->token, Json{{"ok", true}});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().message, "callback has already been resolved");
}

TEST_P(ActionServicesTest, CallbackNeedsItsTasksResolution) {
  const auto [pid, prid] = parent();
  const auto [other, other_rid] = parent();
  EXPECT_EQ(services_->create_callback({pid, other_rid, "admin", nullptr}).error().code, ErrorCode::conflict);
  EXPECT_EQ(services_->create_callback({"00000000-0000-4000-8000-000000000000", prid, "admin", nullptr}).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(services_->get_callback("00000000-0000-4000-8000-000000000000").error().code, ErrorCode::not_found);
  auto plain = services_->create_callback({pid, prid, "admin", nullptr});
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->schema.is_null());
  EXPECT_TRUE(plain->body.is_null());
}

UTASK_SERVICE_TEST_SUITE(ActionServicesTest);

}  // namespace
}  // namespace utask::testing

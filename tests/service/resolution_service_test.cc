// ResolutionService on a real store: creation and start-over, stripped reads, explicit runs
// and the operators' edits with their refusals (api.md §5.6).

#include <gtest/gtest.h>

#include "model/json.h"
#include "service/service_fixture.h"

namespace utask::testing {
namespace {

using service::ResolutionService;

class ResolutionServiceTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    add_standard_templates();
  }
  // A task of `hello` with a TO_AUTORUN resolution (created by the admin); its resolution id.
  std::string hello_resolution(const std::vector<std::string>& watchers = {}) {
    service::TaskService tasks(ctx_);
    service::CreateTaskRequest r;
    r.template_name = "hello";
    r.input = {{"name", "bob"}};
    r.watcher_usernames = watchers;
    auto created = tasks.create_task(as("req"), r);
    EXPECT_TRUE(created.ok());
    ResolutionService resolutions(ctx_);
    auto res = resolutions.create_resolution(as("owner"), {created->task.id, Json::object(), false});
    EXPECT_TRUE(res.ok()) << res.error().message;
    return res ? (*res)["id"].get<std::string>() : std::string();
  }
  void expect_error(const Result<void>& r, ErrorCode code, const std::string& message) {
    ASSERT_FALSE(r.ok()) << message;
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_EQ(r.error().message, message);
  }
  std::vector<std::string> comments_of_resolution(const std::string& rid) {
    auto r = store().get_resolution(rid, persistence::ResolutionView::without_steps);
    auto c = store().list_comments(r->task_id);
    std::vector<std::string> out;
    for (const auto& comment : *c) out.push_back(comment.content);
    return out;
  }
};

TEST_P(ResolutionServiceTest, CreateChecks) {
  ResolutionService resolutions(ctx_);
  auto missing = resolutions.create_resolution(as("owner"), {"00000000-0000-4000-8000-000000000000", {}, false});
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);

  const auto task = make_task("manual", "req");
  auto over = resolutions.create_resolution(as("owner"), {task.id, Json::object(), true});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().message, "can't start over a task that hasn't been resolved at least once");

  for (const char* who : {"req", "eve"}) {
    auto denied = resolutions.create_resolution(as(who), {task.id, {{"reason", "r"}}, false});
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().code, ErrorCode::forbidden);
    EXPECT_EQ(denied.error().message, "You are not allowed to resolve this task");
  }

  auto no_inputs = resolutions.create_resolution(as("owner"), {task.id, Json::object(), false});
  ASSERT_FALSE(no_inputs.ok());
  EXPECT_EQ(no_inputs.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(no_inputs.error().message, "Failed to create Resolution: Missing input 'reason'");

  auto created = resolutions.create_resolution(as("owner"), {task.id, {{"reason", "r"}}, false});
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ((*created)["state"], "TO_AUTORUN");
  EXPECT_EQ((*created)["run_max"], 5);
  EXPECT_EQ((*created)["resolver_username"], "owner");
  EXPECT_EQ((*created)["steps"]["only"]["state"], "TODO");
  EXPECT_EQ(runner_.wakes, 1);

  auto twice = resolutions.create_resolution(as("owner"), {task.id, {{"reason", "r"}}, false});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::conflict);
}

TEST_P(ResolutionServiceTest, AdminBecomesResolverAndWontfixIsRefused) {
  ResolutionService resolutions(ctx_);
  const auto task = make_task("manual", "req");
  ASSERT_TRUE(resolutions.create_resolution(as("admin"), {task.id, {{"reason", "r"}}, false}).ok());
  auto stored = store().get_task(task.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->resolver_usernames, std::vector<std::string>{"admin"});

  service::TaskService tasks(ctx_);
  const auto rejected = make_task("manual", "req");
  ASSERT_TRUE(tasks.wontfix(as("req"), rejected.id).ok());
  auto refused = resolutions.create_resolution(as("admin"), {rejected.id, {{"reason", "r"}}, false});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "Failed to create Resolution: Task is in state WONTFIX");
}

TEST_P(ResolutionServiceTest, StartOver) {
  ResolutionService resolutions(ctx_);
  const auto task = make_task("manual", "req");
  auto first = resolutions.create_resolution(as("owner"), {task.id, {{"reason", "r"}}, false});
  ASSERT_TRUE(first.ok());
  const std::string old_id = (*first)["id"];
  auto busy = resolutions.create_resolution(as("owner"), {task.id, {{"reason", "r"}}, true});
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().message,
            "can't start over a task that isn't in status \"PAUSED\", \"BLOCKED_BADREQUEST\" or \"CANCELLED\"");
  ASSERT_TRUE(resolutions.pause(as("owner"), old_id, false).ok());
  auto again = resolutions.create_resolution(as("owner"), {task.id, {{"reason", "r2"}}, true});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_NE((*again)["id"], old_id);
  EXPECT_EQ(store().get_resolution(old_id, persistence::ResolutionView::without_steps).error().code,
            ErrorCode::not_found);

  // Without allow_task_start_over only admins may.
  const std::string rid = hello_resolution();
  ASSERT_TRUE(resolutions.pause(as("owner"), rid, false).ok());
  auto r = store().get_resolution(rid, persistence::ResolutionView::without_steps);
  auto denied = resolutions.create_resolution(as("owner"), {r->task_id, Json::object(), true});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().message, "You are not allowed to start over this task");
  EXPECT_TRUE(resolutions.create_resolution(as("admin"), {r->task_id, Json::object(), true}).ok());
}

TEST_P(ResolutionServiceTest, ReadsAreStrippedForNonManagers) {
  ResolutionService resolutions(ctx_);
  const auto task = make_task("manual", "req");
  auto created = resolutions.create_resolution(as("owner"), {task.id, {{"reason", "secret reason"}}, false});
  ASSERT_TRUE(created.ok());
  const std::string rid = (*created)["id"];
  auto denied = resolutions.get_resolution(as("eve"), rid);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().message, "Can't display resolution details");

  auto full = resolutions.get_resolution(as("owner"), rid);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ((*full)["resolver_inputs"]["reason"], "secret reason");
  auto stripped = resolutions.get_resolution(as("req"), rid);
  ASSERT_TRUE(stripped.ok());
  EXPECT_FALSE(stripped->contains("resolver_inputs"));
  EXPECT_TRUE((*stripped)["steps"].contains("only"));

  auto step = resolutions.get_step(as("req"), rid, "only");
  ASSERT_TRUE(step.ok()) << step.error().message;
  EXPECT_EQ((*step)["state"], "TODO");
  auto unknown = resolutions.get_step(as("owner"), rid, "nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  EXPECT_EQ(unknown.error().message, "given stepName \"nope\" for this resolution not found");
  EXPECT_EQ(resolutions.get_step(as("eve"), rid, "only").error().code, ErrorCode::forbidden);
}

TEST_P(ResolutionServiceTest, RunCommentsFirstThenStarts) {
  ResolutionService resolutions(ctx_);
  const std::string rid = hello_resolution();
  expect_error(resolutions.run(as("req"), rid), ErrorCode::forbidden, "You are not allowed to resolve this task");
  EXPECT_TRUE(runner_.runs.empty());
  ASSERT_TRUE(resolutions.run(as("owner"), rid).ok());
  EXPECT_EQ(runner_.runs, std::vector<std::string>{rid});
  runner_.run_result = Error{ErrorCode::conflict, "Can't run resolution: already done", {}};
  expect_error(resolutions.run(as("admin"), rid), ErrorCode::conflict, "Can't run resolution: already done");
  EXPECT_EQ(comments_of_resolution(rid),
            (std::vector<std::string>{"manually ran resolution", "manually ran resolution"}));
}

TEST_P(ResolutionServiceTest, PauseRules) {
  ResolutionService resolutions(ctx_);
  const std::string rid = hello_resolution({"wat"});
  expect_error(resolutions.pause(as("wat"), rid, false), ErrorCode::forbidden, "You are not allowed to pause this task");
  expect_error(resolutions.pause(as("owner"), rid, true), ErrorCode::forbidden, "Not an admin user");
  force_resolution_state(rid, "RUNNING", "RUNNING");
  expect_error(resolutions.pause(as("owner"), rid, false), ErrorCode::conflict,
               "Can't pause resolution while in state RUNNING");
  // A forced pause takes the resolution away from a live holder.
  auto instance = store().register_instance(persistence::Instance{0, "h", 1, "v", {}, {}});
  ASSERT_TRUE(instance.ok());
  auto lease = store().acquire_lease(rid, instance->id);
  ASSERT_TRUE(lease.ok()) << lease.error().message;
  ASSERT_TRUE(resolutions.pause(as("admin"), rid, true).ok());
  EXPECT_EQ(store().checkpoint(*lease, {}).error().code, ErrorCode::lease_lost);
  auto r = store().get_resolution(rid, persistence::ResolutionView::without_steps);
  EXPECT_EQ(r->state, "PAUSED");
  EXPECT_EQ(comments_of_resolution(rid), std::vector<std::string>{"manually paused resolution"});
}

TEST_P(ResolutionServiceTest, ExtendRules) {
  ResolutionService resolutions(ctx_);
  const std::string rid = hello_resolution();
  expect_error(resolutions.extend(as("eve"), rid), ErrorCode::forbidden, "Not allowed to extend resolution");
  expect_error(resolutions.extend(as("owner"), rid), ErrorCode::conflict,
               "Cannot extend a resolution which is not in state 'BLOCKED_MAXRETRIES'");
  force_resolution_state(rid, "BLOCKED_MAXRETRIES", "BLOCKED");
  const auto before = store().get_resolution(rid, persistence::ResolutionView::without_steps);
  ASSERT_TRUE(resolutions.extend(as("owner"), rid).ok());
  const auto after = store().get_resolution(rid, persistence::ResolutionView::without_steps);
  EXPECT_EQ(after->state, "ERROR");
  EXPECT_EQ(after->run_max, before->run_max + 100);  // hello has no retry_max
  EXPECT_TRUE(after->next_retry);
}

TEST_P(ResolutionServiceTest, CancelRules) {
  ResolutionService resolutions(ctx_);
  const std::string rid = hello_resolution();
  expect_error(resolutions.cancel(as("req"), rid), ErrorCode::forbidden, "You are not allowed to cancel this task");
  force_resolution_state(rid, "DONE", "DONE");
  expect_error(resolutions.cancel(as("owner"), rid), ErrorCode::conflict, "Can't cancel resolution: state DONE");
  force_resolution_state(rid, "ERROR", "RUNNING");
  ASSERT_TRUE(resolutions.cancel(as("owner"), rid).ok());
  auto r = store().get_resolution(rid, persistence::ResolutionView::without_steps);
  EXPECT_EQ(r->state, "CANCELLED");
  EXPECT_EQ(store().get_task(r->task_id)->state, "CANCELLED");
  EXPECT_EQ(comments_of_resolution(rid), std::vector<std::string>{"cancelled resolution"});
}

TEST_P(ResolutionServiceTest, StepStateRules) {
  ResolutionService resolutions(ctx_);
  const std::string rid = hello_resolution();
  EXPECT_EQ(resolutions.set_step_state(as("owner"), rid, "nope", "DONE").error().code, ErrorCode::not_found);
  expect_error(resolutions.set_step_state(as("owner"), rid, "greet", "DONE"), ErrorCode::conflict,
               "Cannot update a resolution which is not in state 'PAUSED'");
  ASSERT_TRUE(resolutions.pause(as("owner"), rid, false).ok());
  // Task resolvers are not enough: admin or template owner.
  expect_error(resolutions.set_step_state(as("req"), rid, "greet", "DONE"), ErrorCode::forbidden,
               "Can't update resolution step state");
  expect_error(resolutions.set_step_state(as("owner"), rid, "greet", "NOPE"), ErrorCode::invalid_input,
               "invalid state provided: \"NOPE\" is not allowed");
  expect_error(resolutions.set_step_state(as("owner"), rid, "greet", "SPECIAL"), ErrorCode::invalid_input,
               "invalid state provided: \"SPECIAL\" is not allowed");
  ASSERT_TRUE(resolutions.set_step_state(as("owner"), rid, "custom", "SPECIAL").ok());
  ASSERT_TRUE(resolutions.set_step_state(as("x", {"owners"}), rid, "greet", "DONE").ok());
  auto step = store().get_step(rid, "custom");
  EXPECT_EQ(step->state, "SPECIAL");
  auto comments = comments_of_resolution(rid);
  ASSERT_EQ(comments.size(), 3u);
  EXPECT_EQ(comments[1], "manually updated resolution step custom state from TODO to SPECIAL");
}

TEST_P(ResolutionServiceTest, HotFixResolutionValidatesSteps) {
  ResolutionService resolutions(ctx_);
  const std::string rid = hello_resolution();
  auto full = resolutions.get_resolution(as("admin"), rid);
  ASSERT_TRUE(full.ok());
  Json greet = (*full)["steps"]["greet"];

  service::UpdateResolutionRequest u;
  u.steps = Json{{"greet", greet}};
  EXPECT_EQ(resolutions.update_resolution(as("owner"), rid, u).error().code, ErrorCode::unauthorized);
  expect_error(resolutions.update_resolution(as("admin"), rid, u), ErrorCode::conflict,
               "Cannot update a resolution which is not in state 'PAUSED'");
  ASSERT_TRUE(resolutions.pause(as("admin"), rid, false).ok());

  Json broken = greet;
  broken["action"]["type"] = "no-such-action";
  u.steps = Json{{"greet", broken}};
  auto invalid = resolutions.update_resolution(as("admin"), rid, u);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(invalid.error().message.rfind("invalid step greet: ", 0), 0u) << invalid.error().message;

  Json bad_state = greet;
  bad_state["state"] = "NOPE";
  u.steps = Json{{"greet", bad_state}};
  expect_error(resolutions.update_resolution(as("admin"), rid, u), ErrorCode::invalid_input,
               "step \"greet\": invalid state provided: \"NOPE\" is not allowed");

  Json fixed = greet;
  fixed["state"] = "DONE";
  u.steps = Json{{"greet", fixed}};
  u.resolver_inputs = Json{{"k", "v"}};
  ASSERT_TRUE(resolutions.update_resolution(as("admin"), rid, u).ok());
  auto after = store().get_resolution(rid, persistence::ResolutionView::with_steps);
  ASSERT_EQ(after->steps.size(), 1u);  // the whole map was replaced
  EXPECT_EQ(after->steps[0].state, "DONE");
  EXPECT_EQ(parse_json(after->resolver_inputs_json).value()["k"], "v");
  EXPECT_EQ(comments_of_resolution(rid).back(), "manually updated resolution");
}

TEST_P(ResolutionServiceTest, HotFixOneStep) {
  ResolutionService resolutions(ctx_);
  const std::string rid = hello_resolution();
  auto full = resolutions.get_resolution(as("admin"), rid);
  Json step = (*full)["steps"]["custom"];
  EXPECT_EQ(resolutions.update_step(as("owner"), rid, "custom", step).error().code, ErrorCode::unauthorized);
  ASSERT_TRUE(resolutions.pause(as("admin"), rid, false).ok());
  EXPECT_EQ(resolutions.update_step(as("admin"), rid, "nope", step).error().code, ErrorCode::not_found);
  Json bad = step;
  bad["state"] = "WHATEVER";
  expect_error(resolutions.update_step(as("admin"), rid, "custom", bad), ErrorCode::invalid_input,
               "invalid state provided: \"WHATEVER\" is not allowed");
  step["state"] = "SPECIAL";
  ASSERT_TRUE(resolutions.update_step(as("admin"), rid, "custom", step).ok());
  EXPECT_EQ(store().get_step(rid, "custom")->state, "SPECIAL");
  EXPECT_EQ(comments_of_resolution(rid).back(), "manually updated resolution step custom");
}

UTASK_SERVICE_TEST_SUITE(ResolutionServiceTest);

}  // namespace
}  // namespace utask::testing

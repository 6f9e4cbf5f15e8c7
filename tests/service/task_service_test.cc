// TaskService on a real store: POST /task's checks in order with their messages, the auto-run
// decision and delay, batches, reads with masking and blocked errors, and listing
// (api.md §5.3.1–§5.3.3, §5.4). Edits and comments: task_edits_test.cc.

#include <gtest/gtest.h>

#include "engine/step_state.h"
#include "model/json.h"
#include "service/resolution_records.h"
#include "service/service_fixture.h"

namespace utask::testing {
namespace {

using service::CreateTaskRequest;
using service::TaskService;

class TaskServiceTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    add_standard_templates();
  }
  CreateTaskRequest hello(const std::string& name = "bob") {
    CreateTaskRequest r;
    r.template_name = "hello";
    r.input = {{"name", name}, {"secret", "hunter2"}};
    return r;
  }
  size_t all_tasks() {
    TaskService tasks(ctx_);
    service::ListTasksQuery q;
    q.type = "all";
    auto page = tasks.list_tasks(as("admin"), q);
    EXPECT_TRUE(page.ok()) << page.error().message;
    return page ? page->items.size() : 0;
  }
  void expect_error(const Error& e, ErrorCode code, const std::string& message) {
    EXPECT_EQ(e.code, code) << e.message;
    EXPECT_EQ(e.message, message);
  }
};

TEST_P(TaskServiceTest, UnknownOrEmptyTemplateIsNotFound) {
  TaskService tasks(ctx_);
  auto r = hello();
  r.template_name = "nope";
  auto created = tasks.create_task(as("req"), r);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, ErrorCode::not_found);
  r.template_name = "";
  created = tasks.create_task(as("req"), r);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, ErrorCode::not_found);
}

TEST_P(TaskServiceTest, ChecksComeInTheDocumentedOrder) {
  TaskService tasks(ctx_);
  // Reserved tag before the resolver lists.
  auto r = hello();
  r.tags["_utask_parent_task_id"] = "x";
  r.resolver_usernames = {"someone"};
  auto created = tasks.create_task(as("req"), r);
  ASSERT_FALSE(created.ok());
  expect_error(created.error(), ErrorCode::invalid_input, "tag name \"_utask_parent_task_id\" not allowed");

  // Resolver lists before the blocked template.
  r = hello();
  r.template_name = "blocked-template";
  r.resolver_groups = {"g"};
  created = tasks.create_task(as("req"), r);
  ASSERT_FALSE(created.ok());
  expect_error(created.error(), ErrorCode::forbidden,
               "resolver_usernames and resolver_groups can't be set by a regular user, you need to "
               "be owner of the template, or admin");

  r.resolver_groups.clear();
  created = tasks.create_task(as("req"), r);
  ASSERT_FALSE(created.ok());
  expect_error(created.error(), ErrorCode::invalid_input, "Template not available (blocked)");

  // Inputs before the comment.
  r = hello();
  r.input = Json::object();
  r.comment = "x";
  created = tasks.create_task(as("req"), r);
  ASSERT_FALSE(created.ok());
  expect_error(created.error(), ErrorCode::invalid_input, "Failed to create new Task: Missing input 'name'");

  r = hello();
  r.comment = "xy";
  created = tasks.create_task(as("req"), r);
  ASSERT_FALSE(created.ok());
  expect_error(created.error(), ErrorCode::invalid_input,
               "Failed to create comment: task comment can't be shorter than 3 characters");
  r.comment = std::string(100001, 'c');
  created = tasks.create_task(as("req"), r);
  ASSERT_FALSE(created.ok());
  expect_error(created.error(), ErrorCode::invalid_input,
               "Failed to create comment: task comment can't be longer than 100000 characters");
  EXPECT_EQ(all_tasks(), 0u);  // nothing of a refused creation is written
}

TEST_P(TaskServiceTest, OwnerAndAdminMaySetResolvers) {
  TaskService tasks(ctx_);
  auto r = hello();
  r.resolver_usernames = {"helper"};
  EXPECT_TRUE(tasks.create_task(as("owner"), r).ok());
  EXPECT_TRUE(tasks.create_task(as("someone", {"admins"}), r).ok());
}

TEST_P(TaskServiceTest, CreatedTaskHasTitleTagsInputAndComment) {
  TaskService tasks(ctx_);
  auto r = hello("bob");
  r.tags["team"] = "blue";
  r.comment = "please do";
  r.watcher_usernames = {"wat"};
  auto created = tasks.create_task(as("req", {"devs"}), r);
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto& t = created->task;
  EXPECT_EQ(t.title, "Hello bob");
  EXPECT_EQ(t.state, "TODO");
  EXPECT_EQ(t.requester_username, "req");
  EXPECT_EQ(t.requester_groups, std::vector<std::string>{"devs"});
  EXPECT_EQ(t.tags.at("kind"), "greeting");
  EXPECT_EQ(t.tags.at("team"), "blue");
  EXPECT_EQ(t.steps_total, 2);
  ASSERT_TRUE(t.input_json);
  EXPECT_EQ(parse_json(*t.input_json).value()["secret"], "hunter2");  // echoed in clear
  ASSERT_EQ(created->comments.size(), 1u);
  EXPECT_EQ(created->comments[0].content, "please do");
  EXPECT_EQ(created->comments[0].username, "req");
  const Json json = created->to_json();
  EXPECT_EQ(json["comments"].size(), 1u);
}

TEST_P(TaskServiceTest, AutoRunDecision) {
  TaskService tasks(ctx_);
  // A requester who is no resolution manager waits for a human.
  auto plain = tasks.create_task(as("req"), hello());
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->task.resolution_id);
  EXPECT_EQ(runner_.wakes, 0);

  for (const auto& caller : {as("owner"), as("x", {"owners"}), as("admin")}) {
    auto run = tasks.create_task(caller, hello());
    ASSERT_TRUE(run.ok()) << run.error().message;
    ASSERT_TRUE(run->task.resolution_id) << caller.username;
    auto res = store().get_resolution(*run->task.resolution_id, persistence::ResolutionView::with_steps);
    ASSERT_TRUE(res.ok());
    EXPECT_EQ(res->state, "TO_AUTORUN");
    EXPECT_EQ(res->resolver_username, caller.username);
    EXPECT_EQ(res->steps.size(), 2u);
  }
  EXPECT_EQ(runner_.wakes, 3);

  // allow_all_resolver_usernames: any requester.
  CreateTaskRequest allow;
  allow.template_name = "allow-all";
  auto anyone = tasks.create_task(as("req"), allow);
  ASSERT_TRUE(anyone.ok());
  EXPECT_TRUE(anyone->task.resolution_id);

}

TEST_P(TaskServiceTest, DelayDelaysTheAutoRun) {
  TaskService tasks(ctx_);
  auto r = hello();
  r.delay = "1m";
  const auto before = ctx_.now();
  auto created = tasks.create_task(as("admin"), r);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->task.state, "DELAYED");
  ASSERT_TRUE(created->task.resolution_id);
  auto res = store().get_resolution(*created->task.resolution_id, persistence::ResolutionView::without_steps);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->state, "TO_AUTORUN_DELAYED");
  ASSERT_TRUE(res->next_retry);
  EXPECT_GE(*res->next_retry, before + std::chrono::seconds(60));
  EXPECT_LE(*res->next_retry, ctx_.now() + std::chrono::seconds(60));

  r.delay = "soon";
  auto bad = tasks.create_task(as("admin"), r);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(bad.error().message.rfind("delay: ", 0), 0u) << bad.error().message;

  // Not auto-run: the delay is not even parsed, the task stays DELAYED without resolution.
  auto waiting = tasks.create_task(as("req"), r);
  ASSERT_TRUE(waiting.ok()) << waiting.error().message;
  EXPECT_EQ(waiting->task.state, "DELAYED");
  EXPECT_FALSE(waiting->task.resolution_id);
}

TEST_P(TaskServiceTest, BatchMergesCommonInputAllOrNothing) {
  TaskService tasks(ctx_);
  service::CreateBatchRequest b;
  b.template_name = "hello";
  b.common_input = {{"secret", "s"}};
  b.inputs = {Json{{"name", "a"}}, Json{{"name", "b"}}, Json{{"name", "c"}, {"secret", "clash"}}};
  auto refused = tasks.create_batch(as("req"), b);
  ASSERT_FALSE(refused.ok());
  expect_error(refused.error(), ErrorCode::invalid_input, "Conflicting keys in input maps");
  EXPECT_EQ(all_tasks(), 0u);

  b.inputs.pop_back();
  b.inputs.push_back(Json::object());  // missing name: the whole batch fails
  refused = tasks.create_batch(as("req"), b);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(all_tasks(), 0u);

  b.inputs.pop_back();
  b.tags["_utask_parent_task_id"] = "x";
  b.template_name = "nope";  // the tags are checked first
  refused = tasks.create_batch(as("req"), b);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
  b.tags.clear();
  b.template_name = "hello";

  auto created = tasks.create_batch(as("req"), b);
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_EQ(created->tasks.size(), 2u);
  service::ListTasksQuery q;
  q.batch = created->batch.id;
  auto listed = tasks.list_tasks(as("req"), q);
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_EQ(listed->items.size(), 2u);
}

TEST_P(TaskServiceTest, GetTaskAuthorisesAndMasks) {
  TaskService tasks(ctx_);
  auto r = hello();
  r.watcher_usernames = {"wat"};
  auto created = tasks.create_task(as("req"), r);
  ASSERT_TRUE(created.ok());
  const std::string id = created->task.id;

  auto denied = tasks.get_task(as("eve"), id);
  ASSERT_FALSE(denied.ok());
  expect_error(denied.error(), ErrorCode::forbidden, "Can't display task details");
  EXPECT_EQ(tasks.get_task(as("eve"), "00000000-0000-4000-8000-000000000000").error().code, ErrorCode::not_found);

  for (const auto& viewer : {as("req"), as("wat"), as("owner")}) {
    auto seen = tasks.get_task(viewer, id);
    ASSERT_TRUE(seen.ok()) << viewer.username;
    EXPECT_EQ(parse_json(*seen->task.input_json).value()["secret"], "**__SECRET__**");
  }
  auto admin = tasks.get_task(as("admin"), id);
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(parse_json(*admin->task.input_json).value()["secret"], "hunter2");
}

TEST_P(TaskServiceTest, BlockedTaskShowsClientErrors) {
  TaskService tasks(ctx_);
  auto created = tasks.create_task(as("admin"), hello());
  ASSERT_TRUE(created.ok());
  const std::string rid = *created->task.resolution_id;
  auto res = store().get_resolution(rid, persistence::ResolutionView::with_steps);
  ASSERT_TRUE(res.ok());
  persistence::ResolutionChange change;
  for (const auto& row : res->steps) {
    if (row.name != "greet") continue;
    auto step = engine::step_from_json(parse_json(row.step_json).value());
    ASSERT_TRUE(step.ok());
    step->state = "CLIENT_ERROR";
    step->error = "bad request";
    change.put_steps.push_back(service::to_step_record(*step));
  }
  change.state = "BLOCKED_BADREQUEST";
  change.task_state = "BLOCKED";
  change.revoke_lease = true;
  ASSERT_TRUE(store().update_resolution(rid, change).ok());

  auto seen = tasks.get_task(as("admin"), created->task.id);
  ASSERT_TRUE(seen.ok()) << seen.error().message;
  ASSERT_EQ(seen->errors.size(), 1u);
  EXPECT_EQ(seen->errors[0].first, "greet");  // the description
  EXPECT_EQ(seen->errors[0].second, "bad request");
  EXPECT_EQ(seen->to_json()["errors"][0]["error"], "bad request");
}

TEST_P(TaskServiceTest, ListingParameters) {
  TaskService tasks(ctx_);
  auto r = hello();
  r.tags["team"] = "blue";
  ASSERT_TRUE(tasks.create_task(as("req"), r).ok());
  ASSERT_TRUE(tasks.create_task(as("other"), hello()).ok());

  service::ListTasksQuery q;
  q.type = "mine";
  auto bad = tasks.list_tasks(as("req"), q);
  ASSERT_FALSE(bad.ok());
  expect_error(bad.error(), ErrorCode::invalid_input,
               "binding error on field 'Type' of type 'listTasksIn': parameter has not an "
               "acceptable value, enum=[own resolvable all]");
  for (const char* tag : {"team", "=blue", "team=", "a=b=c"}) {
    q = {};
    q.tags = {tag};
    auto refused = tasks.list_tasks(as("req"), q);
    ASSERT_FALSE(refused.ok()) << tag;
    expect_error(refused.error(), ErrorCode::invalid_input, std::string("invalid tag ") + tag);
  }

  q = {};
  auto own = tasks.list_tasks(as("req"), q);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->items.size(), 1u);
  q.tags = {"team=blue"};
  q.type = "all";
  auto tagged = tasks.list_tasks(as("admin"), q);
  ASSERT_TRUE(tagged.ok());
  EXPECT_EQ(tagged->items.size(), 1u);
  q.tags = {"team=red"};
  tagged = tasks.list_tasks(as("admin"), q);
  ASSERT_TRUE(tagged.ok());
  EXPECT_TRUE(tagged->items.empty());

  EXPECT_EQ(service::normalize_page_size(0), 1000u);
  EXPECT_EQ(service::normalize_page_size(3), 10u);
  EXPECT_EQ(service::normalize_page_size(50), 50u);
  EXPECT_EQ(service::normalize_page_size(20000), 10000u);
}

UTASK_SERVICE_TEST_SUITE(TaskServiceTest);

}  // namespace
}  // namespace utask::testing

// TaskService on a real store: PUT /task/:id, wontfix, delete and comments with their
// refusals and messages (api.md §5.3.4–§5.3.6, §5.5).

#include <gtest/gtest.h>

#include "model/json.h"
#include "service/service_fixture.h"

namespace utask::testing {
namespace {

using service::CreateTaskRequest;
using service::TaskService;

class TaskEditsTest : public ServiceTest {
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
  void expect_error(const Error& e, ErrorCode code, const std::string& message) {
    EXPECT_EQ(e.code, code) << e.message;
    EXPECT_EQ(e.message, message);
  }
};

TEST_P(TaskEditsTest, UpdateTaskRules) {
  TaskService tasks(ctx_);
  auto created = tasks.create_task(as("req"), hello("bob"));
  ASSERT_TRUE(created.ok());
  const std::string id = created->task.id;
  service::UpdateTaskRequest u;
  u.input = Json{{"name", "alice"}, {"secret", "**__SECRET__**"}};
  u.watcher_usernames = {"wat"};
  u.tags = {{"kind", "greeting"}};

  auto denied = tasks.update_task(as("eve"), id, u);
  ASSERT_FALSE(denied.ok());
  expect_error(denied.error(), ErrorCode::forbidden, "Can't update task");

  auto no_input = u;
  no_input.input.reset();
  auto missing = tasks.update_task(as("req"), id, no_input);
  ASSERT_FALSE(missing.ok());
  expect_error(missing.error(), ErrorCode::invalid_input, "Failed to update task: Missing input");

  auto tag = u;
  tag.tags["_utask_parent_task_id"] = "x";
  auto tagged = tasks.update_task(as("req"), id, tag);
  ASSERT_FALSE(tagged.ok());
  expect_error(tagged.error(), ErrorCode::invalid_input,
               "tag _utask_parent_task_id is read-only and cannot be modified");

  auto updated = tasks.update_task(as("req"), id, u);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->task.title, "Hello alice");
  const Json input = parse_json(*updated->task.input_json).value();
  EXPECT_EQ(input["secret"], "hunter2");  // the mask took the stored value
  EXPECT_EQ(updated->task.watcher_usernames, std::vector<std::string>{"wat"});
  EXPECT_TRUE(updated->comments.empty());  // as before the automatic comment
  auto comments = store().list_comments(id);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ((*comments)[0].content, "manually edited task");

  // With a resolution: only while it is PAUSED, and no longer by the requester.
  service::ResolutionService resolutions(ctx_);
  auto res = resolutions.create_resolution(as("owner"), {id, Json::object(), false});
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(tasks.update_task(as("req"), id, u).error().code, ErrorCode::forbidden);
  auto not_paused = tasks.update_task(as("owner"), id, u);
  ASSERT_FALSE(not_paused.ok());
  expect_error(not_paused.error(), ErrorCode::conflict,
               "Cannot update a task which resolution is not in state 'PAUSED'");
  ASSERT_TRUE(resolutions.pause(as("owner"), (*res)["id"].get<std::string>(), false).ok());
  EXPECT_TRUE(tasks.update_task(as("owner"), id, u).ok());
}

TEST_P(TaskEditsTest, WontfixRules) {
  TaskService tasks(ctx_);
  auto created = tasks.create_task(as("req"), hello());
  ASSERT_TRUE(created.ok());
  const std::string id = created->task.id;
  auto denied = tasks.wontfix(as("eve"), id);
  ASSERT_FALSE(denied.ok());
  expect_error(denied.error(), ErrorCode::forbidden, "Can't set task's state to WONTFIX");
  ASSERT_TRUE(tasks.wontfix(as("req"), id).ok());
  auto task = store().get_task(id);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->state, "WONTFIX");
  auto comments = store().list_comments(id);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ((*comments)[0].content, "changed task state to WONTFIX");
  // The state is checked before the rights.
  auto again = tasks.wontfix(as("eve"), id);
  ASSERT_FALSE(again.ok());
  expect_error(again.error(), ErrorCode::conflict, "Can't set task's state to WONTFIX: task is in state WONTFIX");
}

TEST_P(TaskEditsTest, DeleteRules) {
  TaskService tasks(ctx_);
  auto created = tasks.create_task(as("admin"), hello());
  ASSERT_TRUE(created.ok());
  const std::string id = created->task.id;
  EXPECT_EQ(tasks.delete_task(as("req"), id).error().code, ErrorCode::unauthorized);
  force_resolution_state(*created->task.resolution_id, "RUNNING", "RUNNING");
  auto running = tasks.delete_task(as("admin"), id);
  ASSERT_FALSE(running.ok());
  expect_error(running.error(), ErrorCode::conflict, "Task can't be deleted while in state \"RUNNING\"");
  force_resolution_state(*created->task.resolution_id, "PAUSED", "TODO");
  ASSERT_TRUE(tasks.delete_task(as("admin"), id).ok());
  EXPECT_EQ(store().get_task(id).error().code, ErrorCode::not_found);
  EXPECT_EQ(tasks.delete_task(as("admin"), id).error().code, ErrorCode::not_found);
}

TEST_P(TaskEditsTest, CommentRules) {
  TaskService tasks(ctx_);
  auto r = hello();
  r.watcher_usernames = {"wat"};
  auto created = tasks.create_task(as("req"), r);
  ASSERT_TRUE(created.ok());
  const std::string id = created->task.id;
  auto other = tasks.create_task(as("req"), hello());
  ASSERT_TRUE(other.ok());

  expect_error(tasks.add_comment(as("eve"), id, "hello there").error(), ErrorCode::forbidden, "Can't create comment");
  expect_error(tasks.list_comments(as("eve"), id).error(), ErrorCode::forbidden, "Can't list comment");
  expect_error(tasks.add_comment(as("wat"), id, "no").error(), ErrorCode::invalid_input,
               "Failed to create comment: task comment can't be shorter than 3 characters");
  auto added = tasks.add_comment(as("wat"), id, "looks good");
  ASSERT_TRUE(added.ok()) << added.error().message;
  expect_error(tasks.get_comment(as("eve"), id, added->id).error(), ErrorCode::forbidden, "Can't get comment");
  EXPECT_TRUE(tasks.get_comment(as("req"), id, added->id).ok());
  // A comment read through another task's URL is not found.
  EXPECT_EQ(tasks.get_comment(as("req"), other->task.id, added->id).error().code, ErrorCode::not_found);

  expect_error(tasks.update_comment(as("req"), id, added->id, "changed").error(), ErrorCode::forbidden,
               "Not allowed to update comment");
  auto edited = tasks.update_comment(as("wat"), id, added->id, "changed it");
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(edited->content, "changed it");
  EXPECT_TRUE(tasks.update_comment(as("admin"), id, added->id, "by admin").ok());
  expect_error(tasks.delete_comment(as("req"), id, added->id).error(), ErrorCode::forbidden,
               "Not allowed to delete comment");
  ASSERT_TRUE(tasks.delete_comment(as("wat"), id, added->id).ok());
  auto listed = tasks.list_comments(as("req"), id);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

UTASK_SERVICE_TEST_SUITE(TaskEditsTest);

}  // namespace
}  // namespace utask::testing

// Resolutions in the store on both backends: POST /resolution (start_over, the creator as
// resolver, steps as rows, encryption at rest), reads with and without steps, one step,
// operators' edits under preconditions.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>

#include "persistence/resolution_fixture.h"

namespace utask::testing {
namespace {

using namespace std::chrono_literals;
using persistence::ResolutionChange;
using persistence::ResolutionCreation;
using persistence::ResolutionView;
using persistence::StateCondition;
using persistence::StepRecord;

const char* const kNoSuchId = "00000000-0000-4000-8000-000000000000";

class ResolutionTest : public ResolutionStoreTest {
 protected:
  ResolutionCreation creation(const std::string& task_id, const std::string& state = "TODO") {
    ResolutionCreation c;
    c.resolution = make_resolution(state, "bob");
    c.resolution.task_id = task_id;
    c.resolution.resolver_inputs_json = R"({"password":"resolver-secret-1234","n":2.0})";
    c.resolution.base_configurations_json = R"({"http":{"token":"base-secret-5678"}})";
    c.resolution.steps = {{"b", "TODO", R"({"state":"TODO","secret":"step-secret-9012"})"},
                          {"a", "TODO", R"({"state":"TODO"})"}};
    c.require_task_state.refused = {"WONTFIX"};
    return c;
  }
};

TEST_P(ResolutionTest, CreatesWithStepsAndReadsBack) {
  const std::string task = new_task();
  auto created = store().create_resolution(creation(task));
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto& r = *created;
  EXPECT_EQ(r.id.size(), 36u);
  EXPECT_EQ(r.task_id, task);
  EXPECT_EQ(r.task_title, "a task of alice");
  EXPECT_EQ(r.resolver_username, "bob");
  EXPECT_EQ(r.state, "TODO");
  EXPECT_EQ(r.created, clock().now());
  EXPECT_EQ(r.run_max, 10);
  EXPECT_EQ(r.run_count, 0);
  EXPECT_FALSE(r.instance_id.has_value());
  EXPECT_FALSE(r.next_retry.has_value());
  EXPECT_EQ(r.resolver_inputs_json, R"({"password":"resolver-secret-1234","n":2.0})");
  EXPECT_EQ(r.base_configurations_json, R"({"http":{"token":"base-secret-5678"}})");
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[0].name, "a");  // by name
  EXPECT_EQ(r.steps[1].step_json, R"({"state":"TODO","secret":"step-secret-9012"})");

  auto bare = store().get_resolution(r.id, ResolutionView::without_steps);
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare->steps.empty());
  EXPECT_EQ(bare->resolver_inputs_json, r.resolver_inputs_json);
  auto upper = r.id;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_TRUE(store().get_resolution(upper, ResolutionView::with_steps).ok());

  auto task_rec = store().get_task(task);
  ASSERT_TRUE(task_rec.ok());
  EXPECT_EQ(task_rec->resolution_id, r.id);
  EXPECT_EQ(task_rec->state, "TODO") << "creating a resolution leaves the task's state";

  auto missing = store().get_resolution(kNoSuchId, ResolutionView::with_steps);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_EQ(store().get_resolution("not-a-uuid", ResolutionView::with_steps).error().code,
            ErrorCode::not_found);
}

TEST_P(ResolutionTest, ReadsTheResolutionWithItsStepsAndTaskTogether) {
  const std::string task = new_task();
  auto created = store().create_resolution(creation(task));
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto both = store().get_resolution_and_task(created->id);
  ASSERT_TRUE(both.ok()) << both.error().message;
  const auto& [r, t] = *both;
  EXPECT_EQ(r.id, created->id);
  EXPECT_EQ(r.resolver_inputs_json, created->resolver_inputs_json) << "decrypted";
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[1].step_json, created->steps[1].step_json);
  auto alone = store().get_task(task);
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(t.id, task);
  EXPECT_EQ(t.resolution_id, r.id);
  EXPECT_EQ(t.input_json, alone->input_json) << "with the task's (decrypted) input";
  EXPECT_EQ(t.title, alone->title);

  EXPECT_EQ(store().get_resolution_and_task(kNoSuchId).error().code, ErrorCode::not_found);
  EXPECT_EQ(store().get_resolution_and_task("not-a-uuid").error().code, ErrorCode::not_found);
}

TEST_P(ResolutionTest, SecretsAreEncryptedAtRest) {
  if (backend() != Backend::sqlite) GTEST_SKIP() << "reads the database file";
  auto created = store().create_resolution(creation(new_task()));
  ASSERT_TRUE(created.ok()) << created.error().message;
  std::string bytes;
  for (const std::string suffix : {"", "-wal"}) {
    std::ifstream in(sqlite_path() + suffix, std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_FALSE(bytes.empty());
  EXPECT_NE(bytes.find(created->id), std::string::npos) << "the scan sees clear columns";
  for (const char* secret : {"resolver-secret-1234", "base-secret-5678", "step-secret-9012"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
}

TEST_P(ResolutionTest, RefusesAMissingTaskASecondResolutionAndAWontfixTask) {
  auto missing = store().create_resolution(creation(kNoSuchId));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);

  const std::string task = new_task();
  ASSERT_TRUE(store().create_resolution(creation(task)).ok());
  auto second = store().create_resolution(creation(task));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::conflict);

  const std::string wontfix = new_task("WONTFIX");
  auto refused = store().create_resolution(creation(wontfix));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  EXPECT_EQ(refused.error().message, "task " + wontfix + " is in state WONTFIX");
  auto task_rec = store().get_task(wontfix);
  ASSERT_TRUE(task_rec.ok());
  EXPECT_FALSE(task_rec->resolution_id.has_value()) << "nothing written";
}

TEST_P(ResolutionTest, StartOverReplacesOnlyFromAnAllowedState) {
  const std::string task = new_task();
  auto first = store().create_resolution(creation(task));
  ASSERT_TRUE(first.ok());
  auto again = creation(task);
  again.start_over = StateCondition{{"PAUSED", "BLOCKED_BADREQUEST", "CANCELLED"}, {}};
  auto refused = store().create_resolution(again);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  EXPECT_EQ(refused.error().message, "resolution " + first->id + " is in state TODO");

  ResolutionChange cancel;
  cancel.state = "CANCELLED";
  ASSERT_TRUE(store().update_resolution(first->id, cancel).ok());
  auto replaced = store().create_resolution(again);
  ASSERT_TRUE(replaced.ok()) << replaced.error().message;
  EXPECT_NE(replaced->id, first->id);
  EXPECT_EQ(store().get_resolution(first->id, ResolutionView::with_steps).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(store().get_task(task)->resolution_id, replaced->id);
}

TEST_P(ResolutionTest, AddsTheCreatorAsResolver) {
  const std::string task = new_task();
  auto c = creation(task);
  c.add_task_resolver = "admin";
  ASSERT_TRUE(store().create_resolution(c).ok());
  auto t = store().get_task(task);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->resolver_usernames, std::vector<std::string>{"admin"});
  persistence::TaskFilter f;
  f.viewer.username = "admin";
  f.scope = persistence::TaskScope::resolvable;
  auto page = store().list_tasks(f);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, task);
}

TEST_P(ResolutionTest, GetsOneStep) {
  auto r = store().create_resolution(creation(new_task()));
  ASSERT_TRUE(r.ok());
  auto step = store().get_step(r->id, "b");
  ASSERT_TRUE(step.ok()) << step.error().message;
  EXPECT_EQ(step->name, "b");
  EXPECT_EQ(step->state, "TODO");
  EXPECT_EQ(step->step_json, R"({"state":"TODO","secret":"step-secret-9012"})");
  auto no_step = store().get_step(r->id, "zz");
  ASSERT_FALSE(no_step.ok());
  EXPECT_EQ(no_step.error().code, ErrorCode::not_found);
  EXPECT_NE(no_step.error().message.find("step zz"), std::string::npos);
  auto no_resolution = store().get_step(kNoSuchId, "a");
  ASSERT_FALSE(no_resolution.ok());
  EXPECT_EQ(no_resolution.error().code, ErrorCode::not_found);
  EXPECT_NE(no_resolution.error().message.find("resolution"), std::string::npos);
}

TEST_P(ResolutionTest, OperatorEditAppliesEverythingInOneTransaction) {
  auto r = store().create_resolution(creation(new_task()));
  ASSERT_TRUE(r.ok());
  clock().advance(5s);
  ResolutionChange ch;
  ch.require_state.allowed = {"TODO"};
  ch.state = "PAUSED";
  ch.run_max = 3;
  ch.resolver_inputs_json = R"({"fixed":true})";
  ch.put_steps = {StepRecord{"a", "DONE", R"({"state":"DONE"})"}};
  ch.erase_steps = {"b"};
  ch.task_state = "BLOCKED";
  ch.comment = persistence::NewComment{"admin", "paused by hand"};
  auto updated = store().update_resolution(r->id, ch);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->state, "PAUSED");
  EXPECT_EQ(updated->run_max, 3);
  EXPECT_EQ(updated->resolver_inputs_json, R"({"fixed":true})");
  EXPECT_TRUE(updated->steps.empty()) << "returned without steps";
  auto full = resolution(r->id);
  ASSERT_EQ(full.steps.size(), 1u);
  EXPECT_EQ(full.steps[0].state, "DONE");
  auto task = store().get_task(r->task_id);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->state, "BLOCKED");
  EXPECT_EQ(task->last_activity, clock().now());
  auto comments = store().list_comments(r->task_id);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ(comments->front().content, "paused by hand");

  // replace_steps makes put_steps the whole map.
  ResolutionChange hotfix;
  hotfix.replace_steps = true;
  hotfix.put_steps = {StepRecord{"x", "TODO", "{}"}, StepRecord{"y", "TODO", "{}"}};
  ASSERT_TRUE(store().update_resolution(r->id, hotfix).ok());
  full = resolution(r->id);
  ASSERT_EQ(full.steps.size(), 2u);
  EXPECT_EQ(full.steps[0].name, "x");
  EXPECT_EQ(full.steps[1].name, "y");
}

TEST_P(ResolutionTest, OperatorEditWithAFailedPreconditionChangesNothing) {
  auto r = store().create_resolution(creation(new_task()));
  ASSERT_TRUE(r.ok());
  ResolutionChange ch;
  ch.require_state.allowed = {"PAUSED"};
  ch.state = "CANCELLED";
  ch.task_state = "CANCELLED";
  ch.comment = persistence::NewComment{"admin", "nope"};
  auto refused = store().update_resolution(r->id, ch);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  EXPECT_EQ(refused.error().message, "resolution " + r->id + " is in state TODO");
  EXPECT_EQ(refused.error().field, "resolution.state");
  EXPECT_EQ(resolution(r->id).state, "TODO");
  EXPECT_EQ(store().get_task(r->task_id)->state, "TODO");
  EXPECT_TRUE(store().list_comments(r->task_id)->empty());

  ch.require_state = StateCondition{{}, {"TODO"}};
  EXPECT_EQ(store().update_resolution(r->id, ch).error().code, ErrorCode::conflict);
  EXPECT_EQ(store().update_resolution(kNoSuchId, ResolutionChange{}).error().code,
            ErrorCode::not_found);
}

TEST_P(ResolutionTest, OperatorCanScheduleARetry) {
  const int64_t self = register_instance();
  auto r = store().create_resolution(creation(new_task()));
  ASSERT_TRUE(r.ok());
  ResolutionChange ch;
  ch.state = "TO_AUTORUN_DELAYED";
  ch.next_retry = std::optional(clock().now() + 30s);
  ASSERT_TRUE(store().update_resolution(r->id, ch).ok());
  EXPECT_FALSE(store().claim_next(self, {})->has_value());
  clock().advance(30s);
  auto c = store().claim_next(self, {});
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->lease.resolution_id, r->id);
  EXPECT_EQ((*c)->reason, persistence::ClaimReason::retry);

  // Clearing next_retry ("std::nullopt inside") is written as NULL.
  ResolutionChange clear;
  clear.next_retry = std::optional<persistence::Timestamp>();
  clear.revoke_lease = true;
  auto cleared = store().update_resolution(r->id, clear);
  ASSERT_TRUE(cleared.ok()) << cleared.error().message;
  EXPECT_FALSE(cleared->next_retry.has_value());
}

UTASK_STORE_TEST_SUITE(ResolutionTest);

}  // namespace
}  // namespace utask::testing

// Comments in the store: add, read, list in creation order, update, delete; a comment is only
// found through its own task — on both backends.

#include <gtest/gtest.h>

#include "persistence/store_builders.h"
#include "persistence/store_fixture.h"

namespace utask::testing {
namespace {

using namespace std::chrono_literals;
using persistence::Comment;
using persistence::NewComment;
using persistence::TaskCreation;

constexpr const char* kUnknownId = "00000000-0000-4000-8000-000000000000";

class CommentStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store().sync_templates({make_template("tpl")}).ok());
    TaskCreation c;
    c.tasks = {make_task("tpl", "ann"), make_task("tpl", "bob")};
    auto tasks = store().create_tasks(c);
    ASSERT_TRUE(tasks.ok()) << tasks.error().message;
    task_ = tasks->at(0).id;
    other_task_ = tasks->at(1).id;
  }

  std::string task_, other_task_;
};

TEST_P(CommentStoreTest, AddsReadsAndListsInCreationOrder) {
  std::vector<std::string> ids;
  for (const char* text : {"first", "second", "third"}) {
    auto c = store().add_comment(task_, NewComment{"ann", text});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->task_id, task_);
    EXPECT_EQ(c->username, "ann");
    EXPECT_EQ(c->content, text);
    EXPECT_EQ(c->created, clock().now());
    EXPECT_EQ(c->updated, clock().now());
    ids.push_back(c->id);
    clock().advance(1s);
  }
  ASSERT_TRUE(store().add_comment(other_task_, NewComment{"bob", "elsewhere"}).ok());

  auto list = store().list_comments(task_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ((*list)[i].id, ids[i]);
  EXPECT_EQ((*list)[1].content, "second");

  auto one = store().get_comment(task_, ids[2]);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->content, "third");
  EXPECT_TRUE(store().list_comments(other_task_).ok());
}

TEST_P(CommentStoreTest, UpdateSetsContentAndUpdatedTime) {
  auto c = store().add_comment(task_, NewComment{"ann", "draft"});
  ASSERT_TRUE(c.ok());
  clock().advance(30s);
  auto u = store().update_comment(task_, c->id, "final text");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->content, "final text");
  EXPECT_EQ(u->created, c->created);
  EXPECT_EQ(u->updated, clock().now());
  EXPECT_EQ(store().get_comment(task_, c->id)->content, "final text");
}

TEST_P(CommentStoreTest, DeleteRemovesOnlyThatComment) {
  auto a = store().add_comment(task_, NewComment{"ann", "keep me"});
  auto b = store().add_comment(task_, NewComment{"ann", "drop me"});
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(store().delete_comment(task_, b->id).ok());
  EXPECT_EQ(store().get_comment(task_, b->id).error().code, ErrorCode::not_found);
  auto list = store().list_comments(task_);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().id, a->id);
  EXPECT_EQ(store().delete_comment(task_, b->id).error().code, ErrorCode::not_found);
}

TEST_P(CommentStoreTest, ACommentIsNotFoundThroughAnotherTask) {
  auto c = store().add_comment(task_, NewComment{"ann", "mine"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(store().get_comment(other_task_, c->id).error().code, ErrorCode::not_found);
  EXPECT_EQ(store().update_comment(other_task_, c->id, "hijack").error().code,
            ErrorCode::not_found);
  EXPECT_EQ(store().delete_comment(other_task_, c->id).error().code, ErrorCode::not_found);
  EXPECT_EQ(store().get_comment(task_, c->id)->content, "mine");
}

TEST_P(CommentStoreTest, UnknownTaskOrCommentIsNotFound) {
  for (const char* bad : {kUnknownId, "junk"}) {
    EXPECT_EQ(store().add_comment(bad, NewComment{"ann", "text"}).error().code,
              ErrorCode::not_found);
    EXPECT_EQ(store().list_comments(bad).error().code, ErrorCode::not_found);
    EXPECT_EQ(store().get_comment(task_, bad).error().code, ErrorCode::not_found);
    EXPECT_EQ(store().update_comment(task_, bad, "x").error().code, ErrorCode::not_found);
    EXPECT_EQ(store().delete_comment(task_, bad).error().code, ErrorCode::not_found);
  }
}

UTASK_STORE_TEST_SUITE(CommentStoreTest);

}  // namespace
}  // namespace utask::testing

#pragma once
// Shared by the resolution, lease and maintenance suites: a store with one template, and
// builders for tasks (with parent and batch) and resolutions created through the Store API.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "persistence/changes.h"
#include "persistence/store_builders.h"
#include "persistence/store_fixture.h"

namespace utask::testing {

class ResolutionStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    auto synced = store().sync_templates({make_template("hello")});
    ASSERT_TRUE(synced.ok()) << synced.error().message;
  }

  // A task of template "hello"; its id.
  std::string new_task(const std::string& state = "TODO",
                       const std::optional<std::string>& parent = std::nullopt) {
    persistence::TaskCreation c;
    c.tasks.push_back(make_task("hello", "alice", state));
    c.tasks.back().task.parent_task_id = parent;
    auto r = store().create_tasks(c);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->front().id : std::string();
  }

  // `n` tasks in one new batch, children of `parent`; their ids.
  std::vector<std::string> new_batch(int n, const std::optional<std::string>& parent) {
    persistence::TaskCreation c;
    c.batch = persistence::Batch{};
    for (int i = 0; i < n; ++i) {
      c.tasks.push_back(make_task("hello", "alice"));
      c.tasks.back().task.parent_task_id = parent;
    }
    auto r = store().create_tasks(c);
    EXPECT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> ids;
    if (r.ok()) {
      for (const auto& t : *r) ids.push_back(t.id);
    }
    return ids;
  }

  // POST /resolution on `task_id`; the resolution's id.
  std::string resolve(const std::string& task_id, const std::string& state = "TO_AUTORUN") {
    persistence::ResolutionCreation c;
    c.resolution = make_resolution(state, "bob");
    c.resolution.task_id = task_id;
    auto r = store().create_resolution(c);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->id : std::string();
  }

  // A task with a resolution in `state` (set by an operator's edit when not TO_AUTORUN/TODO).
  std::string new_resolution(const std::string& state = "TO_AUTORUN",
                             std::optional<persistence::Timestamp> next_retry = std::nullopt) {
    const std::string rid = resolve(new_task(), state == "TO_AUTORUN" ? state : "TODO");
    if (state != "TO_AUTORUN" && state != "TODO") {
      persistence::ResolutionChange ch;
      ch.state = state;
      if (next_retry) ch.next_retry = next_retry;
      auto u = store().update_resolution(rid, ch);
      EXPECT_TRUE(u.ok()) << u.error().message;
    }
    return rid;
  }

  persistence::ResolutionRecord resolution(
      const std::string& id,
      persistence::ResolutionView view = persistence::ResolutionView::with_steps) {
    auto r = store().get_resolution(id, view);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : persistence::ResolutionRecord{};
  }

  int64_t register_instance(persistence::Store& s, const std::string& host = "host-a") {
    persistence::Instance self;
    self.hostname = host;
    self.pid = 42;
    self.version = "test";
    auto r = s.register_instance(self);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->id : 0;
  }
  int64_t register_instance(const std::string& host = "host-a") {
    return register_instance(store(), host);
  }
};

}  // namespace utask::testing

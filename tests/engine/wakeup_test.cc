#include "engine/wakeup.h"

#include <gtest/gtest.h>

namespace utask::engine {
namespace {

TEST(Admission, RefusedResolutionWaitsTenMinutes) {
  ResolutionState r;
  r.state = "RUNNING";
  const Time now{};
  refuse_admission(r, now);
  EXPECT_EQ(r.state, "TO_AUTORUN_DELAYED");
  EXPECT_EQ(r.next_retry, now + std::chrono::minutes(10));
  EXPECT_EQ(r.task.state, "BLOCKED");
}

TEST(ParentWakeup, OnlyEndedChildrenWithTheTag) {
  TaskState child;
  child.tags["_utask_parent_task_id"] = "parent-1";
  for (const char* s : {"DONE", "WONTFIX", "CANCELLED"}) {
    child.state = s;
    EXPECT_EQ(parent_to_wake(child), "parent-1") << s;
  }
  for (const char* s : {"TODO", "RUNNING", "WAITING", "BLOCKED"}) {
    child.state = s;
    EXPECT_EQ(parent_to_wake(child), std::nullopt) << s;
  }
  TaskState orphan;
  orphan.state = "DONE";
  EXPECT_EQ(parent_to_wake(orphan), std::nullopt);
}

TEST(ParentWakeup, ParentMustBeWaitingForIt) {
  EXPECT_TRUE(parent_accepts_wakeup("WAITING", "WAITING"));
  EXPECT_TRUE(parent_accepts_wakeup("RUNNING", "RUNNING"));  // A49: resolution RUNNING
  EXPECT_TRUE(parent_accepts_wakeup("BLOCKED", "BLOCKED_BADREQUEST"));
  EXPECT_FALSE(parent_accepts_wakeup("WAITING", "PAUSED"));  // A45
  EXPECT_FALSE(parent_accepts_wakeup("RUNNING", "CRASHED"));
  EXPECT_FALSE(parent_accepts_wakeup("DONE", "DONE"));
  EXPECT_FALSE(parent_accepts_wakeup("TODO", "TODO"));
}

}  // namespace
}  // namespace utask::engine

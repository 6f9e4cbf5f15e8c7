// Task-event notifications from real runs (actions.md §8.2): the task actor hands the notifier
// the step and task state changes of each checkpoint once it is committed, in order.

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "actors/runtime_fixture.h"
#include "model/json.h"
#include "service/notifier.h"

namespace utask::testing {
namespace {

constexpr const char* kTwoSteps = R"(
name: two-steps
description: Two echo steps, the second failing for a client error
title_format: "two steps"
auto_runnable: true
steps:
  first: {description: one, action: {type: echo, configuration: {output: {v: 1}}}}
  second: {description: two, dependencies: [first], action: {type: echo, configuration: {error_message: "bad input", error_type: client}}}
)";

class RecordingNotifier : public service::Notifier {
 public:
  void notify(std::vector<service::TaskEvent> events) override {
    {
      std::lock_guard lock(mutex_);
      for (auto& e : events) events_.push_back(std::move(e));
    }
    changed_.notify_all();
  }
  // Waits (bounded) until an event satisfies `pred`.
  bool wait_for(const std::function<bool(const service::TaskEvent&)>& pred,
                std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      return std::any_of(events_.begin(), events_.end(), pred);
    });
  }
  std::vector<service::TaskEvent> events() {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<service::TaskEvent> events_;
};

class TaskNotificationsTest : public RuntimeTest {};

TEST_P(TaskNotificationsTest, ARunAnnouncesEachStateChangeOnce) {
  RecordingNotifier notifier;
  notifier_ = &notifier;
  add_template(kTwoSteps);
  start_runtime();
  const auto rid = create_task("two-steps");
  ASSERT_TRUE(wait_for_state(rid, "BLOCKED_BADREQUEST"));
  // The release is announced after it was written: wait for its event (bounded).
  ASSERT_TRUE(notifier.wait_for(
      [](const service::TaskEvent& e) {
        return e.action == config::NotifyAction::task_state_update && e.task.state == "BLOCKED";
      },
      std::chrono::seconds(10)));
  runtimes_.clear();  // stop the runtime: no more events

  std::vector<std::string> seen;
  for (const auto& e : notifier.events()) {
    EXPECT_EQ(e.task.resolution_id, rid);
    EXPECT_EQ(e.task.template_name, "two-steps");
    if (e.action == config::NotifyAction::task_step_update) {
      seen.push_back(e.step_name + "=" + e.step_state);
    } else {
      seen.push_back("task=" + e.task.state);
    }
  }
  // Every step state once, in order; the task's RUNNING then BLOCKED.
  auto index = [&](const std::string& s) {
    return std::find(seen.begin(), seen.end(), s) - seen.begin();
  };
  for (const char* expected : {"first=RUNNING", "first=DONE", "second=RUNNING",
                               "second=CLIENT_ERROR", "task=RUNNING", "task=BLOCKED"}) {
    EXPECT_EQ(std::count(seen.begin(), seen.end(), expected), 1) << expected << " in " << ::testing::PrintToString(seen);
  }
  EXPECT_LT(index("first=RUNNING"), index("first=DONE"));
  EXPECT_LT(index("first=DONE"), index("second=RUNNING"));
  EXPECT_LT(index("task=RUNNING"), index("task=BLOCKED"));
}

UTASK_RUNTIME_TEST_SUITE(TaskNotificationsTest);

}  // namespace
}  // namespace utask::testing

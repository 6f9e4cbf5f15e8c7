#include "engine/end_of_cycle.h"

#include <gtest/gtest.h>

namespace utask::engine {
namespace {

ResolutionState with_states(std::vector<std::string> states) {
  ResolutionState r;
  int i = 0;
  for (auto& s : states) {
    StepState step;
    step.definition.name = "s" + std::to_string(i++);
    step.state = std::move(s);
    r.steps[step.definition.name] = std::move(step);
  }
  return r;
}

struct PriorityCase {
  std::vector<std::string> states;
  const char* expected;
};

class EndState : public ::testing::TestWithParam<PriorityCase> {};

TEST_P(EndState, FollowsThePriority) {
  EXPECT_EQ(resolution_state_from_steps(with_states(GetParam().states), false), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, EndState,
    ::testing::Values(
        PriorityCase{{"DONE", "PRUNE", "CUSTOM"}, "DONE"},
        PriorityCase{{"DONE", "RETRY_NOW", "CRASHED", "EXPANDED"}, "DONE"},  // leftovers
        PriorityCase{{"TODO", "DONE"}, "BLOCKED_DEADLOCK"},
        PriorityCase{{"TODO", "WAITING"}, "WAITING"},
        PriorityCase{{"WAITING", "TO_RETRY"}, "ERROR"},
        PriorityCase{{"AFTERRUN_ERROR"}, "ERROR"},
        PriorityCase{{"SERVER_ERROR", "CLIENT_ERROR"}, "BLOCKED_BADREQUEST"},
        PriorityCase{{"CLIENT_ERROR", "FATAL_ERROR"}, "BLOCKED_FATAL"},
        PriorityCase{{"FATAL_ERROR", "RUNNING"}, "CRASHED"}));

TEST(EndState, TodoIsCrashedWhenShuttingDown) {
  EXPECT_EQ(resolution_state_from_steps(with_states({"TODO"}), true), "CRASHED");
}

TEST(EndOfCycle, ErrorWithRunsLeftGetsNextRetry) {
  ResolutionState r = with_states({"SERVER_ERROR"});
  r.steps["s0"].try_count = 1;
  r.run_count = 1;
  r.run_max = 100;
  const Time now{};
  EXPECT_EQ(apply_end_of_cycle(r, "ERROR", now), "ERROR");
  ASSERT_TRUE(r.next_retry);
  EXPECT_EQ(*r.next_retry - now, std::chrono::seconds(10));
  EXPECT_EQ(r.task.state, "RUNNING");
}

TEST(EndOfCycle, ErrorWithoutRunsLeftBlocks) {
  ResolutionState r = with_states({"SERVER_ERROR"});
  r.run_count = 1;
  r.run_max = 1;
  EXPECT_EQ(apply_end_of_cycle(r, "ERROR", Time{}), "BLOCKED_MAXRETRIES");
  EXPECT_FALSE(r.next_retry);
  EXPECT_EQ(r.task.state, "BLOCKED");
}

TEST(EndOfCycle, StepsDoneCountsFinalTopLevelSteps) {
  ResolutionState r = with_states({"DONE", "PRUNE", "SERVER_ERROR"});
  StepState child;
  child.definition.name = "loop-0";
  child.state = "DONE";
  child.is_child = true;
  r.steps["loop-0"] = child;
  EXPECT_EQ(count_steps_done(r), 2);
}

}  // namespace
}  // namespace utask::engine

#include "engine/operator_edits.h"

#include <gtest/gtest.h>

#include "harness.h"

namespace utask::engine {
namespace {

ResolutionState in_state(std::string state) {
  ResolutionState r;
  r.state = std::move(state);
  StepState s;
  s.definition.name = "a";
  s.definition.action.type = "echo";
  s.definition.custom_states = {"MINE"};
  r.steps["a"] = s;
  return r;
}

TEST(Pause, RefusedWhileRunningUnlessForced) {
  for (const char* state : {"CANCELLED", "RUNNING", "DONE"}) {
    ResolutionState r = in_state(state);
    auto p = pause(r, false);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().message, std::string("Can't pause resolution while in state ") + state);
    EXPECT_TRUE(pause(r, true).ok());
    EXPECT_EQ(r.state, "PAUSED");
  }
  ResolutionState r = in_state("ERROR");
  EXPECT_TRUE(pause(r, false).ok());
}

TEST(Cancel, SetsTaskCancelled) {
  ResolutionState r = in_state("BLOCKED_FATAL");
  ASSERT_TRUE(cancel(r, testing::fixed_now()).ok());
  EXPECT_EQ(r.state, "CANCELLED");
  EXPECT_EQ(r.task.state, "CANCELLED");
  auto again = cancel(r, testing::fixed_now());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "Can't cancel resolution: state CANCELLED");
}

TEST(Extend, OnlyFromMaxRetries) {
  ResolutionState r = in_state("ERROR");
  EXPECT_FALSE(extend(r, std::nullopt, testing::fixed_now()).ok());
  r.state = "BLOCKED_MAXRETRIES";
  r.run_max = 1;
  ASSERT_TRUE(extend(r, std::nullopt, testing::fixed_now()).ok());
  EXPECT_EQ(r.run_max, 101);
  EXPECT_EQ(r.state, "ERROR");
  EXPECT_EQ(r.next_retry, testing::fixed_now());
}

TEST(SetStepState, BuiltinOrCustomStatesWhilePaused) {
  ResolutionState r = in_state("PAUSED");
  EXPECT_TRUE(set_step_state(r, "a", "TO_RETRY", testing::registry()).ok());
  EXPECT_TRUE(set_step_state(r, "a", "MINE", testing::registry()).ok());
  EXPECT_EQ(r.steps["a"].state, "MINE");
  auto bad = set_step_state(r, "a", "OTHER", testing::registry());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "invalid state provided: \"OTHER\" is not allowed");
  EXPECT_FALSE(set_step_state(r, "a", "ANY", testing::registry()).ok());
  EXPECT_EQ(set_step_state(r, "zz", "DONE", testing::registry()).error().code, ErrorCode::not_found);
  r.state = "ERROR";
  EXPECT_EQ(set_step_state(r, "a", "DONE", testing::registry()).error().message,
            "Cannot update a resolution which is not in state 'PAUSED'");
}

TEST(SetStepState, FunctionCustomStatesCount) {
  ResolutionState r = in_state("PAUSED");
  r.steps["a"].definition.action.type = "echo::custom::state";
  EXPECT_TRUE(set_step_state(r, "a", "STATE_HELLO", testing::registry()).ok());
  EXPECT_EQ(effective_custom_states(r.steps["a"], testing::registry()),
            (std::vector<std::string>{"MINE", "STATE_HELLO"}));
}

TEST(SetResolverInputs, PausedOnly) {
  ResolutionState r = in_state("PAUSED");
  EXPECT_TRUE(set_resolver_inputs(r, testing::json(R"({"a":1})")).ok());
  EXPECT_EQ(r.resolver_inputs["a"], 1);
  r.state = "WAITING";
  EXPECT_FALSE(set_resolver_inputs(r, Json::object()).ok());
}

}  // namespace
}  // namespace utask::engine

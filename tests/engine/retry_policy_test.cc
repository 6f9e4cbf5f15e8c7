#include "engine/retry_policy.h"

#include <gtest/gtest.h>

namespace utask::engine {
namespace {

using std::chrono::microseconds;
using namespace std::chrono_literals;

struct DelayCase {
  const char* pattern;
  int64_t try_count;
  microseconds expected;
};

class StepRetryDelay : public ::testing::TestWithParam<DelayCase> {};

TEST_P(StepRetryDelay, FollowsThePattern) {
  const DelayCase& c = GetParam();
  EXPECT_EQ(step_retry_delay(c.pattern, c.try_count), c.expected)
      << c.pattern << " n=" << c.try_count;
}

INSTANTIATE_TEST_SUITE_P(
    Table, StepRetryDelay,
    ::testing::Values(DelayCase{"", 0, 8s}, DelayCase{"seconds", 0, 8s},
                      DelayCase{"seconds", 1, 10s}, DelayCase{"seconds", 2, 12500ms},
                      DelayCase{"seconds", 3, 15625ms}, DelayCase{"seconds", 100, 600s},
                      DelayCase{"minutes", 0, 0s}, DelayCase{"minutes", 1, 96s},
                      DelayCase{"minutes", 2, 192s}, DelayCase{"minutes", 50, 1800s},
                      DelayCase{"hours", 0, 50min}, DelayCase{"hours", 1, 1h},
                      DelayCase{"hours", 3, 80min}, DelayCase{"hours", 100, 3h}));

StepState step_in(std::string state, std::string pattern, int64_t tries) {
  StepState s;
  s.state = std::move(state);
  s.definition.retry_pattern = std::move(pattern);
  s.try_count = tries;
  return s;
}

TEST(ResolutionRetryDelay, MinimumOfRetriableStepsCappedAtOneHour) {
  ResolutionState r;
  r.steps["a"] = step_in("SERVER_ERROR", "seconds", 1);  // 10 s
  r.steps["b"] = step_in("TO_RETRY", "minutes", 1);      // 96 s
  r.steps["c"] = step_in("DONE", "seconds", 0);          // not retriable
  EXPECT_EQ(resolution_retry_delay(r), 10s);
  r.steps.erase("a");
  EXPECT_EQ(resolution_retry_delay(r), 96s);
  r.steps["b"] = step_in("AFTERRUN_ERROR", "hours", 5);  // 1h40 → capped
  EXPECT_EQ(resolution_retry_delay(r), 1h);
}

TEST(ResolutionRetryDelay, OneHourWithoutRetriableStep) {
  ResolutionState r;
  r.steps["a"] = step_in("RUNNING", "seconds", 0);
  EXPECT_EQ(resolution_retry_delay(r), kMaxRetryDelay);
}

TEST(MaxRetries, ZeroMeansTenThousandNegativeUnlimited) {
  EXPECT_EQ(effective_max_retries(0), 10000);
  EXPECT_EQ(effective_max_retries(3), 3);
  EXPECT_EQ(effective_max_retries(-1), std::nullopt);
}

TEST(MaxRetries, GuardFiresOnlyPastThePositiveLimit) {
  StepState s;
  s.definition.max_retries = 1;
  s.try_count = 1;
  EXPECT_FALSE(max_retries_reached(s));
  s.try_count = 2;
  EXPECT_TRUE(max_retries_reached(s));
  s.definition.max_retries = -1;
  EXPECT_FALSE(max_retries_reached(s));
}

TEST(RunBudget, ExhaustedAtRunMax) {
  ResolutionState r;
  r.run_max = 2;
  r.run_count = 1;
  EXPECT_FALSE(runs_exhausted(r));
  r.run_count = 2;
  EXPECT_TRUE(runs_exhausted(r));
}

}  // namespace
}  // namespace utask::engine

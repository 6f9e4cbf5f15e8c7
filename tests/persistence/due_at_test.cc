// The due_at table of docs/storage.md §4.2, the claim reasons and the next_retry earlier-only
// rule, without a database.

#include "persistence/store/due_at.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace utask::persistence {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0{std::chrono::microseconds(1'700'000'000'000'000)};
const Timestamp kCreated = kT0;
const Timestamp kLastStart = kT0 + 10s;
const Timestamp kNow = kT0 + 100s;
const Timestamp kLeaseExpires = kT0 + 160s;

struct DueCase {
  const char* name;
  std::string state;
  bool leased;
  std::optional<Timestamp> next_retry;
  std::optional<Timestamp> last_start;
  bool woken;
  std::optional<Timestamp> expected;
};

std::ostream& operator<<(std::ostream& os, const DueCase& c) { return os << c.name; }

class DueAtTable : public ::testing::TestWithParam<DueCase> {};

TEST_P(DueAtTable, MatchesStorageDoc) {
  const DueCase& c = GetParam();
  DueAtInputs in{.state = c.state,
                 .leased = c.leased,
                 .lease_expires = c.leased ? std::optional(kLeaseExpires) : std::nullopt,
                 .created = kCreated,
                 .next_retry = c.next_retry,
                 .last_start = c.last_start,
                 .woken = c.woken,
                 .now = kNow};
  EXPECT_EQ(compute_due_at(in), c.expected);
}

const auto kNone = std::optional<Timestamp>();

INSTANTIATE_TEST_SUITE_P(
    Cases, DueAtTable,
    ::testing::Values(
        // Leased: the lease's expiry, whatever the state (recovery once it passes).
        DueCase{"leased_running", "RUNNING", true, kNone, kLastStart, false, kLeaseExpires},
        DueCase{"leased_waiting_woken", "WAITING", true, kT0 + 20s, kLastStart, true,
                kLeaseExpires},
        DueCase{"leased_done", "DONE", true, kNone, kLastStart, false, kLeaseExpires},
        // TO_AUTORUN: at creation.
        DueCase{"autorun", "TO_AUTORUN", false, kNone, kNone, false, kCreated},
        // ERROR, TO_AUTORUN_DELAYED: next_retry, now when unset, now when woken earlier.
        DueCase{"error_retry", "ERROR", false, kT0 + 500s, kLastStart, false, kT0 + 500s},
        DueCase{"error_unset", "ERROR", false, kNone, kLastStart, false, kNow},
        DueCase{"error_woken", "ERROR", false, kT0 + 500s, kLastStart, true, kNow},
        DueCase{"delayed", "TO_AUTORUN_DELAYED", false, kT0 + 300s, kNone, false, kT0 + 300s},
        DueCase{"delayed_unset", "TO_AUTORUN_DELAYED", false, kNone, kNone, false, kNow},
        // WAITING: next_retry only if later than last_start; now when woken.
        DueCase{"waiting_fresh_retry", "WAITING", false, kT0 + 200s, kLastStart, false, kT0 + 200s},
        DueCase{"waiting_stale_retry", "WAITING", false, kT0 + 5s, kLastStart, false, kNone},
        DueCase{"waiting_equal_retry", "WAITING", false, kLastStart, kLastStart, false, kNone},
        DueCase{"waiting_no_retry", "WAITING", false, kNone, kLastStart, false, kNone},
        DueCase{"waiting_never_started", "WAITING", false, kT0 + 200s, kNone, false, kT0 + 200s},
        DueCase{"waiting_woken", "WAITING", false, kNone, kLastStart, true, kNow},
        DueCase{"waiting_woken_stale", "WAITING", false, kT0 + 5s, kLastStart, true, kNow},
        DueCase{"waiting_woken_earlier_retry", "WAITING", false, kT0 + 50s, kLastStart, true,
                kT0 + 50s},
        // RUNNING, CRASHED without a lease: now (recovery).
        DueCase{"running_unleased", "RUNNING", false, kNone, kLastStart, false, kNow},
        DueCase{"crashed_unleased", "CRASHED", false, kNone, kLastStart, false, kNow},
        // Never claimable, woken or not.
        DueCase{"todo", "TODO", false, kNone, kNone, false, kNone},
        DueCase{"todo_woken", "TODO", false, kNone, kNone, true, kNone},
        DueCase{"paused", "PAUSED", false, kT0 + 200s, kLastStart, false, kNone},
        DueCase{"blocked", "BLOCKED_BADREQUEST", false, kNone, kLastStart, true, kNone},
        DueCase{"blocked_max", "BLOCKED_MAXRETRIES", false, kT0 + 200s, kLastStart, false, kNone},
        DueCase{"done", "DONE", false, kNone, kLastStart, true, kNone},
        DueCase{"cancelled", "CANCELLED", false, kNone, kLastStart, false, kNone}),
    [](const ::testing::TestParamInfo<DueCase>& param) { return std::string(param.param.name); });

struct ReasonCase {
  std::string state;
  bool was_leased;
  bool woken;
  ClaimReason expected;
};

TEST(ClaimReason, FromThePreClaimRow) {
  const std::vector<ReasonCase> cases{
      {"TO_AUTORUN", false, false, ClaimReason::autorun},
      {"TO_AUTORUN", true, false, ClaimReason::recovery},  // its claimer died before starting
      {"ERROR", false, false, ClaimReason::retry},
      {"TO_AUTORUN_DELAYED", false, false, ClaimReason::retry},
      {"WAITING", false, false, ClaimReason::retry},
      {"WAITING", false, true, ClaimReason::wake},
      {"ERROR", false, true, ClaimReason::wake},
      {"WAITING", true, true, ClaimReason::recovery},
      {"RUNNING", false, false, ClaimReason::recovery},
      {"CRASHED", false, true, ClaimReason::recovery},
      {"RUNNING", true, false, ClaimReason::recovery},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(claim_reason(c.state, c.was_leased, c.woken), c.expected)
        << c.state << " leased=" << c.was_leased << " woken=" << c.woken;
  }
}

TEST(ClaimKindsStates, PartitionTheClaimableStates) {
  EXPECT_TRUE(is_autorun_state("TO_AUTORUN"));
  EXPECT_FALSE(is_autorun_state("TO_AUTORUN_DELAYED"));
  for (const char* s : {"ERROR", "TO_AUTORUN_DELAYED", "WAITING"}) {
    EXPECT_TRUE(is_retry_state(s)) << s;
    EXPECT_FALSE(is_recovery_state(s)) << s;
  }
  for (const char* s : {"RUNNING", "CRASHED"}) {
    EXPECT_TRUE(is_recovery_state(s)) << s;
    EXPECT_FALSE(is_retry_state(s)) << s;
  }
  for (const char* s : {"TODO", "PAUSED", "DONE", "CANCELLED", "BLOCKED_FATAL"}) {
    EXPECT_FALSE(is_autorun_state(s) || is_retry_state(s) || is_recovery_state(s)) << s;
  }
}

struct RetryCase {
  const char* name;
  std::optional<Timestamp> stored;
  Timestamp proposed;
  std::optional<Timestamp> last_start;
  std::optional<Timestamp> expected;
};

TEST(NextRetryRule, MovesOnlyEarlierWithinARun) {
  const Timestamp start = kT0 + 100s;
  const std::vector<RetryCase> cases{
      {"unset_is_set", kNone, start + 30s, start, start + 30s},
      {"stale_is_replaced", kT0 + 50s, start + 30s, start, start + 30s},
      {"stale_equal_start_is_replaced", start, start + 30s, start, start + 30s},
      {"earlier_wins", start + 60s, start + 30s, start, start + 30s},
      {"later_is_refused", start + 30s, start + 60s, start, start + 30s},
      {"same_is_kept", start + 30s, start + 30s, start, start + 30s},
      {"before_the_run_is_refused", kNone, start - 1s, start, kNone},
      {"at_the_run_start_is_refused", start + 30s, start, start, start + 30s},
      {"no_run_window_sets_it", start + 30s, start + 60s, kNone, start + 60s},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(next_retry_after_write(c.stored, c.proposed, c.last_start), c.expected) << c.name;
  }
}

}  // namespace
}  // namespace utask::persistence

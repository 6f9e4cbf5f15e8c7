// Instances and leases (docs/storage.md §4, §5) on both backends: claim order and reasons,
// expiry and fencing, heartbeats, wake-ups during a run, parent wake-ups, the next_retry rule,
// operators' edits against a live lease. Time moves only by the fake clock.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "persistence/resolution_fixture.h"

namespace utask::testing {
namespace {

using namespace std::chrono_literals;
using persistence::Claim;
using persistence::ClaimKinds;
using persistence::ClaimReason;
using persistence::Lease;
using persistence::ResolutionChange;
using persistence::ResolutionView;
using persistence::StepRecord;

class LeaseStoreTest : public ResolutionStoreTest {
 protected:
  std::optional<Claim> claim(int64_t instance, ClaimKinds kinds = {}) {
    return claim_on(store(), instance, kinds);
  }
  std::optional<Claim> claim_on(persistence::Store& s, int64_t instance, ClaimKinds kinds = {}) {
    auto c = s.claim_next(instance, kinds);
    EXPECT_TRUE(c.ok()) << c.error().message;
    return c.ok() ? *c : std::nullopt;
  }
  Claim must_claim(int64_t instance, const std::string& expected_id, ClaimKinds kinds = {}) {
    auto c = claim(instance, kinds);
    EXPECT_TRUE(c.has_value()) << "nothing claimable, expected " << expected_id;
    if (!c) return {};
    EXPECT_EQ(c->lease.resolution_id, expected_id);
    return *c;
  }
  // The engine's first checkpoint: RUNNING, run_count + 1, last_start.
  void start_run(const Lease& lease) {
    ResolutionChange ch;
    ch.state = "RUNNING";
    ch.last_start = clock().now();
    ch.run_count = 1;
    ch.task_state = "RUNNING";
    auto r = store().checkpoint(lease, ch);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  void release_as(const Lease& lease, const std::string& state,
                  std::optional<ResolutionChange::WakeParent> wake = std::nullopt,
                  const std::string& task_state = "") {
    ResolutionChange ch;
    ch.state = state;
    ch.last_stop = clock().now();
    if (!task_state.empty()) ch.task_state = task_state;
    ch.wake_parent = std::move(wake);
    auto r = store().release(lease, ch);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
};

TEST_P(LeaseStoreTest, RegistersAndListsInstances) {
  const int64_t a = register_instance("host-a");
  const int64_t b = register_instance("host-b");
  EXPECT_NE(a, b);
  auto list = store().list_instances();
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, a);
  EXPECT_EQ((*list)[0].hostname, "host-a");
  EXPECT_EQ((*list)[0].pid, 42);
  EXPECT_EQ((*list)[0].started, clock().now());
  EXPECT_EQ((*list)[1].hostname, "host-b");
}

TEST_P(LeaseStoreTest, ClaimsEarliestDueFirstWithItsReason) {
  const int64_t self = register_instance();
  const auto t0 = clock().now();
  const std::string first = new_resolution("TO_AUTORUN");      // due t0
  const std::string retry = new_resolution("ERROR", t0 + 5s);  // due t0+5s
  clock().advance(1s);
  const std::string second = new_resolution("TO_AUTORUN");      // due t0+1s
  const std::string todo = new_resolution("TODO");              // never
  const std::string waiting_stale = new_resolution("WAITING");  // never
  (void)todo;
  (void)waiting_stale;
  clock().advance(1s);

  Claim c = must_claim(self, first);
  EXPECT_EQ(c.reason, ClaimReason::autorun);
  EXPECT_EQ(c.state, "TO_AUTORUN");
  EXPECT_EQ(c.lease.instance_id, self);
  EXPECT_EQ(c.lease.expires, clock().now() + 60s);
  EXPECT_EQ(must_claim(self, second).reason, ClaimReason::autorun);
  EXPECT_FALSE(claim(self).has_value()) << "the retry is not due yet";

  clock().advance(3s);
  Claim r = must_claim(self, retry);
  EXPECT_EQ(r.reason, ClaimReason::retry);
  EXPECT_EQ(r.state, "ERROR");
  EXPECT_FALSE(claim(self).has_value()) << "TODO and a WAITING row without next_retry never are";

  // Claiming changes no state, but records the instance.
  auto rec = resolution(first, ResolutionView::without_steps);
  EXPECT_EQ(rec.state, "TO_AUTORUN");
  EXPECT_EQ(rec.instance_id, self);
  EXPECT_EQ(rec.generation, c.lease.generation);
}

TEST_P(LeaseStoreTest, ClaimKindsRestrictTheStates) {
  const int64_t self = register_instance();
  const std::string autorun = new_resolution("TO_AUTORUN");
  const std::string retry = new_resolution("ERROR");
  ClaimKinds only_retry{.autorun = false, .retry = true, .recovery = false};
  EXPECT_EQ(must_claim(self, retry, only_retry).reason, ClaimReason::retry);
  EXPECT_FALSE(claim(self, only_retry).has_value());
  EXPECT_FALSE(claim(self, {.autorun = false, .retry = false, .recovery = false}).has_value());
  ClaimKinds only_autorun{.autorun = true, .retry = false, .recovery = false};
  EXPECT_EQ(must_claim(self, autorun, only_autorun).reason, ClaimReason::autorun);
}

TEST_P(LeaseStoreTest, ClaimLeasesUpToMaxEarliestDueFirst) {
  const int64_t self = register_instance();
  std::vector<std::string> due;  // in due order
  for (int i = 0; i < 5; ++i) {
    due.push_back(new_resolution("TO_AUTORUN"));
    clock().advance(1s);
  }
  const std::string todo = new_resolution("TODO");  // never claimable
  (void)todo;

  auto first = store().claim(self, {}, 3);
  ASSERT_TRUE(first.ok()) << first.error().message;
  std::set<std::string> got;
  for (const auto& c : *first) {
    got.insert(c.lease.resolution_id);
    EXPECT_EQ(c.reason, ClaimReason::autorun);
    EXPECT_EQ(c.state, "TO_AUTORUN");
    EXPECT_EQ(c.lease.generation, resolution(c.lease.resolution_id, ResolutionView::without_steps).generation);
  }
  EXPECT_EQ(got, (std::set<std::string>{due[0], due[1], due[2]})) << "the three earliest due";

  auto rest = store().claim(self, {}, 10);
  ASSERT_TRUE(rest.ok()) << rest.error().message;
  ASSERT_EQ(rest->size(), 2u) << "only what is left, never a leased row again";
  for (const auto& c : *rest) EXPECT_TRUE(c.lease.resolution_id == due[3] || c.lease.resolution_id == due[4]);

  auto none = store().claim(self, {}, 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto zero = store().claim(self, {}, 0);
  ASSERT_TRUE(zero.ok());
  EXPECT_TRUE(zero->empty());
}

TEST_P(LeaseStoreTest, HeldLeaseIsClaimableOnlyAfterExpiryAsRecovery) {
  const int64_t a = register_instance("host-a");
  const int64_t b = register_instance("host-b");
  const std::string rid = new_resolution("TO_AUTORUN");
  const Claim first = must_claim(a, rid);
  start_run(first.lease);

  EXPECT_FALSE(claim(b).has_value());
  clock().advance(59s);
  EXPECT_FALSE(claim(b, {.autorun = false, .retry = false, .recovery = true}).has_value());
  clock().advance(1s);  // lease_expires <= now
  const Claim second = must_claim(b, rid);
  EXPECT_EQ(second.reason, ClaimReason::recovery);
  EXPECT_EQ(second.state, "RUNNING");
  EXPECT_GT(second.lease.generation, first.lease.generation);
  EXPECT_EQ(resolution(rid).instance_id, b);
}

TEST_P(LeaseStoreTest, OldHolderIsFencedOutAndWritesNothing) {
  const int64_t a = register_instance("host-a");
  const int64_t b = register_instance("host-b");
  const std::string rid = new_resolution("TO_AUTORUN");
  const Claim old = must_claim(a, rid);
  start_run(old.lease);
  clock().advance(61s);
  const Claim fresh = must_claim(b, rid);

  ResolutionChange stale;
  stale.state = "DONE";
  stale.put_steps = {StepRecord{"a", "DONE", R"({"state":"DONE"})"}};
  stale.task_state = "DONE";
  stale.comment = persistence::NewComment{"engine", "stale write"};
  auto r = store().checkpoint(old.lease, stale);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::lease_lost);
  auto rel = store().release(old.lease, stale);
  ASSERT_FALSE(rel.ok());
  EXPECT_EQ(rel.error().code, ErrorCode::lease_lost);

  auto rec = resolution(rid);
  EXPECT_EQ(rec.state, "RUNNING");
  EXPECT_EQ(rec.steps.at(0).state, "TODO");
  auto task = store().get_task(rec.task_id);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->state, "RUNNING");
  auto comments = store().list_comments(rec.task_id);
  ASSERT_TRUE(comments.ok());
  EXPECT_TRUE(comments->empty());

  // The new holder writes.
  ResolutionChange ok;
  ok.put_steps = {StepRecord{"a", "DONE", R"({"state":"DONE"})"}};
  ASSERT_TRUE(store().checkpoint(fresh.lease, ok).ok());
  EXPECT_EQ(resolution(rid).steps.at(0).state, "DONE");
}

TEST_P(LeaseStoreTest, TheGenerationFencesTheSameInstancesOlderLease) {
  // An actor of this instance that stalled past expiry, its resolution re-claimed by the same
  // instance: only the generation tells the two leases apart.
  const int64_t self = register_instance();
  const std::string rid = new_resolution("TO_AUTORUN");
  const Claim old = must_claim(self, rid);
  clock().advance(60s);
  const Claim fresh = must_claim(self, rid);
  EXPECT_EQ(fresh.lease.instance_id, old.lease.instance_id);
  ResolutionChange ch;
  ch.state = "RUNNING";
  auto stale = store().checkpoint(old.lease, ch);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::lease_lost);
  EXPECT_EQ(store().release(old.lease, ch).error().code, ErrorCode::lease_lost);
  EXPECT_EQ(resolution(rid).state, "TO_AUTORUN");
  EXPECT_TRUE(store().checkpoint(fresh.lease, ch).ok());
  EXPECT_EQ(resolution(rid).state, "RUNNING");
}

TEST_P(LeaseStoreTest, CheckpointExtendsTheLeaseAndWritesStepsTaskAndComment) {
  const int64_t self = register_instance();
  const std::string rid = new_resolution("TO_AUTORUN");
  const Claim c = must_claim(self, rid);
  clock().advance(30s);
  ResolutionChange ch;
  ch.state = "RUNNING";
  ch.last_start = clock().now();
  ch.run_count = 1;
  ch.put_steps = {StepRecord{"a", "RUNNING", R"({"state":"RUNNING"})"},
                  StepRecord{"c", "TODO", R"({"state":"TODO","n":1.50})"}};
  ch.erase_steps = {"b"};
  ch.task_state = "RUNNING";
  ch.steps_done = 1;
  ch.task_result_json = R"({"r":2})";
  ch.comment = persistence::NewComment{"engine", "started"};
  ASSERT_TRUE(store().checkpoint(c.lease, ch).ok());

  auto rec = resolution(rid);
  EXPECT_EQ(rec.state, "RUNNING");
  EXPECT_EQ(rec.run_count, 1);
  EXPECT_EQ(rec.last_start, clock().now());
  ASSERT_EQ(rec.steps.size(), 2u);
  EXPECT_EQ(rec.steps[0].name, "a");
  EXPECT_EQ(rec.steps[0].state, "RUNNING");
  EXPECT_EQ(rec.steps[1].name, "c");
  EXPECT_EQ(rec.steps[1].step_json, R"({"state":"TODO","n":1.50})");
  auto task = store().get_task(rec.task_id);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->state, "RUNNING");
  EXPECT_EQ(task->steps_done, 1);
  EXPECT_EQ(task->result_json, R"({"r":2})");
  EXPECT_EQ(task->last_activity, clock().now());
  auto comments = store().list_comments(rec.task_id);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ(comments->front().content, "started");

  // A checkpoint leaves the lease to the heartbeat: it still runs to claim + ttl, 30 s after
  // the checkpoint — not claimable 29 s later, claimable at 30 s.
  const int64_t other = register_instance("host-b");
  clock().advance(29s);
  EXPECT_FALSE(claim(other).has_value());
  clock().advance(1s);
  EXPECT_EQ(must_claim(other, rid).reason, ClaimReason::recovery);
}

TEST_P(LeaseStoreTest, HeartbeatRenewsLeasesAndReportsLostOnes) {
  const int64_t a = register_instance("host-a");
  const int64_t b = register_instance("host-b");
  const std::string r1 = new_resolution("TO_AUTORUN");
  const std::string r2 = new_resolution("TO_AUTORUN");
  const Claim c1 = must_claim(a, r1);
  const Claim c2 = must_claim(a, r2);

  clock().advance(50s);
  auto beat = store().heartbeat(a);
  ASSERT_TRUE(beat.ok()) << beat.error().message;
  ASSERT_EQ(beat->size(), 2u);
  for (const Lease& l : *beat) {
    EXPECT_EQ(l.instance_id, a);
    EXPECT_EQ(l.expires, clock().now() + 60s);
    EXPECT_EQ(l.generation, l.resolution_id == r1 ? c1.lease.generation : c2.lease.generation);
  }
  clock().advance(50s);  // 100 s after the claim, 50 s after the renewal
  EXPECT_FALSE(claim(b).has_value());

  // An operator's forced pause revokes r2: the next heartbeat no longer lists it.
  ResolutionChange pause;
  pause.state = "PAUSED";
  pause.revoke_lease = true;
  ASSERT_TRUE(store().update_resolution(r2, pause).ok());
  beat = store().heartbeat(a);
  ASSERT_TRUE(beat.ok());
  ASSERT_EQ(beat->size(), 1u);
  EXPECT_EQ(beat->front().resolution_id, r1);

  auto instances = store().list_instances();
  ASSERT_TRUE(instances.ok());
  EXPECT_EQ(instances->front().heartbeat, clock().now());

  auto unknown = store().heartbeat(a + b + 1000);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

TEST_P(LeaseStoreTest, WakeDuringARunMakesTheReleaseClaimableAtOnce) {
  const int64_t self = register_instance();
  const std::string woken = new_resolution("TO_AUTORUN");
  const std::string quiet = new_resolution("TO_AUTORUN");
  const Claim cw = must_claim(self, woken);
  const Claim cq = must_claim(self, quiet);
  start_run(cw.lease);
  start_run(cq.lease);

  ASSERT_TRUE(store().wake_resolution(woken).ok());  // a callback arrives during the run
  EXPECT_FALSE(claim(self).has_value()) << "still leased";
  release_as(cw.lease, "WAITING", std::nullopt, "WAITING");
  release_as(cq.lease, "WAITING", std::nullopt, "WAITING");

  const Claim again = must_claim(self, woken);
  EXPECT_EQ(again.reason, ClaimReason::wake);
  EXPECT_EQ(again.state, "WAITING");
  EXPECT_GT(again.lease.wake_seq, cw.lease.wake_seq);
  EXPECT_FALSE(claim(self).has_value()) << "a WAITING release without a wake-up waits";
}

TEST_P(LeaseStoreTest, WakeResolutionMakesAWaitingOneClaimable) {
  const int64_t self = register_instance();
  const std::string rid = new_resolution("TO_AUTORUN");
  const Claim c = must_claim(self, rid);
  start_run(c.lease);
  release_as(c.lease, "WAITING");
  EXPECT_FALSE(claim(self).has_value());
  ASSERT_TRUE(store().wake_resolution(rid).ok());
  const Claim woken = must_claim(self, rid);
  EXPECT_EQ(woken.reason, ClaimReason::wake);
  EXPECT_EQ(woken.lease.wake_seq, 1);
  // That run saw the wake-up: its release does not make it claimable again.
  start_run(woken.lease);
  release_as(woken.lease, "WAITING");
  EXPECT_FALSE(claim(self).has_value());

  auto missing = store().wake_resolution("00000000-0000-4000-8000-000000000000");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

TEST_P(LeaseStoreTest, ChildReleaseWakesItsParent) {
  const int64_t self = register_instance();
  const std::string parent_task = new_task();
  const std::string parent = resolve(parent_task);
  const Claim cp = must_claim(self, parent);
  start_run(cp.lease);
  release_as(cp.lease, "WAITING", std::nullopt, "WAITING");

  // Two children, due at the same time: claimed by row order.
  const std::string child = resolve(new_task("TODO", parent_task));
  const std::string sibling = resolve(new_task("TODO", parent_task));
  const Claim cc = must_claim(self, child);
  start_run(cc.lease);
  release_as(cc.lease, "DONE", std::nullopt, "DONE");
  const Claim cs = must_claim(self, sibling);
  EXPECT_FALSE(claim(self).has_value()) << "no wake_parent, no wake-up";

  start_run(cs.lease);
  release_as(cs.lease, "DONE", ResolutionChange::WakeParent{parent_task, false}, "DONE");
  EXPECT_EQ(must_claim(self, parent).reason, ClaimReason::wake);
}

TEST_P(LeaseStoreTest, BatchWakesItsParentOnlyWhenEveryTaskEnded) {
  const int64_t self = register_instance();
  const std::string parent_task = new_task();
  const std::string parent = resolve(parent_task);
  const Claim cp = must_claim(self, parent);
  start_run(cp.lease);
  release_as(cp.lease, "WAITING", std::nullopt, "WAITING");

  const auto children = new_batch(2, parent_task);
  ASSERT_EQ(children.size(), 2u);
  const std::string r0 = resolve(children[0]);
  const std::string r1 = resolve(children[1]);
  const Claim c0 = must_claim(self, r0);
  const Claim c1 = must_claim(self, r1);
  start_run(c0.lease);
  start_run(c1.lease);

  const ResolutionChange::WakeParent wake{parent_task, true};
  release_as(c0.lease, "DONE", wake, "DONE");
  EXPECT_FALSE(claim(self).has_value()) << "the other child of the batch still runs";
  EXPECT_EQ(resolution(parent).wake_seq, 0);
  release_as(c1.lease, "DONE", wake, "DONE");
  EXPECT_EQ(resolution(parent).wake_seq, 1);
  EXPECT_EQ(must_claim(self, parent).reason, ClaimReason::wake);
}

TEST_P(LeaseStoreTest, ChildEndingWhileTheParentRunsWakesItAtItsRelease) {
  const int64_t self = register_instance();
  const std::string parent_task = new_task();
  const std::string parent = resolve(parent_task);
  const std::string child = resolve(new_task("TODO", parent_task));
  const Claim cp = must_claim(self, parent);
  const Claim cc = must_claim(self, child);
  start_run(cp.lease);
  start_run(cc.lease);
  release_as(cc.lease, "DONE", ResolutionChange::WakeParent{parent_task, false}, "DONE");
  EXPECT_FALSE(claim(self).has_value()) << "the parent is still leased";
  release_as(cp.lease, "WAITING", std::nullopt, "WAITING");
  EXPECT_EQ(must_claim(self, parent).reason, ClaimReason::wake);
}

TEST_P(LeaseStoreTest, NextRetryOnlyMovesEarlierWithinARun) {
  const int64_t self = register_instance();
  const std::string rid = new_resolution("TO_AUTORUN");
  const Claim c = must_claim(self, rid);
  start_run(c.lease);
  const auto start = clock().now();
  auto set_retry = [&](std::chrono::seconds d) {
    ResolutionChange ch;
    ch.next_retry = std::optional(start + d);
    auto r = store().checkpoint(c.lease, ch);
    ASSERT_TRUE(r.ok()) << r.error().message;
  };
  set_retry(60s);
  EXPECT_EQ(resolution(rid).next_retry, start + 60s);
  set_retry(120s);
  EXPECT_EQ(resolution(rid).next_retry, start + 60s) << "later is refused";
  set_retry(30s);
  EXPECT_EQ(resolution(rid).next_retry, start + 30s) << "earlier wins";
  set_retry(-5s);
  EXPECT_EQ(resolution(rid).next_retry, start + 30s) << "before the run is refused";

  release_as(c.lease, "ERROR");
  clock().advance(29s);
  EXPECT_FALSE(claim(self).has_value());
  clock().advance(1s);
  EXPECT_EQ(must_claim(self, rid).reason, ClaimReason::retry);
}

TEST_P(LeaseStoreTest, StaleNextRetryIsReplacedInANewRun) {
  const int64_t self = register_instance();
  const std::string rid = new_resolution("TO_AUTORUN");
  Claim c = must_claim(self, rid);
  start_run(c.lease);
  ResolutionChange ch;
  ch.next_retry = std::optional(clock().now() + 10s);
  ch.state = "ERROR";
  ASSERT_TRUE(store().release(c.lease, ch).ok());
  clock().advance(10s);
  c = must_claim(self, rid);
  start_run(c.lease);  // last_start moves past the old next_retry
  ResolutionChange later;
  later.next_retry = std::optional(clock().now() + 600s);
  ASSERT_TRUE(store().checkpoint(c.lease, later).ok());
  EXPECT_EQ(resolution(rid).next_retry, clock().now() + 600s);
}

TEST_P(LeaseStoreTest, OperatorEditIsRefusedWhileLeasedUnlessItRevokes) {
  const int64_t self = register_instance();
  const std::string rid = new_resolution("TO_AUTORUN");
  const Claim c = must_claim(self, rid);
  start_run(c.lease);

  ResolutionChange pause;
  pause.state = "PAUSED";
  auto refused = store().update_resolution(rid, pause);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  EXPECT_NE(refused.error().message.find(std::to_string(self)), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(resolution(rid).state, "RUNNING");

  pause.revoke_lease = true;
  auto forced = store().update_resolution(rid, pause);
  ASSERT_TRUE(forced.ok()) << forced.error().message;
  EXPECT_EQ(forced->state, "PAUSED");
  EXPECT_GT(forced->generation, c.lease.generation);
  auto fenced = store().checkpoint(c.lease, ResolutionChange{});
  ASSERT_FALSE(fenced.ok());
  EXPECT_EQ(fenced.error().code, ErrorCode::lease_lost);
  clock().advance(3600s);
  EXPECT_FALSE(claim(self).has_value()) << "a paused resolution is never claimable";
}

TEST_P(LeaseStoreTest, OperatorEditAfterExpiryClearsTheDeadLease) {
  const int64_t self = register_instance();
  const std::string rid = new_resolution("TO_AUTORUN");
  const Claim c = must_claim(self, rid);
  start_run(c.lease);
  clock().advance(61s);
  ResolutionChange pause;
  pause.state = "PAUSED";
  auto r = store().update_resolution(rid, pause);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GT(r->generation, c.lease.generation);
  EXPECT_FALSE(claim(self).has_value()) << "not recovered as RUNNING: it is PAUSED";
  EXPECT_EQ(store().checkpoint(c.lease, ResolutionChange{}).error().code, ErrorCode::lease_lost);
}

TEST_P(LeaseStoreTest, AcquireLeaseRefusesALiveLeaseAndTakesAnExpiredOne) {
  const int64_t a = register_instance("host-a");
  const int64_t b = register_instance("host-b");
  const std::string rid = new_resolution("TODO");
  auto la = store().acquire_lease(rid, a);
  ASSERT_TRUE(la.ok()) << la.error().message;
  EXPECT_EQ(la->instance_id, a);
  EXPECT_EQ(la->expires, clock().now() + 60s);

  auto busy = store().acquire_lease(rid, b);
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, ErrorCode::conflict);
  EXPECT_NE(busy.error().message.find("instance " + std::to_string(a)), std::string::npos);

  auto missing = store().acquire_lease("00000000-0000-4000-8000-000000000000", b);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);

  clock().advance(60s);
  auto lb = store().acquire_lease(rid, b);
  ASSERT_TRUE(lb.ok()) << lb.error().message;
  EXPECT_GT(lb->generation, la->generation);
  EXPECT_EQ(store().checkpoint(*la, ResolutionChange{}).error().code, ErrorCode::lease_lost);

  // Released: free again, and a checkpoint on the ended lease is refused.
  ResolutionChange done;
  done.state = "TODO";
  ASSERT_TRUE(store().release(*lb, done).ok());
  EXPECT_EQ(store().checkpoint(*lb, ResolutionChange{}).error().code, ErrorCode::lease_lost);
  auto again = store().acquire_lease(rid, a);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_GT(again->generation, lb->generation);
}

TEST_P(LeaseStoreTest, TwoStoresNeverLeaseTheSameRow) {
  persistence::Store& other = open_another();
  const int64_t a = register_instance("host-a");
  const int64_t b = register_instance(other, "host-b");
  const std::string r1 = new_resolution("TO_AUTORUN");
  const std::string r2 = new_resolution("TO_AUTORUN");
  auto c1 = claim(a);
  auto c2 = claim_on(other, b);
  ASSERT_TRUE(c1 && c2);
  EXPECT_NE(c1->lease.resolution_id, c2->lease.resolution_id);
  EXPECT_FALSE(claim(a).has_value());
  EXPECT_FALSE(claim_on(other, b).has_value());
  (void)r1;
  (void)r2;
}

UTASK_STORE_TEST_SUITE(LeaseStoreTest);

}  // namespace
}  // namespace utask::testing

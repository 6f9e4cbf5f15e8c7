// Leases under real concurrency, on both backends: several processes (fork, each with its own
// Store on the same SQLite file or Postgres database) with several threads each claim,
// checkpoint and release resolutions until none is left, and no resolution is ever held by two
// holders at once; a stale holder's writes are rejected with lease_lost and change nothing.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <new>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "proof_support.h"
#include "store_fixture.h"

namespace utask::testing {
namespace {

using persistence::ClaimReason;
using persistence::Lease;
using persistence::ResolutionChange;
using persistence::ResolutionView;
using persistence::StepRecord;

constexpr int kResolutions = 200;
constexpr int kClaimsEach = 3;  // released claimable twice, then DONE
constexpr int kProcesses = 4;
constexpr int kThreads = 4;
constexpr int kMaxHolds = kResolutions * kClaimsEach * 2;

// One lease held: when it was obtained and when its holder let go, on a counter shared by
// every process, so holds of one resolution can be ordered across processes.
struct Hold {
  char resolution_id[40];
  int64_t generation;
  int64_t obtained;  // counter value taken after claim returned
  int64_t released;  // counter value taken before release() was called
  int32_t holder;    // process * kThreads + thread
  int32_t checkpoint_ok;
};

// Lives in MAP_SHARED memory: written by the children, read by the parent.
struct SharedLog {
  std::atomic<int64_t> clock;
  std::atomic<int64_t> holds;
  std::atomic<int64_t> failures;
  std::atomic<int32_t> message_taken;
  char first_failure[512];
  Hold hold[kMaxHolds];
};

class SharedMemory {
 public:
  SharedMemory() {
    void* p = mmap(nullptr, sizeof(SharedLog), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) std::abort();
    log_ = new (p) SharedLog{};
  }
  ~SharedMemory() { munmap(log_, sizeof(SharedLog)); }
  SharedLog* get() const { return log_; }

 private:
  SharedLog* log_;
};

void fail(SharedLog& log, const std::string& message) {
  log.failures.fetch_add(1);
  if (log.message_taken.exchange(1) == 0) {
    std::strncpy(log.first_failure, message.c_str(), sizeof log.first_failure - 1);
  }
}

// Claims until nothing is claimable, holding each lease across a checkpoint.
// Odd holders claim two at a time (the supervisor's batched claim), even ones one at a time.
void holder_loop(persistence::Store& store, int64_t instance, int holder, SharedLog& log) {
  int transient_in_a_row = 0;
  for (;;) {
    auto claims = store.claim(instance, {}, 1 + holder % 2);
    if (!claims) {
      if (claims.error().code == ErrorCode::transient && ++transient_in_a_row < 50) continue;
      return fail(log, "claim: " + claims.error().message);
    }
    transient_in_a_row = 0;
    if (claims->empty()) return;
    const int64_t obtained = log.clock.fetch_add(1);
    for (const auto& claim : *claims) {
      const Lease lease = claim.lease;
      ResolutionChange run;
      run.state = "RUNNING";
      run.put_steps = {StepRecord{"step0", "RUNNING",
                                  R"({"holder":)" + std::to_string(holder) + R"(,"generation":)" +
                                      std::to_string(lease.generation) + "}"}};
      auto checkpointed = store.checkpoint(lease, run);

      const int64_t released = log.clock.fetch_add(1);
      ResolutionChange end;
      end.state = lease.generation < kClaimsEach ? "TO_AUTORUN" : "DONE";
      auto done = store.release(lease, end);
      if (!done) fail(log, "release: " + done.error().message);

      const int64_t slot = log.holds.fetch_add(1);
      if (slot >= kMaxHolds) return fail(log, "more holds than possible");
      Hold& h = log.hold[slot];
      std::strncpy(h.resolution_id, lease.resolution_id.c_str(), sizeof h.resolution_id - 1);
      h.generation = lease.generation;
      h.obtained = obtained;
      h.released = released;
      h.holder = holder;
      h.checkpoint_ok = checkpointed.ok() ? 1 : 0;
      if (!checkpointed) fail(log, "checkpoint: " + checkpointed.error().message);
    }
  }
}

// A child process: its own Store, kThreads holders. Never returns; never runs the parent's
// destructors (they would close the parent's connections).
[[noreturn]] void child(const persistence::StoreOptions& options, int process, SharedLog& log) {
  alarm(100);  // a stuck child dies, and the parent sees it
  auto store = persistence::open_store(options);
  if (!store) {
    fail(log, "open_store: " + store.error().message);
    _exit(2);
  }
  auto self = (*store)->register_instance({0, "child", getpid(), "test", {}, {}});
  if (!self) {
    fail(log, "register_instance: " + self.error().message);
    _exit(2);
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { holder_loop(**store, self->id, process * kThreads + t, log); });
  }
  for (auto& t : threads) t.join();
  _exit(0);
}

class LeaseConcurrencyTest : public StoreTest {};

TEST_P(LeaseConcurrencyTest, ProcessesAndThreadsNeverHoldTheSameResolutionAtOnce) {
  sync_proof_template(store());
  std::vector<persistence::NewTask> tasks;
  for (int i = 0; i < kResolutions; ++i) tasks.push_back(proof_task("t" + std::to_string(i), "s", 1));
  const auto created = create_all(store(), std::move(tasks));
  ASSERT_EQ(created.size(), static_cast<size_t>(kResolutions));

  SharedMemory memory;
  SharedLog& log = *memory.get();
  const auto child_options = options(make_test_ring(1));
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) child(child_options, p, log);
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  EXPECT_EQ(log.failures.load(), 0) << log.first_failure;

  // Every resolution was held exactly kClaimsEach times, generations 1..kClaimsEach in the
  // order of the holds, each hold over before the next began.
  const int64_t holds = std::min<int64_t>(log.holds.load(), kMaxHolds);
  EXPECT_EQ(holds, kResolutions * kClaimsEach);
  std::map<std::string, std::vector<Hold>> by_resolution;
  std::set<int32_t> holders;
  for (int64_t i = 0; i < holds; ++i) {
    by_resolution[log.hold[i].resolution_id].push_back(log.hold[i]);
    holders.insert(log.hold[i].holder);
  }
  EXPECT_EQ(by_resolution.size(), static_cast<size_t>(kResolutions));
  EXPECT_GT(holders.size(), static_cast<size_t>(kThreads)) << "the holders did not overlap in time";
  for (auto& [rid, list] : by_resolution) {
    std::sort(list.begin(), list.end(), [](const Hold& a, const Hold& b) { return a.obtained < b.obtained; });
    ASSERT_EQ(list.size(), static_cast<size_t>(kClaimsEach)) << rid;
    for (size_t i = 0; i < list.size(); ++i) {
      EXPECT_EQ(list[i].generation, static_cast<int64_t>(i + 1)) << rid << ": generations collide or go back";
      EXPECT_EQ(list[i].checkpoint_ok, 1) << rid;
      if (i > 0) {
        EXPECT_LT(list[i - 1].released, list[i].obtained) << rid << ": held twice at once";
      }
    }
  }

  // None left: nothing claimable, every resolution DONE at generation kClaimsEach.
  auto self = store().register_instance({0, "parent", getpid(), "test", {}, {}});
  ASSERT_TRUE(self.ok()) << self.error().message;
  auto none = store().claim_next(self->id, {});
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none->has_value());
  for (const auto& t : created) {
    auto r = store().get_resolution(*t.resolution_id, ResolutionView::without_steps);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->state, "DONE");
    EXPECT_EQ(r->generation, kClaimsEach);
  }
}

TEST_P(LeaseConcurrencyTest, ThreadsRacingForOneResolutionGetOneLease) {
  sync_proof_template(store());
  const auto created = create_all(store(), {proof_task("one", "s", 1)});
  ASSERT_EQ(created.size(), 1u);
  constexpr int kRacers = 8;
  std::vector<persistence::Store*> stores;
  std::vector<int64_t> instances;
  for (int i = 0; i < kRacers; ++i) {
    stores.push_back(i % 2 == 0 ? &store() : &open_another());
    auto self = stores.back()->register_instance({0, "racer", i, "test", {}, {}});
    ASSERT_TRUE(self.ok()) << self.error().message;
    instances.push_back(self->id);
  }
  std::atomic<int> won{0}, refused{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      auto lease = stores[i]->acquire_lease(*created[0].resolution_id, instances[i]);
      if (lease) ++won;
      else if (lease.error().code == ErrorCode::conflict) ++refused;
      else ++other;
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(refused.load(), kRacers - 1);
  EXPECT_EQ(other.load(), 0);
}

TEST_P(LeaseConcurrencyTest, AStaleHoldersWritesAreRejectedAndChangeNothing) {
  sync_proof_template(store());
  const auto created = create_all(store(), {proof_task("stale", "s", 2)});
  ASSERT_EQ(created.size(), 1u);
  const auto rid = *created[0].resolution_id;
  auto& other = open_another();
  auto old_self = store().register_instance({0, "old", 1, "test", {}, {}});
  auto new_self = other.register_instance({0, "new", 2, "test", {}, {}});
  ASSERT_TRUE(old_self.ok() && new_self.ok());

  auto first = store().claim_next(old_self->id, {});
  ASSERT_TRUE(first.ok() && first->has_value());
  const Lease stale = (*first)->lease;
  ResolutionChange run;
  run.state = "RUNNING";
  run.put_steps = {StepRecord{"step0", "RUNNING", R"({"by":"old"})"}};
  ASSERT_TRUE(store().checkpoint(stale, run).ok());

  // Not claimable while the lease lives; claimable for recovery once it expired.
  auto early = other.claim_next(new_self->id, {});
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(early->has_value());
  clock().advance(std::chrono::seconds(61));
  auto taken = other.claim_next(new_self->id, {});
  ASSERT_TRUE(taken.ok() && taken->has_value());
  EXPECT_EQ((*taken)->reason, ClaimReason::recovery);
  EXPECT_GT((*taken)->lease.generation, stale.generation);
  ResolutionChange mine;
  mine.put_steps = {StepRecord{"step0", "DONE", R"({"by":"new"})"}};
  ASSERT_TRUE(other.checkpoint((*taken)->lease, mine).ok());

  // The old holder comes back: every write is refused and nothing it sent lands.
  ResolutionChange late;
  late.state = "BLOCKED_FATAL";
  late.task_state = "BLOCKED";
  late.put_steps = {StepRecord{"step0", "FATAL_ERROR", R"({"by":"old, late"})"},
                    StepRecord{"step1", "DONE", R"({"by":"old, late"})"}};
  late.comment = persistence::NewComment{"utask", "late"};
  auto rejected = store().checkpoint(stale, late);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code, ErrorCode::lease_lost) << rejected.error().message;
  auto rejected_release = store().release(stale, late);
  ASSERT_FALSE(rejected_release.ok());
  EXPECT_EQ(rejected_release.error().code, ErrorCode::lease_lost);
  auto beat = store().heartbeat(old_self->id);
  ASSERT_TRUE(beat.ok()) << beat.error().message;
  for (const auto& l : *beat) EXPECT_NE(l.resolution_id, rid) << "the old holder still reports the lease";

  auto r = store().get_resolution(rid, ResolutionView::with_steps);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->state, "RUNNING");
  ASSERT_EQ(r->steps.size(), 2u);
  EXPECT_EQ(r->steps[0].step_json, R"({"by":"new"})");
  EXPECT_EQ(r->steps[1].state, "TODO");
  auto task = store().get_task(created[0].id);
  ASSERT_TRUE(task.ok());
  EXPECT_NE(task->state, "BLOCKED");
  auto comments = store().list_comments(created[0].id);
  ASSERT_TRUE(comments.ok());
  for (const auto& c : *comments) EXPECT_NE(c.content, "late");

  // The new holder's own writes still go through.
  ResolutionChange finish;
  finish.state = "DONE";
  EXPECT_TRUE(other.release((*taken)->lease, finish).ok());
}

UTASK_STORE_TEST_SUITE(LeaseConcurrencyTest);

}  // namespace
}  // namespace utask::testing

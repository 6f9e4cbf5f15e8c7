// Group commit of leased writes: many writers share commits, each gets its own result, a
// fenced-out write in a group fails alone.

#include <atomic>
#include <thread>

#include "persistence/group_commit.h"
#include "persistence/resolution_fixture.h"

namespace utask::testing {
namespace {

class GroupCommitTest : public ResolutionStoreTest {
 protected:
  // `n` claimed resolutions of instance `self`.
  std::vector<persistence::Lease> claim(int n, int64_t self) {
    for (int i = 0; i < n; ++i) new_resolution();
    std::vector<persistence::Lease> leases;
    for (int i = 0; i < n; ++i) {
      auto c = store().claim_next(self, {});
      EXPECT_TRUE(c.ok() && c->has_value());
      if (c.ok() && c->has_value()) leases.push_back((*c)->lease);
    }
    return leases;
  }

  static std::string body_of(const persistence::ResolutionRecord& r, const std::string& step) {
    for (const auto& s : r.steps) {
      if (s.name == step) return s.step_json;
    }
    return "";
  }

  static persistence::ResolutionChange step_done(const std::string& step, int n) {
    persistence::ResolutionChange ch;
    ch.state = "RUNNING";
    ch.put_steps = {{step, "DONE", R"({"name":")" + step + R"(","n":)" + std::to_string(n) + "}"}};
    return ch;
  }
};

TEST_P(GroupCommitTest, ConcurrentWritersAllLandAndShareCommits) {
  const auto self = register_instance();
  const auto leases = claim(8, self);
  ASSERT_EQ(leases.size(), 8u);
  persistence::GroupCommit commits(store());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (size_t t = 0; t < leases.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 20; ++n) {
        if (!commits.write({leases[t], step_done("s" + std::to_string(n % 3), n), false}).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(commits.writes(), 160u);
  EXPECT_LE(commits.groups(), commits.writes());
  for (const auto& l : leases) {
    auto r = resolution(l.resolution_id);
    EXPECT_EQ(r.state, "RUNNING");
    // Each writer's last write of each step landed (n = 17, 18, 19 for s2, s0, s1).
    EXPECT_EQ(body_of(r, "s0"), R"({"name":"s0","n":18})");
    EXPECT_EQ(body_of(r, "s1"), R"({"name":"s1","n":19})");
    EXPECT_EQ(body_of(r, "s2"), R"({"name":"s2","n":17})");
  }
}

TEST_P(GroupCommitTest, AFencedOutWriteFailsAloneInItsGroup) {
  const auto self = register_instance();
  const auto leases = claim(3, self);
  ASSERT_EQ(leases.size(), 3u);
  // The middle one's lease is revoked by an operator (forced pause).
  persistence::ResolutionChange pause;
  pause.state = "PAUSED";
  pause.revoke_lease = true;
  ASSERT_TRUE(store().update_resolution(leases[1].resolution_id, pause).ok());
  auto results = store().write_leased({{leases[0], step_done("a", 1), false},
                                       {leases[1], step_done("a", 1), false},
                                       {leases[2], step_done("a", 1), true}});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok());
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().code, ErrorCode::lease_lost);
  EXPECT_TRUE(results[2].ok()) << results[2].error().message;
  EXPECT_EQ(body_of(resolution(leases[0].resolution_id), "a"), R"({"name":"a","n":1})");
  auto paused = resolution(leases[1].resolution_id);
  EXPECT_EQ(paused.state, "PAUSED");
  EXPECT_NE(body_of(paused, "a"), R"({"name":"a","n":1})");
  // The release ended the third lease: it is claimable again (RUNNING without a lease).
  auto again = store().acquire_lease(leases[2].resolution_id, self);
  EXPECT_TRUE(again.ok()) << again.error().message;
}

UTASK_STORE_TEST_SUITE(GroupCommitTest);

}  // namespace
}  // namespace utask::testing

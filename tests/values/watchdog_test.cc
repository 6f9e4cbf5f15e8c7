// The deadline thread behind JS timeouts.

#include "values/js/watchdog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace utask::values::js {
namespace {

using Clock = Watchdog::Clock;

TEST(Watchdog, FiresAtTheDeadlineAndDisarmReportsIt) {
  Watchdog dog;
  std::promise<void> fired;
  auto start = Clock::now();
  uint64_t ticket = dog.arm(start + std::chrono::milliseconds(50), [&] { fired.set_value(); });
  fired.get_future().wait();
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(50));
  EXPECT_TRUE(dog.disarm(ticket));
  EXPECT_FALSE(dog.disarm(ticket));  // a ticket is reported once
}

TEST(Watchdog, DisarmedBeforeTheDeadlineNeverFires) {
  std::atomic<int> calls{0};
  {
    Watchdog dog;
    uint64_t far = dog.arm(Clock::now() + std::chrono::hours(1), [&] { ++calls; });
    std::promise<void> near_fired;
    uint64_t near = dog.arm(Clock::now(), [&] { near_fired.set_value(); });  // already due
    near_fired.get_future().wait();
    EXPECT_TRUE(dog.disarm(near));
    EXPECT_FALSE(dog.disarm(far));
  }  // the destructor joins the thread: a pending callback would have run by now
  EXPECT_EQ(calls.load(), 0);
}

TEST(Watchdog, NearerDeadlineArmedLaterFiresFirst) {
  Watchdog dog;
  std::atomic<int> far_calls{0};
  uint64_t far = dog.arm(Clock::now() + std::chrono::hours(1), [&] { ++far_calls; });
  std::promise<void> fired;
  uint64_t near = dog.arm(Clock::now() + std::chrono::milliseconds(10), [&] { fired.set_value(); });
  ASSERT_EQ(fired.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_TRUE(dog.disarm(near));
  EXPECT_FALSE(dog.disarm(far));
  EXPECT_EQ(far_calls.load(), 0);
}

}  // namespace
}  // namespace utask::values::js

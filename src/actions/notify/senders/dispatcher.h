#pragma once
// Dispatcher: the configured notification backends by name, and the asynchronous delivery
// both the `notify` action and the service's task-event notifications use. submit() only
// queues (bounded): the engine and the API never wait for a backend. A few worker threads
// deliver; failures are counted and handed to `on_failure` (which logs them), never retried
// (actions.md §8.1: no retries at this level).
//
// Thread safety: every method may be called from any thread. The destructor stops accepting
// work, lets the workers finish what is queued (each delivery is bounded by its backend's
// timeout), then joins them.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "actions/notify/senders/notify_message.h"
#include "actions/notify/senders/sender.h"

namespace utask::actions::notify {

// What a failed or dropped delivery reports: the original's log fields, no secret.
struct DeliveryFailure {
  std::string backend;       // notify-config name
  std::string backend_type;  // slack, webhook, opsgenie
  std::string notification_type;
  std::string task_id;  // the message's task_id field, "" when none
  std::string error;    // the sender's message, or "queue full"
};

struct DispatcherOptions {
  size_t queue_capacity = 1024;  // deliveries waiting; beyond, new ones are dropped
  size_t workers = 2;
  std::function<void(const DeliveryFailure&)> on_failure;  // called on a worker thread
};

struct DispatcherStats {
  uint64_t delivered = 0;
  uint64_t failed = 0;
  uint64_t dropped = 0;  // refused because the queue was full
};

class Dispatcher {
 public:
  // Names must be distinct (notify-config keys); a repeated name keeps the first sender.
  explicit Dispatcher(std::vector<std::shared_ptr<const Sender>> senders,
                      DispatcherOptions options = {});
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  std::vector<std::string> backend_names() const;  // sorted
  bool has_backend(const std::string& name) const;

  // Queues one delivery of `message` per named backend; names that are not configured are
  // skipped. Returns how many deliveries were queued; those that did not fit are dropped and
  // reported to on_failure ("queue full").
  size_t submit(const std::vector<std::string>& backends, const NotifyMessage& message);

  // Blocks until nothing is queued or being delivered, at most `timeout`; true when idle.
  bool wait_idle(std::chrono::milliseconds timeout);
  DispatcherStats stats() const;

 private:
  struct Job {
    std::shared_ptr<const Sender> sender;
    std::shared_ptr<const NotifyMessage> message;
  };
  void work();
  void report(const Sender& sender, const NotifyMessage& message, std::string error);

  // Constant after construction.
  std::map<std::string, std::shared_ptr<const Sender>> senders_;
  DispatcherOptions options_;

  // Guarded by mutex_.
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable idle_;
  std::deque<Job> queue_;
  size_t busy_ = 0;
  bool stopping_ = false;
  DispatcherStats stats_;

  std::vector<std::thread> workers_;
};

}  // namespace utask::actions::notify

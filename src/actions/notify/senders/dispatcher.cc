#include "actions/notify/senders/dispatcher.h"

namespace utask::actions::notify {

Dispatcher::Dispatcher(std::vector<std::shared_ptr<const Sender>> senders,
                       DispatcherOptions options)
    : options_(std::move(options)) {
  for (auto& s : senders) {
    if (s) senders_.emplace(s->name(), std::move(s));
  }
  if (options_.workers == 0) options_.workers = 1;
  // No backend, no worker: submit() has nothing to queue.
  if (senders_.empty()) return;
  for (size_t i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { work(); });
}

Dispatcher::~Dispatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& t : workers_) t.join();
}

std::vector<std::string> Dispatcher::backend_names() const {
  std::vector<std::string> names;
  for (const auto& [name, sender] : senders_) names.push_back(name);
  return names;
}

bool Dispatcher::has_backend(const std::string& name) const { return senders_.count(name) > 0; }

size_t Dispatcher::submit(const std::vector<std::string>& backends, const NotifyMessage& message) {
  auto shared = std::make_shared<const NotifyMessage>(message);
  std::vector<std::shared_ptr<const Sender>> refused;
  size_t queued = 0;
  {
    std::lock_guard lock(mutex_);
    for (const auto& name : backends) {
      auto it = senders_.find(name);
      if (it == senders_.end()) continue;
      if (stopping_ || queue_.size() >= options_.queue_capacity) {
        ++stats_.dropped;
        refused.push_back(it->second);
        continue;
      }
      queue_.push_back(Job{it->second, shared});
      ++queued;
    }
  }
  if (queued > 0) work_ready_.notify_all();
  for (const auto& sender : refused) report(*sender, message, "queue full");
  return queued;
}

bool Dispatcher::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return queue_.empty() && busy_ == 0; });
}

DispatcherStats Dispatcher::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Dispatcher::report(const Sender& sender, const NotifyMessage& message, std::string error) {
  if (!options_.on_failure) return;
  options_.on_failure(DeliveryFailure{sender.name(), std::string(sender.type()), message.type,
                                      message.field("task_id"), std::move(error)});
}

void Dispatcher::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued was delivered
    Job job = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    auto sent = job.sender->send(*job.message);
    if (!sent) report(*job.sender, *job.message, sent.error().message);
    lock.lock();
    --busy_;
    ++(sent ? stats_.delivered : stats_.failed);
    if (queue_.empty() && busy_ == 0) idle_.notify_all();
  }
}

}  // namespace utask::actions::notify

#pragma once
// An in-memory ActionServices for the tests of subtask, batch and callback: tasks with states
// a test sets, batches, callbacks, run_max, and a record of every request. The real
// implementation (service/action_services_impl.h) is tested in tests/service.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "actions/action_services.h"

namespace utask::testing {

class FakeActionServices final : public actions::ActionServices {
 public:
  Result<actions::TaskView> create_child_task(const actions::ChildTaskRequest& request) override {
    if (!fail_with.message.empty()) return fail_with;
    children.push_back(request);
    actions::TaskView t;
    t.id = "child-" + std::to_string(++next_id_);
    t.state = "TODO";
    t.has_resolution = auto_run;
    t.requester_username = request.requester.username;
    tasks[t.id] = t;
    return t;
  }

  Result<actions::BatchWave> create_batch_wave(const actions::BatchWaveRequest& request) override {
    if (!fail_with.message.empty()) return fail_with;
    waves.push_back(request);
    actions::BatchWave w;
    w.batch_id = request.batch_id.empty() ? "batch-" + std::to_string(++next_id_) : request.batch_id;
    for (size_t i = 0; i < request.inputs.size(); ++i) {
      actions::TaskView t;
      t.id = "task-" + std::to_string(++next_id_);
      t.state = "TODO";
      t.batch_id = w.batch_id;
      tasks[t.id] = t;
      batches[w.batch_id].push_back(t.id);
      w.tasks.push_back(t);
    }
    return w;
  }

  Result<actions::TaskView> get_task(const std::string& task_id) override {
    ++reads;
    auto it = tasks.find(task_id);
    if (it == tasks.end()) return Error::not_found("task not found");
    return it->second;
  }

  Result<std::vector<std::string>> batch_task_states(const std::string& batch_id) override {
    auto it = batches.find(batch_id);
    if (it == batches.end()) return Error::not_found("batch not found");
    std::vector<std::string> states;
    for (const auto& id : it->second) states.push_back(tasks.at(id).state);
    return states;
  }

  Result<void> add_run_max(const std::string& resolution_id, int delta) override {
    run_max[resolution_id] += delta;
    return {};
  }

  Result<actions::CallbackView> create_callback(const actions::NewCallbackRequest& request) override {
    actions::CallbackView c;
    c.id = "cb-" + std::to_string(++next_id_);
    c.token = "token-" + std::to_string(next_id_);
    c.task_id = request.task_id;
    c.resolution_id = request.resolution_id;
    c.resolver_username = request.resolver_username;
    c.schema = request.schema;
    callbacks[c.id] = c;
    return c;
  }

  Result<actions::CallbackView> get_callback(const std::string& callback_id) override {
    auto it = callbacks.find(callback_id);
    if (it == callbacks.end()) return Error::not_found("callback not found");
    return it->second;
  }

  std::string callback_url(std::string_view id, std::string_view token) const override {
    return "http://utask.example/unsecured/callback/" + std::string(id) + "?t=" + std::string(token);
  }

  Result<bool> template_exists(const std::string& name) override { return templates.count(name) > 0; }

  // Marks every task of a batch with `state`.
  void set_batch_state(const std::string& batch_id, const std::string& state) {
    for (const auto& id : batches[batch_id]) tasks[id].state = state;
  }

  std::map<std::string, actions::TaskView> tasks;
  std::map<std::string, std::vector<std::string>> batches;
  std::map<std::string, actions::CallbackView> callbacks;
  std::map<std::string, int> run_max;
  std::set<std::string> templates;
  std::vector<actions::ChildTaskRequest> children;
  std::vector<actions::BatchWaveRequest> waves;
  Error fail_with{ErrorCode::internal, "", {}};  // a non-empty message makes creations fail
  bool auto_run = false;
  int reads = 0;

 private:
  int next_id_ = 0;
};

}  // namespace utask::testing

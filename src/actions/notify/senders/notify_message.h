#pragma once
// A notification as every backend receives it (actions.md §8.1): the main text, the event
// type (`task_state_update`, `task_step_update`, `task_validation`, or empty for the `notify`
// action) and string fields (task_id, state, template, …).

#include <map>
#include <string>

namespace utask::actions::notify {

struct NotifyMessage {
  std::string main;
  std::string type;  // empty: sent by the `notify` action
  std::map<std::string, std::string> fields;

  // The field `key`, or "" when absent.
  std::string field(const std::string& key) const {
    auto it = fields.find(key);
    return it == fields.end() ? std::string() : it->second;
  }
};

}  // namespace utask::actions::notify

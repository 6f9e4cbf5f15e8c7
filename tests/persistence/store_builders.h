#pragma once
// Records for the shared store suite: a template, a task, a resolution, with the fields the
// tests of templates, tasks, listings and comments vary.

#include <string>
#include <utility>
#include <vector>

#include "persistence/changes.h"
#include "persistence/records.h"

namespace utask::testing {

inline persistence::TemplateRecord make_template(std::string name,
                                                 std::vector<std::string> users = {},
                                                 std::vector<std::string> groups = {}) {
  persistence::TemplateRecord t;
  t.description = "the " + name + " template";
  t.definition_json = R"({"name":")" + name + R"(","steps":{}})";
  t.name = std::move(name);
  t.allowed_resolver_usernames = std::move(users);
  t.allowed_resolver_groups = std::move(groups);
  return t;
}

inline persistence::NewTask make_task(std::string template_name, std::string requester,
                                      std::string state = "TODO") {
  persistence::NewTask n;
  n.task.template_name = std::move(template_name);
  n.task.title = "a task of " + requester;
  n.task.requester_username = std::move(requester);
  n.task.state = std::move(state);
  n.task.input_json = R"({"n":1.50})";
  n.task.result_json = "null";
  n.task.steps_total = 2;
  return n;
}

inline persistence::ResolutionRecord make_resolution(std::string state, std::string resolver) {
  persistence::ResolutionRecord r;
  r.state = std::move(state);
  r.resolver_username = std::move(resolver);
  r.resolver_inputs_json = R"({"ri":"x"})";
  r.base_configurations_json = "{}";
  r.run_max = 10;
  r.steps = {{"a", "TODO", R"({"state":"TODO"})"}, {"b", "TODO", R"({"state":"TODO"})"}};
  return r;
}

}  // namespace utask::testing

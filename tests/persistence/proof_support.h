#pragma once
// Data shared by the cross-cutting store proofs (secret scan, key rotation, lease concurrency):
// a template, and tasks that fill every encrypted column — input, comment, and an auto-run
// resolution with resolver inputs, base configurations and step rows.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "persistence/changes.h"
#include "persistence/records.h"
#include "persistence/store.h"

namespace utask::testing {

inline constexpr const char* kProofTemplate = "proof-template";

// Syncs the one template the proofs' tasks use.
inline void sync_proof_template(persistence::Store& store) {
  persistence::TemplateRecord t;
  t.name = kProofTemplate;
  t.description = "a template for the store proofs";
  t.definition_json = R"({"name":"proof-template","description":"a template for the store proofs"})";
  auto synced = store.sync_templates({t});
  ASSERT_TRUE(synced.ok()) << synced.error().message;
}

// The JSON of a step body carrying `secret` in its output and its error.
inline std::string step_body(const std::string& name, const std::string& state,
                             const std::string& secret) {
  return R"({"name":")" + name + R"(","state":")" + state + R"(","output":{"token":")" + secret +
         R"("},"error":"failed with )" + secret + R"("})";
}

// A task of the proof template. With `steps` > 0 it gets a TO_AUTORUN resolution (claimable at
// once) whose encrypted columns and `steps` step bodies all carry `secret`.
inline persistence::NewTask proof_task(const std::string& title, const std::string& secret,
                                       int steps) {
  persistence::NewTask t;
  t.task.template_name = kProofTemplate;
  t.task.title = title;
  t.task.state = "TODO";
  t.task.requester_username = "alice";
  t.task.watcher_usernames = {"bob"};
  t.task.input_json = R"({"password":")" + secret + R"("})";
  t.comment = persistence::NewComment{"alice", "comment with " + secret};
  if (steps > 0) {
    persistence::ResolutionRecord r;
    r.resolver_username = "alice";
    r.state = "TO_AUTORUN";
    r.run_max = 100;
    r.resolver_inputs_json = R"({"otp":")" + secret + R"("})";
    r.base_configurations_json = R"({"http":{"password":")" + secret + R"("}})";
    for (int i = 0; i < steps; ++i) {
      const std::string name = "step" + std::to_string(i);
      r.steps.push_back({name, "TODO", step_body(name, "TODO", secret)});
    }
    t.resolution = r;
  }
  return t;
}

// Creates `tasks` in one call; their stored records (ids filled in).
inline std::vector<persistence::TaskRecord> create_all(persistence::Store& store,
                                                       std::vector<persistence::NewTask> tasks) {
  persistence::TaskCreation creation;
  creation.tasks = std::move(tasks);
  auto created = store.create_tasks(creation);
  EXPECT_TRUE(created.ok()) << created.error().message;
  return created.ok() ? *created : std::vector<persistence::TaskRecord>{};
}

}  // namespace utask::testing

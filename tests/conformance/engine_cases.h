#pragma once
// Shared by the engine conformance tests: the expectations of original/expectations.json and a
// checker of their `expect` members against a resolution after a run (whatever the driver).

#include <gtest/gtest.h>

#include <set>

#include "../engine/harness.h"
#include "conformance_driver.h"
#include "engine/function_chain.h"
#include "model/input_rules.h"

namespace utask::engine::conformance {


using testing::json;

inline Json expectations() {
  std::ifstream in(testing::original_dir() / "expectations.json");
  std::stringstream text;
  text << in.rdbuf();
  return json(text.str());
}

inline const Json& entry(const std::string& name) {
  static const Json all = expectations();
  for (const auto& e : all) {
    if (e["name"] == name) return e;
  }
  static const Json none;
  ADD_FAILURE() << "no expectation named " << name;
  return none;
}

// Output values compare as text when the expectation is a string (Go-printed values). The
// placeholders `<task public id>` and `<resolution public id>` stand for the ids of `r`.
inline void expect_field(const std::string& what, const Json& actual, Json expected,
                         const ResolutionState& r) {
  if (expected == "<task public id>") expected = r.task.id;
  if (expected == "<resolution public id>") expected = r.id;
  if (expected.is_string() && actual.is_string()) {
    EXPECT_EQ(actual.get<std::string>(), expected.get<std::string>()) << what;
  } else if (expected.is_string()) {
    EXPECT_EQ(model::format_go_value(actual), expected.get<std::string>()) << what;
  } else {
    EXPECT_EQ(to_json_text(actual), to_json_text(expected)) << what;
  }
}

// A member of an expectation object (an empty object when absent), by reference: iterating
// the items of a temporary would dangle.
inline const Json& member(const Json& expect, const char* key) {
  static const Json kEmpty = Json::object();
  auto it = expect.find(key);
  return it == expect.end() || !it->is_object() ? kEmpty : *it;
}

// How many facts check() compared: a case that compares none proves nothing.
inline int g_facts = 0;

// Checks the members of an `expect` (or `derived`) object that describe a resolution.
inline void check(const ResolutionState& r, const Json& expect, const std::string& where) {
  for (const auto& [key, value] : expect.items()) {
    g_facts += value.is_object() ? static_cast<int>(value.size()) : (value.is_null() ? 0 : 1);
  }
  auto step = [&](const std::string& name) -> const StepState* {
    auto it = r.steps.find(name);
    if (it == r.steps.end()) ADD_FAILURE() << where << ": no step " << name;
    return it == r.steps.end() ? nullptr : &it->second;
  };
  if (expect.contains("resolution_state") && expect["resolution_state"].is_string()) {
    EXPECT_EQ(r.state, expect["resolution_state"].get<std::string>()) << where;
  }
  if (expect.contains("task_state")) {
    EXPECT_EQ(r.task.state, expect["task_state"]) << where;
  }
  if (expect.contains("run_count")) {
    EXPECT_EQ(r.run_count, expect["run_count"].get<int64_t>()) << where;
  }
  if (expect.contains("run_max")) {
    EXPECT_EQ(r.run_max, expect["run_max"].get<int64_t>()) << where;
  }
  for (const auto& [name, state] : member(expect, "steps").items()) {
    if (const StepState* s = step(name)) {
      EXPECT_EQ(s->state, state) << where << ": state of " << name;
    }
  }
  for (const auto& [name, error] : member(expect, "errors").items()) {
    if (const StepState* s = step(name)) {
      EXPECT_EQ(s->error, error) << where << ": error of " << name;
    }
  }
  for (const auto& [name, fragment] : member(expect, "error_contains").items()) {
    if (const StepState* s = step(name)) {
      EXPECT_NE(s->error.find(fragment.get<std::string>()), std::string::npos) << where << ": " << s->error;
    }
  }
  for (const auto& [name, output] : member(expect, "outputs").items()) {
    if (const StepState* s = step(name)) {
      EXPECT_EQ(to_json_text(s->output), to_json_text(output)) << where << ": output of " << name;
    }
  }
  for (const auto& [name, fields] : member(expect, "output_fields").items()) {
    const StepState* s = step(name);
    if (!s) continue;
    for (const auto& [key, value] : fields.items()) {
      ASSERT_TRUE(s->output.is_object() && s->output.contains(key))
          << where << ": " << name << " output " << to_json_text(s->output) << " lacks " << key;
      expect_field(where + ": " + name + ".output." + key, s->output[key], value, r);
    }
  }
  for (const auto& [name, fields] : member(expect, "metadata_with_execution_time_blanked").items()) {
    const StepState* s = step(name);
    if (!s) continue;
    ASSERT_TRUE(s->metadata.is_object()) << where << ": " << name << " metadata " << to_json_text(s->metadata);
    for (const auto& [key, value] : fields.items()) {
      ASSERT_TRUE(s->metadata.contains(key)) << where << ": " << name << " metadata lacks " << key;
      const Json actual = key == "execution_time" ? Json("") : s->metadata[key];
      expect_field(where + ": " + name + ".metadata." + key, actual, value, r);
    }
  }
  for (const auto& [name, n] : member(expect, "try_counts").items()) {
    if (const StepState* s = step(name)) {
      EXPECT_EQ(s->try_count, n.get<int64_t>()) << where << ": try_count of " << name;
    }
  }
  for (const auto& [name, n] : member(expect, "max_retries").items()) {
    if (const StepState* s = step(name)) {
      EXPECT_EQ(s->definition.max_retries, n.get<int64_t>()) << where;
    }
  }
  for (const auto& [name, n] : member(expect, "children_count").items()) {
    if (const StepState* s = step(name)) {
      EXPECT_EQ(s->children.is_array() ? s->children.size() : 0u, n.get<size_t>()) << where << ": children of " << name;
    }
  }
  for (const auto& [name, children] : member(expect, "children").items()) {
    if (const StepState* s = step(name)) {
      EXPECT_EQ(to_json_text(s->children), to_json_text(children)) << where;
    }
  }
  for (const auto& [name, states] : member(expect, "children_states").items()) {
    const StepState* s = step(name);
    if (!s) continue;
    Json actual = Json::array();
    for (const auto& c : s->children) actual.push_back(c["state"]);
    EXPECT_EQ(to_json_text(actual), to_json_text(states)) << where;
  }
  for (const auto& [name, outputs] : member(expect, "children_outputs").items()) {
    const StepState* s = step(name);
    if (!s) continue;
    Json actual = Json::array();
    for (const auto& c : s->children) actual.push_back(c.value("output", Json()));
    EXPECT_EQ(to_json_text(actual), to_json_text(outputs)) << where;
  }
  for (const auto& [name, deps] : member(expect, "dependencies").items()) {
    if (const StepState* s = step(name)) {
      Json actual = Json::array();
      for (const auto& d : s->definition.dependencies) actual.push_back(d);
      EXPECT_EQ(to_json_text(actual), to_json_text(deps)) << where << ": dependencies of " << name;
    }
  }
  for (const auto& [name, states] : member(expect, "effective_custom_states").items()) {
    if (const StepState* s = step(name)) {
      Json actual = Json::array();
      for (const auto& c : effective_custom_states(s->definition, registry())) actual.push_back(c);
      EXPECT_EQ(to_json_text(actual), to_json_text(states)) << where;
    }
  }
  if (expect.value("exact_step_set", false)) {
    std::set<std::string> names;
    for (const auto& [name, s] : r.steps) names.insert(name);
    std::set<std::string> wanted;
    for (const auto& [name, s] : member(expect, "steps").items()) wanted.insert(name);
    EXPECT_EQ(names, wanted) << where;
  }
  if (expect.value("no_remaining_child_steps", false)) {
    for (const auto& [name, s] : r.steps) EXPECT_FALSE(s.is_child) << where << ": " << name << " remains";
  }
  if (expect.contains("next_retry_delay_s")) {
    ASSERT_TRUE(r.next_retry && r.last_stop) << where;
    const auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(*r.next_retry - *r.last_stop);
    EXPECT_EQ(delay.count(), expect["next_retry_delay_s"].get<int64_t>() * 1000) << where;
  }
  if (expect.contains("next_retry") && expect["next_retry"].is_string()) {
    // "unset", "zero/unset": none; anything else describes a set one.
    const bool unset = expect["next_retry"].get<std::string>().find("unset") != std::string::npos;
    EXPECT_EQ(r.next_retry.has_value(), !unset) << where;
  }
}

inline void check_all(const ResolutionState& r, const Json& expect, const std::string& where) {
  check(r, expect, where);
  if (expect.contains("derived") && expect["derived"].is_object()) {
    check(r, expect["derived"], where + " (derived)");
  }
}

}  // namespace utask::engine::conformance

#include "actions/batch/batch_action.h"

#include <gtest/gtest.h>

#include "actions/batch/batch_progress.h"
#include "actions/catalog.h"
#include "fake_action_services.h"
#include "model/json.h"

namespace utask::actions {
namespace {

Json json(const char* text) { return parse_json(text).value(); }

// What the engine's context rendering makes of the stored metadata string: `\"` → `"`.
std::string unquote(const Json& metadata) {
  std::string out;
  const std::string s = metadata.get<std::string>();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '"') continue;
    out += s[i];
  }
  return out;
}

class BatchTest : public ::testing::Test {
 protected:
  ActionResult run(const std::string& configuration, const std::string& previous = "",
                   const std::string& try_count = "1") {
    ExecutionRequest r;
    r.configuration = parse_json(configuration).value();
    r.context = Json{{"parent_task_id", "P1"}, {"requester_username", "alice"}, {"requester_groups", "devs"},
                     {"metadata", previous}, {"step_name", "batch"}, {"try_count", try_count}};
    r.task_id = "P1";
    r.resolution_id = "R1";
    r.step_name = "batch";
    r.services = &services_;
    return action_.execute(r);
  }
  testing::FakeActionServices services_;
  BatchAction action_{nullptr};
};

const char* kConformance = R"({"template_name":"batchedtasktemplate",
  "json_inputs":"[{\"specific_string\": \"specific-1\"}, {\"specific_string\": \"specific-2\"}]",
  "common_json_inputs":"{\"common_string\": \"common\"}", "sub_batch_size":"2"})";

TEST_F(BatchTest, FirstRunStartsTheFirstWaveAndWaits) {
  ActionResult r = run(kConformance);
  ASSERT_EQ(services_.waves.size(), 1u);
  const BatchWaveRequest& w = services_.waves[0];
  EXPECT_EQ(w.batch_id, "");
  EXPECT_EQ(w.template_name, "batchedtasktemplate");
  EXPECT_EQ(w.parent_task_id, "P1");
  EXPECT_EQ(w.requester.username, "alice");
  ASSERT_EQ(w.inputs.size(), 2u);
  EXPECT_EQ(to_json_text(w.inputs[0]), R"({"common_string":"common","specific_string":"specific-1"})");
  EXPECT_EQ(to_json_text(w.inputs[1]), R"({"common_string":"common","specific_string":"specific-2"})");
  EXPECT_TRUE(r.output.is_null());
  ASSERT_TRUE(r.metadata.is_string());
  EXPECT_EQ(r.metadata.get<std::string>(), R"({\"batch_id\":\"batch-1\",\"remaining_tasks\":2,\"tasks_started\":2})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::not_assigned);
  EXPECT_EQ(r.error->message, "tasks from batch \"batch-1\" will start shortly");
}

TEST_F(BatchTest, WavesFollowTheSubBatchSizeUntilEveryChildIsFinal) {
  const std::string config = R"({"template_name":"t","inputs":[{"i":1},{"i":2},{"i":3}],"sub_batch_size":"2",
                                 "comment":"hello","watcher_usernames":["w"]})";
  ActionResult r = run(config);
  ASSERT_EQ(services_.waves.size(), 1u);
  EXPECT_EQ(services_.waves[0].inputs.size(), 2u);
  EXPECT_EQ(services_.waves[0].comment, "hello");
  EXPECT_EQ(services_.waves[0].watcher_usernames, std::vector<std::string>{"w"});
  const std::string id = "batch-1";

  // Both children still running: no room, nothing started.
  r = run(config, unquote(r.metadata));
  EXPECT_EQ(services_.waves.size(), 1u);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::not_assigned);
  EXPECT_EQ(r.error->message, "batch \"batch-1\" is currently RUNNING");

  // The first wave ended: the last input starts in the same batch.
  services_.set_batch_state(id, "DONE");
  r = run(config, unquote(r.metadata));
  ASSERT_EQ(services_.waves.size(), 2u);
  EXPECT_EQ(services_.waves[1].batch_id, id);
  ASSERT_EQ(services_.waves[1].inputs.size(), 1u);
  EXPECT_EQ(to_json_text(services_.waves[1].inputs[0]), R"({"i":3})");
  EXPECT_EQ(unquote(r.metadata), R"({"batch_id":"batch-1","remaining_tasks":2,"tasks_started":3})");
  ASSERT_TRUE(r.error);

  // Every child started; one still running.
  r = run(config, unquote(r.metadata));
  EXPECT_EQ(unquote(r.metadata), R"({"batch_id":"batch-1","remaining_tasks":1,"tasks_started":3})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::not_assigned);
  EXPECT_EQ(r.run_max_increase, 0);

  // All final (WONTFIX and CANCELLED count): done, run_max extended by the step's try count.
  services_.set_batch_state(id, "WONTFIX");
  r = run(config, unquote(r.metadata), "4");
  EXPECT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(unquote(r.metadata), R"({"batch_id":"batch-1","remaining_tasks":0,"tasks_started":3})");
  EXPECT_EQ(r.run_max_increase, 4);  // applied by the engine to the running resolution
}

TEST_F(BatchTest, ACollectedBatchIsDoneOrRecreatedWithItsId) {
  const std::string config = R"({"template_name":"t","inputs":[{"i":1},{"i":2}],"sub_batch_size":"1"})";
  // Collected after its only wave, more to start: the next wave re-creates it.
  ActionResult r = run(config, R"({"batch_id":"gone","remaining_tasks":2,"tasks_started":1})");
  ASSERT_EQ(services_.waves.size(), 1u);
  EXPECT_EQ(services_.waves[0].batch_id, "gone");
  EXPECT_EQ(to_json_text(services_.waves[0].inputs[0]), R"({"i":2})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::not_assigned);
  // Collected with every child started: done.
  r = run(config, R"({"batch_id":"gone2","remaining_tasks":1,"tasks_started":2})");
  EXPECT_FALSE(r.error);
  EXPECT_EQ(unquote(r.metadata), R"({"batch_id":"gone2","remaining_tasks":0,"tasks_started":2})");
}

TEST_F(BatchTest, NoInputsIsDoneAtOnce) {
  ActionResult r = run(R"({"template_name":"t","json_inputs":"[]"})");
  EXPECT_FALSE(r.error);
  EXPECT_TRUE(services_.waves.empty());
  EXPECT_EQ(to_json_text(r.metadata), R"({"batch_id":"","remaining_tasks":0,"tasks_started":0})");
}

TEST_F(BatchTest, FailuresKeepThePreviousProgress) {
  const std::string previous = R"({"batch_id":"b","remaining_tasks":2,"tasks_started":1})";
  struct Case {
    std::string config;
    std::string previous;
    std::string message_prefix;
  } cases[] = {
      {R"({"template_name":"t","json_inputs":"[nope"})", previous, "JSON inputs unmarshalling failure: "},
      {R"({"template_name":"t","json_inputs":"{\"a\":1}"})", previous, "JSON inputs unmarshalling failure: "},
      {R"({"template_name":"t","inputs":[{}],"common_json_inputs":"[1]"})", previous,
       "JSON common input unmarshalling failure: "},
      {R"({"template_name":"t","inputs":[{}],"sub_batch_size":"two"})", previous,
       "parsing failure of field 'SubBatchSize'"},
      {R"({"template_name":"t","inputs":[{}]})", "{broken", "metadata unmarshalling failure: "},
  };
  for (const auto& c : cases) {
    ActionResult r = run(c.config, c.previous);
    ASSERT_TRUE(r.error) << c.config;
    EXPECT_EQ(r.error->kind, ErrorKind::client) << c.config;
    EXPECT_EQ(r.error->message.rfind(c.message_prefix, 0), 0u) << r.error->message;
    EXPECT_EQ(r.metadata, quote_progress(c.previous)) << c.config;
  }
  EXPECT_TRUE(services_.waves.empty());
}

TEST_F(BatchTest, ConflictingKeysFailTheFirstWave) {
  ActionResult r = run(R"({"template_name":"t","inputs":[{"a":1}],"common_inputs":{"a":2}})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::client);
  EXPECT_EQ(r.error->message, "Conflicting keys in input maps");
  EXPECT_TRUE(r.metadata.is_null());
  EXPECT_TRUE(services_.waves.empty());

  services_.fail_with = Error{ErrorCode::transient, "database is locked", {}};
  r = run(R"({"template_name":"t","inputs":[{"a":1}]})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_TRUE(r.metadata.is_null());
}

TEST(BatchValidation, LoadTimeRules) {
  auto registry = ActionRegistry::with_builtins();
  registry.set_template_lookup([](const std::string& name) -> Result<bool> { return name == "t"; });
  EXPECT_TRUE(registry.validate_plugin_configuration("batch", Json(), json(R"({"template_name":"t","inputs":[{"a":1}]})")).ok());
  auto missing = registry.validate_plugin_configuration("batch", Json(), json(R"({"template_name":"u"})"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "batch template \"u\" not found");
  auto reserved = registry.validate_plugin_configuration(
      "batch", Json(), json(R"({"template_name":"t","tags":{"_utask_parent_task_id":"x"}})"));
  ASSERT_FALSE(reserved.ok());
  EXPECT_EQ(reserved.error().message, "tag name \"_utask_parent_task_id\" not allowed");
  auto inputs = registry.validate_plugin_configuration("batch", Json(), json(R"({"template_name":"t","inputs":"x"})"));
  ASSERT_FALSE(inputs.ok());
  EXPECT_EQ(inputs.error().message,
            "failed to unmarshal configuration: json: cannot unmarshal string into Go struct field "
            "Config.inputs of type []map[string]interface {}");
  auto watchers = registry.validate_plugin_configuration(
      "batch", Json(), json(R"({"template_name":"t","watcher_usernames":"[\"a\"]"})"));
  EXPECT_FALSE(watchers.ok());  // a list, not a JSON string
}

TEST(BatchProgressFormat, RoundTripsThroughTheContext) {
  BatchProgress p{"id", 3, 2};
  const std::string stored = format_progress(p);
  EXPECT_EQ(stored, R"({\"batch_id\":\"id\",\"remaining_tasks\":3,\"tasks_started\":2})");
  auto back = parse_progress(unquote(Json(stored)));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->batch_id, "id");
  EXPECT_EQ(back->remaining_tasks, 3);
  EXPECT_EQ(back->tasks_started, 2);
  EXPECT_EQ(parse_progress("").value().batch_id, "");
  EXPECT_FALSE(parse_progress(R"({"remaining_tasks":"x"})").ok());
}

}  // namespace
}  // namespace utask::actions

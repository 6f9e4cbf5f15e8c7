// Each builtin action end to end: a template of tests/actions/templates run by the real binary
// (`utask run FILE`, UTASK_EXE) in a scratch folder that holds the scripts, checking the JSON
// it prints ({"task": ..., "resolution": ...}).

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "actions/script/process_runner.h"
#include "model/json.h"
#include "support/http_peer.h"
#include "support/smtp_sink.h"
#include "support/sshd_peer.h"
#include "support/temp_dir.h"

namespace utask::actions {
namespace {

const std::string kTemplates = std::string(UTASK_SOURCE_DIR) + "/tests/actions/templates";

struct RunOutput {
  int exit_code = -1;
  Json printed;  // null when stdout was no JSON
  std::string log;
};

class EndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    script("greet.sh",
           "#!/bin/sh\nread -r line\n"
           "echo \"greeting $1\"\n"
           "printf '{\"message\":\"%s %s\",\"stdin\":\"%s\"}\\n' \"$GREETING\" \"$1\" \"$line\"\n");
    script("fail.sh", "#!/bin/sh\necho '{}'\nexit \"$1\"\n");
  }
  void script(const std::string& name, const std::string& body) {
    const std::string path = dir_.write("scripts/" + name, body);
    ::chmod(path.c_str(), 0755);
  }

  // `utask --templates-path <children> run <template> <args>` in the scratch folder.
  RunOutput run(const std::string& file, std::vector<std::string> args = {}) {
    ProcessSpec spec;
    spec.program = "/bin/sh";
    spec.args = {"-c", "exec \"$0\" \"$@\" 2>utask.log", UTASK_EXE, "--templates-path",
                 kTemplates + "/children", "--functions-path", dir_.str() + "/functions", "run",
                 kTemplates + "/" + file};
    for (auto& a : args) spec.args.push_back(std::move(a));
    spec.working_directory = dir_.str();
    spec.environment = environment_;
    spec.timeout = std::chrono::seconds(90);
    const ProcessOutcome p = run_process(spec);
    RunOutput out;
    out.exit_code = p.exit_code;
    std::ifstream log(dir_.path() / "utask.log");
    std::stringstream text;
    text << log.rdbuf();
    out.log = text.str();
    auto parsed = parse_json(p.output);
    if (parsed) out.printed = std::move(*parsed);
    return out;
  }

  static const Json& step(const RunOutput& out, const std::string& name) {
    return out.printed["resolution"]["steps"][name];
  }

  // Actions that reach the task world need ActionServices in `utask run`: until it provides
  // them the step fails with this message, and the case cannot be checked.
  static bool services_missing(const RunOutput& out, const std::string& name) {
    const Json& s = step(out, name);
    return s.is_object() && s.value("error", "").find("no task services in this process") != std::string::npos;
  }

  testing::TempDir dir_;
  std::map<std::string, std::string> environment_;  // over the inherited one, for `utask run`
};

TEST_F(EndToEndTest, Script) {
  RunOutput out = run("script.yaml", {"--input", "who=world"});
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  EXPECT_EQ(out.exit_code, 0) << out.log;
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& greet = step(out, "greet");
  EXPECT_EQ(greet["state"], "DONE");
  EXPECT_EQ(to_json_text(greet["output"]), R"({"message":"hello world","stdin":"world via stdin"})");
  EXPECT_EQ(greet["metadata"]["exit_code"], "0");
  EXPECT_EQ(greet["metadata"]["output"],
            "greeting world\n{\"message\":\"hello world\",\"stdin\":\"world via stdin\"}\n");
  const Json& failing = step(out, "unrecoverable");
  EXPECT_EQ(failing["state"], "DONE");  // CLIENT_ERROR remapped by its check
  EXPECT_EQ(failing["metadata"]["exit_code"], "7");
  EXPECT_EQ(out.printed["task"]["result"]["message"], "hello world");
}

TEST_F(EndToEndTest, ScriptMissingFromTheScriptsFolderIsRefusedAtLoad) {
  ::unlink((dir_.path() / "scripts/greet.sh").c_str());
  RunOutput out = run("script.yaml", {"--input", "who=world"});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.log.find("can't stat"), std::string::npos) << out.log;
}

TEST_F(EndToEndTest, Tag) {
  RunOutput out = run("tag.yaml", {"--input", "team=infra"});
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& tags = out.printed["task"]["tags"];
  EXPECT_EQ(tags.value("team", ""), "infra") << to_json_text(out.printed["task"]);
  EXPECT_FALSE(tags.contains("obsolete")) << to_json_text(tags);
}

TEST_F(EndToEndTest, Subtask) {
  RunOutput out = run("subtask.yaml");
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  if (services_missing(out, "child")) GTEST_SKIP() << "utask run provides no ActionServices yet";
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& child = step(out, "child");
  EXPECT_EQ(child["output"]["state"], "DONE");
  EXPECT_EQ(out.printed["task"]["result"]["child_result"], "6");
}

TEST_F(EndToEndTest, Batch) {
  RunOutput out = run("batch.yaml");
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  if (services_missing(out, "children")) GTEST_SKIP() << "utask run provides no ActionServices yet";
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& batch = step(out, "children");
  ASSERT_TRUE(batch["metadata"].is_string()) << to_json_text(batch);
  const std::string progress = batch["metadata"].get<std::string>();
  EXPECT_NE(progress.find(R"(\"remaining_tasks\":0,\"tasks_started\":3)"), std::string::npos) << progress;
}

TEST_F(EndToEndTest, Callback) {
  RunOutput out = run("callback.yaml");
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  if (services_missing(out, "createCallback")) GTEST_SKIP() << "utask run provides no ActionServices yet";
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& created = step(out, "createCallback")["output"];
  const std::string id = created.value("id", "");
  EXPECT_FALSE(id.empty());
  EXPECT_FALSE(created.value("token", "").empty());
  EXPECT_NE(created.value("url", "").find(id), std::string::npos);
  EXPECT_EQ(created["schema"]["required"], Json::array({"ok"}));
}

TEST_F(EndToEndTest, Ping) {
  RunOutput out = run("ping.yaml");
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  EXPECT_EQ(out.exit_code, 0) << out.log;
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& ping = step(out, "pingIt");
  EXPECT_EQ(ping["output"]["packets_sent"], 2);
  EXPECT_EQ(ping["metadata"]["count"], "2");
  EXPECT_EQ(out.printed["task"]["result"]["received"], "2");
  EXPECT_EQ(out.printed["task"]["result"]["address"], "127.0.0.1");
}

TEST_F(EndToEndTest, PingOfAnUnresolvableHostIsAServerError) {
  RunOutput out = run("ping.yaml", {"--input", "host=no-such-host.invalid"});
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  const Json& ping = step(out, "pingIt");
  EXPECT_EQ(ping["state"], "SERVER_ERROR") << to_json_text(ping);
  EXPECT_NE(ping.value("error", "").find("can't initiate ping"), std::string::npos);
}

TEST_F(EndToEndTest, Cache) {
  RunOutput out = run("cache.yaml");
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  EXPECT_EQ(out.exit_code, 0) << out.log;
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  EXPECT_EQ(step(out, "put")["output"]["cached"], true);
  EXPECT_EQ(step(out, "read")["output"]["hit"], true);
  EXPECT_EQ(step(out, "drop")["output"]["deleted"], true);
  EXPECT_EQ(out.printed["task"]["result"]["answer"], "42");
  EXPECT_EQ(out.printed["task"]["result"]["hit_after_delete"], "false");
}

TEST_F(EndToEndTest, Notify) {
  RunOutput out = run("notify.yaml");
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  EXPECT_EQ(out.exit_code, 0) << out.log;
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& tell = step(out, "tell");
  EXPECT_EQ(tell["state"], "DONE");
  EXPECT_TRUE(!tell.contains("output") || tell["output"].is_null()) << to_json_text(tell);
}

TEST_F(EndToEndTest, NotifyNamingAnUnknownBackendIsRefusedAtLoad) {
  RunOutput out = run("notify_unknown_backend.yaml");
  EXPECT_EQ(out.exit_code, 2) << out.log;
  // `utask run` configures no backend.
  EXPECT_NE(out.log.find("registered notify senders list is empty"), std::string::npos) << out.log;
}

TEST_F(EndToEndTest, Http) {
  testing::HttpPeer peer;
  peer.on("GET", "/users/1", {200, {{"Content-Type", "application/json"}}, R"({"name":"ada","admin":true})"});
  peer.on("POST", "/items", {201, {{"Content-Type", "application/json"}, {"X-Request-Id", "r-1"}}, R"({"id":"item-7"})"});
  RunOutput out = run("http.yaml", {"--input", "base=" + peer.base_url()});
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  EXPECT_EQ(out.exit_code, 0) << out.log;
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  EXPECT_EQ(step(out, "getUser")["metadata"]["HTTPStatus"], 200);
  EXPECT_EQ(step(out, "lookMissing")["state"], "DONE");  // CLIENT_ERROR remapped by its check
  const Json& result = out.printed["task"]["result"];
  EXPECT_EQ(result["name"], "ada");
  EXPECT_EQ(result["created"], "item-7");
  EXPECT_EQ(result["request_id"], "r-1");
  EXPECT_EQ(result["missing_status"], "404");
  bool saw_get = false, saw_post = false;
  for (const auto& r : peer.requests()) {
    if (r.path == "/users/1") {
      saw_get = true;
      EXPECT_EQ(r.query, "fields=name+id");
      EXPECT_EQ(r.header("Authorization"), "Bearer e2e-token");
    }
    if (r.path == "/items") {
      saw_post = true;
      EXPECT_EQ(r.method, "POST");
      EXPECT_EQ(r.body, R"({"owner": "ada"})");
      EXPECT_EQ(r.header("Content-Type"), "application/json");
    }
  }
  EXPECT_TRUE(saw_get && saw_post);
}

TEST_F(EndToEndTest, HttpServerErrorEndsTheRunInError) {
  testing::HttpPeer peer;
  peer.on("GET", "/users/1", {503, {}, "down"});
  RunOutput out = run("http.yaml", {"--input", "base=" + peer.base_url()});
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  EXPECT_NE(out.exit_code, 0);
  const Json& get = step(out, "getUser");
  EXPECT_EQ(get["state"], "SERVER_ERROR") << to_json_text(get);
  EXPECT_EQ(get.value("error", ""), "failed api request: 503: down");
}

TEST_F(EndToEndTest, Apiovh) {
  testing::HttpPeerOptions options;
  options.ovh = testing::OvhCheck{"e2e-app", "e2e-secret", "e2e-consumer", std::nullopt};
  testing::HttpPeer peer(options);
  peer.on("GET", "/1.0/me", {200, {{"Content-Type", "application/json"}, {"X-Ovh-Queryid", "EU.q-1"}}, R"({"nichandle":"ab123-ovh"})"});
  peer.on("POST", "/1.0/domain/zone/example.org/record", {200, {{"Content-Type", "application/json"}}, R"({"id":99})"});
  const Json credentials = {{"endpoint", peer.url("/1.0")}, {"appKey", "e2e-app"}, {"appSecret", "e2e-secret"}, {"consumerKey", "e2e-consumer"}};
  const std::string items = dir_.write("config.json", to_json_text(Json::array({{{"key", "ovh-e2e"}, {"value", to_json_text(credentials)}}})));
  environment_["CONFIGURATION_FROM"] = "file:" + items;
  RunOutput out = run("apiovh.yaml");
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  EXPECT_EQ(out.exit_code, 0) << out.log;
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& result = out.printed["task"]["result"];
  EXPECT_EQ(result["nichandle"], "ab123-ovh");
  EXPECT_EQ(result["record"], "99");
  EXPECT_EQ(result["query_id"], "EU.q-1");
  int signed_calls = 0;
  for (const auto& r : peer.requests()) {
    if (r.signature_valid) ++signed_calls;
    if (r.method == "POST") {
      EXPECT_EQ(r.body, R"({"fieldType":"TXT","subDomain":"ab123-ovh"})");
    }
  }
  EXPECT_EQ(signed_calls, 2);
}

TEST_F(EndToEndTest, ApiovhWithoutItsCredentialsIsRefusedAtLoad) {
  environment_["CONFIGURATION_FROM"] = "file:" + dir_.write("config.json", "[]");
  RunOutput out = run("apiovh.yaml");
  EXPECT_EQ(out.exit_code, 2) << out.log;
  EXPECT_NE(out.log.find("can't retrieve credentials from configstore: configstore: get \"ovh-e2e\": no item found"),
            std::string::npos) << out.log;
}


TEST_F(EndToEndTest, Ssh) {
  testing::SshdPeer peer;
  const Json item = {{"user", peer.user()}, {"target", peer.target()}, {"key", peer.user_key()},
                     {"host_key", peer.host_fingerprint()}};
  const std::string items = dir_.write("ssh-config.json", to_json_text(Json::array({{{"key", "sshpeer"}, {"value", to_json_text(item)}}})));
  environment_["CONFIGURATION_FROM"] = "file:" + items;
  RunOutput out = run("ssh.yaml", {"--input", "who=ops"});
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  EXPECT_EQ(out.exit_code, 0) << out.log;
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& remote = step(out, "remote");
  EXPECT_EQ(remote["metadata"]["exit_code"], "0");
  EXPECT_EQ(remote["metadata"]["output"].get<std::string>().rfind("greeting from the remote side\n", 0), 0u)
      << to_json_text(remote);
  EXPECT_EQ(step(out, "unrecoverable")["metadata"]["exit_code"], "7");
  EXPECT_EQ(out.printed["task"]["result"]["greeting"], "hello ops");
  EXPECT_EQ(out.printed["task"]["result"]["user"], peer.user());
  EXPECT_EQ(out.log.find("PRIVATE KEY"), std::string::npos) << "the key reached the log";
}

TEST_F(EndToEndTest, SshWithAnUnknownOutputModeIsRefusedAtLoad) {
  RunOutput out = run("ssh_bad_mode.yaml");
  EXPECT_EQ(out.exit_code, 2) << out.log;
  EXPECT_NE(out.log.find("invalid value \"json\" for output_mode"), std::string::npos) << out.log;
}

TEST_F(EndToEndTest, Email) {
  testing::SmtpSink sink({"e2e-user", "e2e-password"});
  const Json item = {{"user", "e2e-user"}, {"password", "e2e-password"}};
  const std::string items = dir_.write("smtp-config.json", to_json_text(Json::array({{{"key", "smtppeer"}, {"value", to_json_text(item)}}})));
  environment_["CONFIGURATION_FROM"] = "file:" + items;
  RunOutput out = run("email.yaml", {"--input", "who=ops", "--input", "port=" + std::to_string(sink.port())});
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  EXPECT_EQ(out.exit_code, 0) << out.log;
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  EXPECT_EQ(out.printed["task"]["result"]["sent_to"], "ops@example.org");
  EXPECT_EQ(out.printed["task"]["result"]["subject"], "Greeting for ops");
  const auto mails = sink.messages();
  ASSERT_EQ(mails.size(), 1u) << sink.log();
  EXPECT_EQ(parse_json(mails[0].envelope).value()["authenticated"], true);
  const std::string task_id = out.printed["task"].value("id", "");
  EXPECT_NE(mails[0].content.find("Subject: Greeting for ops\r\n"), std::string::npos) << mails[0].content;
  EXPECT_NE(mails[0].content.find("Hello ops, from task " + task_id + "."), std::string::npos) << mails[0].content;
  EXPECT_EQ(out.log.find("e2e-password"), std::string::npos) << "the password reached the log";
}

TEST_F(EndToEndTest, EmailWithAPortThatIsNoNumberIsRefusedAtLoad) {
  RunOutput out = run("email_bad_port.yaml");
  EXPECT_EQ(out.exit_code, 2) << out.log;
  EXPECT_NE(out.log.find("can't parse smtp_port field \"smtp\""), std::string::npos) << out.log;
}

}  // namespace
}  // namespace utask::actions

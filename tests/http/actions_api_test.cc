// Each builtin action end to end through the REST API: the real server with the engine runs
// the template of tests/actions/templates (or, for echo and the callback round trip, one
// written here) against the action's real peer. The task is created with POST /task by an
// allowed resolver (auto-run), its end state read with GET /task/{id} (bounded poll), and the
// steps' outputs with GET /resolution/{id} — the same expectations as `utask run`
// (tests/actions/end_to_end_test.cc).

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http/api_fixture.h"
#include "support/http_peer.h"
#include "support/smtp_sink.h"
#include "support/sshd_peer.h"
#include "support/temp_dir.h"

namespace utask::testing {
namespace {

const std::string kTemplates = std::string(UTASK_SOURCE_DIR) + "/tests/actions/templates";

// The resolver allowed by the header every template gets (auto_runnable needs one).
const std::string kResolver = "owner";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A template made auto-runnable by `owner`: the keys are prepended (none of the e2e templates
// sets them, except the child, which allows everybody already).
std::string runnable(const std::string& yaml) {
  return "auto_runnable: true\nallowed_resolver_usernames: [" + kResolver + "]\n" + yaml;
}

const std::string kEchoTemplate = R"(name: actions-api-echo
description: The echo action through the API
title_format: "[api] echo for {{ .input.who }}"
inputs:
  - name: who
    description: who to greet
steps:
  say:
    description: answers with its configuration
    action:
      type: echo
      configuration:
        output:
          greeting: "hello {{ .input.who }}"
        metadata:
          from: echo
result_format:
  greeting: "{{ .step.say.output.greeting }}"
)";

// create + wait: the wait step stays WAITING until the callback's URL is called.
const std::string kCallbackTemplate = R"(name: actions-api-callback
description: The callback action through the API - created, waited for, called
title_format: "[api] callback"
steps:
  createCallback:
    description: creates a callback
    action:
      type: callback
      configuration:
        action: create
        schema: '{"type": "object", "required": ["ok"], "properties": {"ok": {"type": "boolean"}}}'
  waitCallback:
    description: waits for its call
    dependencies: [createCallback]
    action:
      type: callback
      configuration:
        action: wait
        id: "{{ .step.createCallback.output.id }}"
result_format:
  ok: "{{ .step.waitCallback.output.body.ok }}"
)";

class ActionsApiTest : public ::testing::Test {
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

  // Starts the server with the engine over `templates` (YAML texts, made runnable) and the
  // child template of subtask and batch.
  void start(std::vector<std::string> templates, Json config_items = Json::object()) {
    ApiOptions options;
    options.start_runtime = true;
    options.templates_dir.clear();
    options.config_items = std::move(config_items);
    options.scripts_path = dir_.str() + "/scripts";
    options.extra_templates.push_back(read_text(kTemplates + "/children/child.yaml"));
    for (const auto& t : templates) options.extra_templates.push_back(runnable(t));
    api_ = std::make_unique<TestApi>(std::move(options));
    ASSERT_TRUE(api_->ok()) << api_->error();
  }
  void start_file(const std::string& file, Json config_items = Json::object()) {
    start({read_text(kTemplates + "/" + file)}, std::move(config_items));
  }

  // POST /task as the allowed resolver; returns the task id ("" and a failure otherwise).
  std::string create(const std::string& template_name, const Json& input = Json::object()) {
    const Json body{{"template_name", template_name}, {"input", input}};
    auto r = api_->call("POST", "/task", body.dump(), Auth::user(kResolver));
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return {};
    return r.json().value("id", "");
  }

  // GET `path` as admin until `done` holds for its JSON, at most 60 s; returns the last JSON.
  Json poll(const std::string& path, const std::function<bool(const Json&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    Json last;
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = api_->call("GET", path);
      if (r.status == 200) {
        last = r.json();
        if (done(last)) return last;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "timed out polling " << path << ": " << last.dump();
    return last;
  }

  // The task once its resolution ended (DONE, BLOCKED, CANCELLED or WONTFIX).
  Json finished_task(const std::string& id) {
    static const std::set<std::string> ends{"DONE", "BLOCKED", "CANCELLED", "WONTFIX"};
    return poll("/task/" + id, [](const Json& t) { return ends.count(t.value("state", "")) > 0; });
  }
  // The resolution of task `id` once its step `step` is in `state` (a failed step is retried,
  // so the task itself stays RUNNING).
  Json resolution_at(const std::string& id, const std::string& step, const std::string& state) {
    const Json task = poll("/task/" + id, [](const Json& t) { return t.contains("resolution"); });
    return poll("/resolution/" + task.value("resolution", ""),
                [&](const Json& r) { return r["steps"][step].value("state", "") == state; });
  }
  Json resolution_of(const Json& task) {
    auto r = api_->call("GET", "/resolution/" + task.value("resolution", ""));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json() : Json();
  }

  TempDir dir_;
  std::unique_ptr<TestApi> api_;
};

// --- the actions whose peers are inputs (or need none): one table ---

struct Case {
  std::string name;
  std::string template_file;  // under tests/actions/templates; empty: `inline_template`
  std::string inline_template;
  std::string template_name;
  Json input;
  std::string end_state;  // the task's
  std::function<void(const Json& task, const Json& resolution)> check;
};

std::vector<Case> cases() {
  return {
      {"Echo", "", kEchoTemplate, "actions-api-echo", {{"who", "api"}}, "DONE",
       [](const Json& task, const Json& res) {
         EXPECT_EQ(res["steps"]["say"]["output"]["greeting"], "hello api");
         EXPECT_EQ(res["steps"]["say"]["metadata"]["from"], "echo");
         EXPECT_EQ(task["result"]["greeting"], "hello api");
       }},
      {"Script", "script.yaml", "", "actions-e2e-script", {{"who", "world"}}, "DONE",
       [](const Json& task, const Json& res) {
         const Json& greet = res["steps"]["greet"];
         EXPECT_EQ(greet["state"], "DONE");
         EXPECT_EQ(greet["output"].dump(), R"({"message":"hello world","stdin":"world via stdin"})");
         EXPECT_EQ(greet["metadata"]["exit_code"], "0");
         EXPECT_EQ(greet["metadata"]["output"],
                   "greeting world\n{\"message\":\"hello world\",\"stdin\":\"world via stdin\"}\n");
         EXPECT_EQ(res["steps"]["unrecoverable"]["state"], "DONE");
         EXPECT_EQ(res["steps"]["unrecoverable"]["metadata"]["exit_code"], "7");
         EXPECT_EQ(task["result"]["message"], "hello world");
       }},
      {"Tag", "tag.yaml", "", "actions-e2e-tag", {{"team", "infra"}}, "DONE",
       [](const Json& task, const Json&) {
         EXPECT_EQ(task["tags"].value("team", ""), "infra") << task.dump();
         EXPECT_FALSE(task["tags"].contains("obsolete")) << task.dump();
       }},
      {"Subtask", "subtask.yaml", "", "actions-e2e-subtask", Json::object(), "DONE",
       [](const Json& task, const Json& res) {
         EXPECT_EQ(res["steps"]["child"]["output"]["state"], "DONE");
         EXPECT_EQ(task["result"]["child_result"], "6");
       }},
      {"Batch", "batch.yaml", "", "actions-e2e-batch", Json::object(), "DONE",
       [](const Json&, const Json& res) {
         const Json& batch = res["steps"]["children"];
         ASSERT_TRUE(batch["metadata"].is_string()) << batch.dump();
         const std::string progress = batch["metadata"].get<std::string>();
         EXPECT_NE(progress.find(R"(\"remaining_tasks\":0,\"tasks_started\":3)"), std::string::npos)
             << progress;
       }},
      {"Ping", "ping.yaml", "", "actions-e2e-ping", Json::object(), "DONE",
       [](const Json& task, const Json& res) {
         EXPECT_EQ(res["steps"]["pingIt"]["output"]["packets_sent"], 2);
         EXPECT_EQ(res["steps"]["pingIt"]["metadata"]["count"], "2");
         EXPECT_EQ(task["result"]["received"], "2");
         EXPECT_EQ(task["result"]["address"], "127.0.0.1");
       }},
      {"Cache", "cache.yaml", "", "actions-e2e-cache", Json::object(), "DONE",
       [](const Json& task, const Json& res) {
         EXPECT_EQ(res["steps"]["put"]["output"]["cached"], true);
         EXPECT_EQ(res["steps"]["read"]["output"]["hit"], true);
         EXPECT_EQ(res["steps"]["drop"]["output"]["deleted"], true);
         EXPECT_EQ(task["result"]["answer"], "42");
         EXPECT_EQ(task["result"]["hit_after_delete"], "false");
       }},
      {"Notify", "notify.yaml", "", "actions-e2e-notify", Json::object(), "DONE",
       [](const Json&, const Json& res) {
         const Json& tell = res["steps"]["tell"];
         EXPECT_EQ(tell["state"], "DONE");
         EXPECT_TRUE(!tell.contains("output") || tell["output"].is_null()) << tell.dump();
       }},
  };
}

class ActionsApiCase : public ActionsApiTest, public ::testing::WithParamInterface<Case> {};

TEST_P(ActionsApiCase, RunsThroughTheApi) {
  const Case& c = GetParam();
  start({c.template_file.empty() ? c.inline_template : read_text(kTemplates + "/" + c.template_file)});
  if (HasFatalFailure()) return;
  const std::string id = create(c.template_name, c.input);
  ASSERT_FALSE(id.empty());
  const Json task = finished_task(id);
  EXPECT_EQ(task["state"], c.end_state) << task.dump();
  const Json res = resolution_of(task);
  c.check(task, res);
}

INSTANTIATE_TEST_SUITE_P(Actions, ActionsApiCase, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& param) { return param.param.name; });

// --- the actions whose peers are configuration items or need a call ---

TEST_F(ActionsApiTest, Http) {
  HttpPeer peer;
  peer.on("GET", "/users/1", {200, {{"Content-Type", "application/json"}}, R"({"name":"ada","admin":true})"});
  peer.on("POST", "/items",
          {201, {{"Content-Type", "application/json"}, {"X-Request-Id", "r-1"}}, R"({"id":"item-7"})"});
  start_file("http.yaml");
  if (HasFatalFailure()) return;
  const Json task = finished_task(create("actions-e2e-http", {{"base", peer.base_url()}}));
  EXPECT_EQ(task["state"], "DONE") << task.dump();
  const Json res = resolution_of(task);
  EXPECT_EQ(res["steps"]["getUser"]["metadata"]["HTTPStatus"], 200);
  EXPECT_EQ(res["steps"]["lookMissing"]["state"], "DONE");
  EXPECT_EQ(task["result"]["name"], "ada");
  EXPECT_EQ(task["result"]["created"], "item-7");
  EXPECT_EQ(task["result"]["request_id"], "r-1");
  EXPECT_EQ(task["result"]["missing_status"], "404");
  bool saw_get = false, saw_post = false;
  for (const auto& r : peer.requests()) {
    if (r.path == "/users/1") {
      saw_get = true;
      EXPECT_EQ(r.query, "fields=name+id");
      EXPECT_EQ(r.header("Authorization"), "Bearer e2e-token");
    }
    if (r.path == "/items") {
      saw_post = true;
      EXPECT_EQ(r.body, R"({"owner": "ada"})");
    }
  }
  EXPECT_TRUE(saw_get && saw_post);
}

TEST_F(ActionsApiTest, HttpServerErrorIsAStepServerError) {
  HttpPeer peer;
  peer.on("GET", "/users/1", {503, {}, "down"});
  start_file("http.yaml");
  if (HasFatalFailure()) return;
  const Json res = resolution_at(create("actions-e2e-http", {{"base", peer.base_url()}}), "getUser", "SERVER_ERROR");
  const Json& get = res["steps"]["getUser"];
  EXPECT_EQ(get["state"], "SERVER_ERROR") << get.dump();
  EXPECT_EQ(get.value("error", ""), "failed api request: 503: down");
}

TEST_F(ActionsApiTest, PingOfAnUnresolvableHostIsAServerError) {
  start_file("ping.yaml");
  if (HasFatalFailure()) return;
  const Json res = resolution_at(create("actions-e2e-ping", {{"host", "no-such-host.invalid"}}), "pingIt",
                                 "SERVER_ERROR");
  const Json& ping = res["steps"]["pingIt"];
  EXPECT_EQ(ping["state"], "SERVER_ERROR") << ping.dump();
  EXPECT_NE(ping.value("error", "").find("can't initiate ping"), std::string::npos) << ping.dump();
}

TEST_F(ActionsApiTest, Apiovh) {
  HttpPeerOptions options;
  options.ovh = OvhCheck{"e2e-app", "e2e-secret", "e2e-consumer", std::nullopt};
  HttpPeer peer(options);
  peer.on("GET", "/1.0/me",
          {200, {{"Content-Type", "application/json"}, {"X-Ovh-Queryid", "EU.q-1"}}, R"({"nichandle":"ab123-ovh"})"});
  peer.on("POST", "/1.0/domain/zone/example.org/record",
          {200, {{"Content-Type", "application/json"}}, R"({"id":99})"});
  const Json credentials = {{"endpoint", peer.url("/1.0")}, {"appKey", "e2e-app"},
                            {"appSecret", "e2e-secret"}, {"consumerKey", "e2e-consumer"}};
  start_file("apiovh.yaml", Json{{"ovh-e2e", credentials}});
  if (HasFatalFailure()) return;
  const Json task = finished_task(create("actions-e2e-apiovh"));
  EXPECT_EQ(task["state"], "DONE") << task.dump();
  EXPECT_EQ(task["result"]["nichandle"], "ab123-ovh");
  EXPECT_EQ(task["result"]["record"], "99");
  EXPECT_EQ(task["result"]["query_id"], "EU.q-1");
  EXPECT_EQ(resolution_of(task)["steps"]["addRecord"]["output"]["id"], 99);
  int signed_calls = 0;
  for (const auto& r : peer.requests()) {
    if (r.signature_valid) ++signed_calls;
    if (r.method == "POST") {
      EXPECT_EQ(r.body, R"({"fieldType":"TXT","subDomain":"ab123-ovh"})");
    }
  }
  EXPECT_EQ(signed_calls, 2);
}

TEST_F(ActionsApiTest, ApiovhWithoutItsCredentialsIsRefusedAtLoad) {
  ApiOptions options;
  options.templates_dir.clear();
  options.extra_templates = {runnable(read_text(kTemplates + "/apiovh.yaml"))};
  TestApi api(std::move(options));
  EXPECT_FALSE(api.ok());
  EXPECT_NE(api.error().find("no item found"), std::string::npos) << api.error();
}

TEST_F(ActionsApiTest, Ssh) {
  SshdPeer peer;
  const Json item = {{"user", peer.user()}, {"target", peer.target()}, {"key", peer.user_key()},
                     {"host_key", peer.host_fingerprint()}};
  start_file("ssh.yaml", Json{{"sshpeer", item}});
  if (HasFatalFailure()) return;
  const Json task = finished_task(create("actions-e2e-ssh", {{"who", "ops"}}));
  EXPECT_EQ(task["state"], "DONE") << task.dump() << peer.log();
  const Json res = resolution_of(task);
  const Json& remote = res["steps"]["remote"];
  EXPECT_EQ(remote["metadata"]["exit_code"], "0") << remote.dump();
  EXPECT_EQ(remote["metadata"].value("output", "").rfind("greeting from the remote side\n", 0), 0u)
      << remote.dump();
  EXPECT_EQ(res["steps"]["unrecoverable"]["metadata"]["exit_code"], "7");
  EXPECT_EQ(task["result"]["greeting"], "hello ops");
  EXPECT_EQ(task["result"]["user"], peer.user());
}

TEST_F(ActionsApiTest, Email) {
  SmtpSink sink({"e2e-user", "e2e-password"});
  start_file("email.yaml", Json{{"smtppeer", {{"user", "e2e-user"}, {"password", "e2e-password"}}}});
  if (HasFatalFailure()) return;
  const std::string id = create("actions-e2e-email", {{"who", "ops"}, {"port", std::to_string(sink.port())}});
  const Json task = finished_task(id);
  EXPECT_EQ(task["state"], "DONE") << task.dump();
  EXPECT_EQ(task["result"]["sent_to"], "ops@example.org");
  EXPECT_EQ(task["result"]["subject"], "Greeting for ops");
  EXPECT_EQ(resolution_of(task)["steps"]["mail"]["output"]["subject"], "Greeting for ops");
  const auto mails = sink.messages();
  ASSERT_EQ(mails.size(), 1u) << sink.log();
  EXPECT_NE(mails[0].content.find("Subject: Greeting for ops\r\n"), std::string::npos) << mails[0].content;
  EXPECT_NE(mails[0].content.find("Hello ops, from task " + id + "."), std::string::npos) << mails[0].content;
}

TEST_F(ActionsApiTest, EmailToAClosedPortIsAStepServerError) {
  int closed_port = 0;
  {
    SmtpSink gone({"e2e-user", "e2e-password"});
    closed_port = gone.port();
  }
  start_file("email.yaml", Json{{"smtppeer", {{"user", "e2e-user"}, {"password", "e2e-password"}}}});
  if (HasFatalFailure()) return;
  const Json res = resolution_at(create("actions-e2e-email", {{"who", "ops"}, {"port", std::to_string(closed_port)}}),
                                 "mail", "SERVER_ERROR");
  EXPECT_EQ(res["steps"]["mail"]["state"], "SERVER_ERROR") << res["steps"]["mail"].dump();
}

// The path and query of the callback URL (its host is the configured base, not this server).
std::string path_of(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? std::string() : url.substr(slash);
}

TEST_F(ActionsApiTest, CallbackWaitsUntilItsUrlIsCalled) {
  start({kCallbackTemplate});
  if (HasFatalFailure()) return;
  const std::string id = create("actions-api-callback");
  ASSERT_FALSE(id.empty());
  const Json task = poll("/task/" + id, [](const Json& t) { return t.contains("resolution"); });
  const std::string resolution = task.value("resolution", "");
  const Json waiting = poll("/resolution/" + resolution, [](const Json& r) {
    return r["steps"]["waitCallback"].value("state", "") == "WAITING";
  });
  const Json created = waiting["steps"]["createCallback"]["output"];
  const std::string path = path_of(created.value("url", ""));
  ASSERT_NE(path.find(created.value("id", "?")), std::string::npos) << created.dump();
  EXPECT_NE(path.find("t=" + created.value("token", "?")), std::string::npos) << path;
  EXPECT_EQ(api_->call("GET", "/task/" + id).json()["state"], "WAITING");

  // A body the schema refuses leaves it waiting; the right one completes the task.
  auto refused = api_->call("POST", path, R"({"ok": "yes"})", Auth::none());
  EXPECT_EQ(refused.status, 400) << refused.body;
  auto called = api_->call("POST", path, R"({"ok": true})", Auth::none());
  EXPECT_EQ(called.status, 200) << called.body;

  const Json done = finished_task(id);
  EXPECT_EQ(done["state"], "DONE") << done.dump();
  EXPECT_EQ(done["result"]["ok"], "true");
  EXPECT_EQ(resolution_of(done)["steps"]["waitCallback"]["output"]["body"]["ok"], true);
}

}  // namespace
}  // namespace utask::testing

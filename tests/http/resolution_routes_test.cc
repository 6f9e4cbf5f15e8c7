// /resolution routes over the real server (api.md §5.6): each route's success with its
// effects, the authorization matrix of §3.2 for every route and role, and a table of bad
// requests, each a 4xx naming the problem with nothing stored.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "http/api_fixture.h"
#include "http/resolution_support.h"
#include "persistence/store.h"
#include "service/resolution_service.h"

namespace utask::testing {
namespace {

class ResolutionRoutes : public ApiTest {
 protected:
  std::vector<std::string> comments(const std::string& task_id) {
    std::vector<std::string> out;
    auto list = api().store().list_comments(task_id);
    EXPECT_TRUE(list.ok());
    if (list) {
      for (const auto& c : *list) out.push_back(c.content);
    }
    return out;
  }
  persistence::ResolutionRecord stored(const std::string& id) {
    auto r = api().store().get_resolution(id, persistence::ResolutionView::with_steps);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r ? *r : persistence::ResolutionRecord{};
  }
  Json step_as_admin(const Subject& s) {
    auto step = api().resolutions().get_step(admin_caller(api()), s.resolution_id, "only");
    EXPECT_TRUE(step.ok());
    return step ? *step : Json();
  }
};

// ---- Successes --------------------------------------------------------------------------------

TEST_F(ResolutionRoutes, CreateAnswers201WithTheStepsAndWakesTheEngine) {
  Subject s = make_subject(api(), /*resolve=*/false);
  const int wakes = api().wakes();
  auto r = call("POST", "/resolution",
                R"({"task_id":")" + s.task_id + R"(","resolver_inputs":{"reason":"go"}})",
                Auth::user("owner"));
  ASSERT_EQ(r.status, 201) << r.body;
  Json j = r.json();
  EXPECT_EQ(j["task_id"], s.task_id);
  EXPECT_EQ(j["state"], "TO_AUTORUN");
  EXPECT_EQ(j["resolver_username"], "owner");
  EXPECT_EQ(j["run_count"], 0);
  EXPECT_EQ(j["steps"]["only"]["state"], "TODO");
  EXPECT_EQ(j["resolver_inputs"]["reason"], "go");
  EXPECT_GT(api().wakes(), wakes);
  EXPECT_EQ(api().store().get_task(s.task_id)->resolution_id, j["id"].get<std::string>());
}

TEST_F(ResolutionRoutes, CreateTakesAYamlBody) {
  Subject s = make_subject(api(), false);
  auto r = call("POST", "/resolution", "task_id: " + s.task_id + "\nresolver_inputs:\n  reason: yaml\n",
                Auth::user("resolver"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["resolver_inputs"]["reason"], "yaml");
}

TEST_F(ResolutionRoutes, AnAdminCreatingIsAddedToTheTaskResolvers) {
  Subject s = make_subject(api(), false);
  auto r = call("POST", "/resolution", R"({"task_id":")" + s.task_id + R"("})");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto resolvers = api().store().get_task(s.task_id)->resolver_usernames;
  EXPECT_EQ(resolvers, (std::vector<std::string>{"resolver", "admin"}));
}

TEST_F(ResolutionRoutes, StartOverReplacesAPausedResolution) {
  Subject s = make_subject(api(), true, "PAUSED");
  auto r = call("POST", "/resolution", R"({"task_id":")" + s.task_id + R"(","start_over":true})",
                Auth::user("owner"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.json()["id"], s.resolution_id);
  EXPECT_EQ(call("GET", "/resolution/" + s.resolution_id).status, 404);
}

TEST_F(ResolutionRoutes, GetShowsEverythingToManagersAndStripsForOthers) {
  Subject s = make_subject(api(), true, "PAUSED");
  Json step = step_as_admin(s);
  step["output"] = Json{{"secret", "s3"}};
  step["metadata"] = Json{{"m", 1}};
  ASSERT_EQ(call("PUT", "/resolution/" + s.resolution_id + "/step/only", step.dump()).status, 204);

  for (const char* manager : {"admin", "owner", "resolver"}) {
    auto r = call("GET", "/resolution/" + s.resolution_id, "", Auth::user(manager));
    ASSERT_EQ(r.status, 200) << manager << r.body;
    Json j = r.json();
    EXPECT_EQ(j["id"], s.resolution_id);
    EXPECT_EQ(j["resolver_inputs"]["reason"], "because") << manager;
    EXPECT_EQ(j["steps"]["only"]["output"]["secret"], "s3") << manager;
    auto one = call("GET", "/resolution/" + s.resolution_id + "/step/only", "", Auth::user(manager));
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(one.json()["metadata"]["m"], 1) << manager;
  }
  for (const char* viewer : {"requester", "watcher"}) {
    auto r = call("GET", "/resolution/" + s.resolution_id, "", Auth::user(viewer));
    ASSERT_EQ(r.status, 200) << viewer << r.body;
    Json j = r.json();
    EXPECT_FALSE(j.contains("resolver_inputs")) << viewer;
    EXPECT_FALSE(j["steps"]["only"].contains("output")) << viewer;
    EXPECT_FALSE(j["steps"]["only"].contains("metadata")) << viewer;
    EXPECT_EQ(j["steps"]["only"]["state"], "TODO");
    auto one = call("GET", "/resolution/" + s.resolution_id + "/step/only", "", Auth::user(viewer));
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(one.json()["name"], "only");
    EXPECT_FALSE(one.json().contains("output")) << viewer;
  }
}

TEST_F(ResolutionRoutes, UpdateReplacesResolverInputsAndSteps) {
  Subject s = make_subject(api(), true, "PAUSED");
  Json step = step_as_admin(s);
  step["state"] = "DONE";
  Json body{{"resolver_inputs", {{"reason", "fixed"}}}, {"steps", {{"only", step}}}};
  auto r = call("PUT", "/resolution/" + s.resolution_id, body.dump());
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  Json after = *api().resolutions().get_resolution(admin_caller(api()), s.resolution_id);
  EXPECT_EQ(after["resolver_inputs"]["reason"], "fixed");
  EXPECT_EQ(after["steps"]["only"]["state"], "DONE");
  EXPECT_EQ(comments(s.task_id).back(), "manually updated resolution");
}

TEST_F(ResolutionRoutes, RunStartsTheRunAfterItsComment) {
  Subject s = make_subject(api());
  auto r = call("POST", "/resolution/" + s.resolution_id + "/run", "", Auth::user("resolver"));
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(api().runs(), (std::vector<std::string>{s.resolution_id}));
  EXPECT_EQ(comments(s.task_id).back(), "manually ran resolution");
}

TEST_F(ResolutionRoutes, PauseAndForcedPause) {
  Subject s = make_subject(api());
  ASSERT_EQ(call("POST", "/resolution/" + s.resolution_id + "/pause", "", Auth::user("owner")).status, 204);
  EXPECT_EQ(stored(s.resolution_id).state, "PAUSED");
  EXPECT_EQ(comments(s.task_id).back(), "manually paused resolution");

  Subject running = make_subject(api(), true, "RUNNING");
  auto refused = call("POST", "/resolution/" + running.resolution_id + "/pause", "", Auth::user("owner"));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(error_of(refused), "Can't pause resolution while in state RUNNING");
  auto not_admin = call("POST", "/resolution/" + running.resolution_id + "/pause?force=true", "",
                        Auth::user("owner"));
  EXPECT_EQ(not_admin.status, 403);
  EXPECT_EQ(error_of(not_admin), "Not an admin user");
  auto forced = call("POST", "/resolution/" + running.resolution_id + "/pause?force=true");
  ASSERT_EQ(forced.status, 204) << forced.body;
  EXPECT_EQ(stored(running.resolution_id).state, "PAUSED");
}

TEST_F(ResolutionRoutes, ExtendGivesAnotherBudget) {
  Subject s = make_subject(api(), true, "BLOCKED_MAXRETRIES");
  const int before = stored(s.resolution_id).run_max;
  auto r = call("POST", "/resolution/" + s.resolution_id + "/extend", "", Auth::user("resolver"));
  ASSERT_EQ(r.status, 204) << r.body;
  auto after = stored(s.resolution_id);
  EXPECT_EQ(after.state, "ERROR");
  EXPECT_EQ(after.run_max, before + 100);
  EXPECT_EQ(comments(s.task_id).back(), "manually extended resolution");
}

TEST_F(ResolutionRoutes, CancelEndsResolutionAndTask) {
  Subject s = make_subject(api());
  auto r = call("POST", "/resolution/" + s.resolution_id + "/cancel", "", Auth::user("owner"));
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(stored(s.resolution_id).state, "CANCELLED");
  EXPECT_EQ(api().store().get_task(s.task_id)->state, "CANCELLED");
  EXPECT_EQ(comments(s.task_id).back(), "cancelled resolution");
}

TEST_F(ResolutionRoutes, UpdateStepReplacesOneStep) {
  Subject s = make_subject(api(), true, "PAUSED");
  Json step = step_as_admin(s);
  step["description"] = "hot-fixed";
  auto r = call("PUT", "/resolution/" + s.resolution_id + "/step/only", step.dump());
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(step_as_admin(s)["description"], "hot-fixed");
  EXPECT_EQ(comments(s.task_id).back(), "manually updated resolution step only");
}

TEST_F(ResolutionRoutes, SetStepStateByATemplateOwner) {
  Subject s = make_subject(api(), true, "PAUSED");
  auto r = call("PUT", "/resolution/" + s.resolution_id + "/step/only/state", R"({"state":"DONE"})",
                Auth::user("owner"));
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(step_as_admin(s)["state"], "DONE");
  EXPECT_EQ(comments(s.task_id).back(), "manually updated resolution step only state from TODO to DONE");
}

TEST_F(ResolutionRoutes, TheListIsNotRouted) {
  auto r = call("GET", "/resolution");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "404 page not found");
}

// ---- Authorization matrix (§3.2) --------------------------------------------------------------

struct MatrixRoute {
  const char* name;
  const char* method;
  const char* path;  // {rid}: the subject's resolution
  // The subject's state before the call: "" = no resolution; else the resolution's state.
  const char* setup;
  // Body ({tid}: the subject's task; "STEP": the step as an admin sees it).
  const char* body;
  const char* forbidden;  // the 403 message for callers without the right; "" = guard (401)
  int success;
};

const MatrixRoute kRoutes[] = {
    {"create", "POST", "/resolution", "", R"({"task_id":"{tid}"})",
     "You are not allowed to resolve this task", 201},
    {"get", "GET", "/resolution/{rid}", "TO_AUTORUN", "", "Can't display resolution details", 200},
    {"get_step", "GET", "/resolution/{rid}/step/only", "TO_AUTORUN", "",
     "Can't display resolution details", 200},
    {"update", "PUT", "/resolution/{rid}", "PAUSED", R"({"resolver_inputs":{"reason":"x"}})", "", 204},
    {"update_step", "PUT", "/resolution/{rid}/step/only", "PAUSED", "STEP", "", 204},
    {"step_state", "PUT", "/resolution/{rid}/step/only/state", "PAUSED", R"({"state":"DONE"})",
     "Can't update resolution step state", 204},
    {"run", "POST", "/resolution/{rid}/run", "TO_AUTORUN", "", "You are not allowed to resolve this task", 204},
    {"pause", "POST", "/resolution/{rid}/pause", "TO_AUTORUN", "", "You are not allowed to pause this task", 204},
    {"extend", "POST", "/resolution/{rid}/extend", "BLOCKED_MAXRETRIES", "",
     "Not allowed to extend resolution", 204},
    {"cancel", "POST", "/resolution/{rid}/cancel", "TO_AUTORUN", "",
     "You are not allowed to cancel this task", 204},
};

// Who may call each route (§3.2); everyone else gets the route's refusal.
bool allowed(const std::string& route, const std::string& role) {
  if (role == "admin") return true;
  if (role == "anonymous") return false;
  if (route == "update" || route == "update_step") return false;  // admin guard
  if (route == "get" || route == "get_step") return role != "stranger";
  if (route == "step_state") return role == "owner";  // task resolvers are not enough
  return role == "owner" || role == "resolver";
}

std::string fill(std::string text, const Subject& s) {
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{rid}", s.resolution_id},
                                   {"{tid}", s.task_id}}) {
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) {
      text.replace(at, key.size(), value);
    }
  }
  return text;
}

TEST_F(ResolutionRoutes, AuthorizationMatrix) {
  const char* roles[] = {"admin", "owner", "resolver", "requester", "watcher", "stranger", "anonymous"};
  for (const auto& route : kRoutes) {
    for (const std::string role : roles) {
      SCOPED_TRACE(std::string(route.name) + " as " + role);
      const std::string setup = route.setup;
      Subject s = make_subject(api(), !setup.empty(), setup == "TO_AUTORUN" ? "" : setup);
      std::string body = route.body;
      if (body == "STEP") body = step_as_admin(s).dump();
      body = fill(body, s);
      const std::string before = snapshot(api(), s);
      const Auth auth = role == "anonymous" ? Auth::none() : Auth::user(role);
      auto r = call(route.method, fill(route.path, s), body, auth);
      if (allowed(route.name, role)) {
        EXPECT_EQ(r.status, route.success) << r.body;
        continue;
      }
      if (role == "anonymous" || std::string(route.forbidden).empty()) {
        EXPECT_EQ(r.status, 401) << r.body;
        EXPECT_TRUE(r.body.empty()) << r.body;
      } else {
        EXPECT_EQ(r.status, 403) << r.body;
        EXPECT_EQ(error_of(r), route.forbidden);
      }
      EXPECT_EQ(snapshot(api(), s), before);
    }
  }
}

// ---- Bad requests -----------------------------------------------------------------------------

constexpr const char* kUnknown = "6f1c1f0e-5b7a-4b8e-9d7e-0a1b2c3d4e5f";

struct BadRequest {
  const char* what;
  const char* method;
  const char* path;     // {rid}, {tid} as above
  const char* setup;    // as MatrixRoute::setup; "NONE" = a task without resolution
  const char* body;     // {tid}; "STEP:<state>" = the admin's step with that state
  int status;
  const char* message;  // exact, or a prefix when it ends with "…"
};

const BadRequest kBad[] = {
    {"unknown resolution", "GET", "/resolution/6f1c1f0e-5b7a-4b8e-9d7e-0a1b2c3d4e5f", "TO_AUTORUN", "",
     404, "resolution 6f1c1f0e-5b7a-4b8e-9d7e-0a1b2c3d4e5f not found"},
    {"malformed resolution id", "GET", "/resolution/not-a-uuid", "TO_AUTORUN", "", 404,
     "resolution not-a-uuid not found"},
    {"unknown step", "GET", "/resolution/{rid}/step/nope", "TO_AUTORUN", "", 404,
     "given stepName \"nope\" for this resolution not found"},
    {"hot-fix of an unknown step", "PUT", "/resolution/{rid}/step/nope", "PAUSED", "{}", 404,
     "given stepName \"nope\" for this resolution not found"},
    {"state of an unknown step", "PUT", "/resolution/{rid}/step/nope/state", "PAUSED",
     R"({"state":"DONE"})", 404, "given stepName \"nope\" for this resolution not found"},
    {"run of an unknown resolution", "POST", "/resolution/6f1c1f0e-5b7a-4b8e-9d7e-0a1b2c3d4e5f/run",
     "TO_AUTORUN", "", 404, "resolution 6f1c1f0e-5b7a-4b8e-9d7e-0a1b2c3d4e5f not found"},
    {"cancel of an unknown resolution", "POST",
     "/resolution/6f1c1f0e-5b7a-4b8e-9d7e-0a1b2c3d4e5f/cancel", "TO_AUTORUN", "", 404,
     "resolution 6f1c1f0e-5b7a-4b8e-9d7e-0a1b2c3d4e5f not found"},
    {"malformed JSON", "POST", "/resolution", "NONE", R"({"task_id": )", 400,
     "binding error: error parsing request body: …"},
    {"a list for a body", "POST", "/resolution", "NONE", "[1, 2]", 400,
     "binding error: error parsing request body: expected an object, got an array"},
    {"an object for task_id", "POST", "/resolution", "NONE", R"({"task_id": {"a": 1}})", 400,
     "binding error: error parsing request body: field 'task_id': expected a string, got an object"},
    {"a string for resolver_inputs", "POST", "/resolution", "NONE",
     R"({"task_id": "{tid}", "resolver_inputs": "x"})", 400,
     "binding error: error parsing request body: field 'resolver_inputs': expected an object, got a string"},
    {"a string for start_over", "POST", "/resolution", "NONE",
     R"({"task_id": "{tid}", "start_over": "yes please"})", 400,
     "binding error: error parsing request body: field 'start_over': expected a boolean, got a string"},
    {"unknown task", "POST", "/resolution", "NONE", R"({"task_id": "6f1c1f0e-5b7a-4b8e-9d7e-0a1b2c3d4e5f"})",
     404, "task 6f1c1f0e-5b7a-4b8e-9d7e-0a1b2c3d4e5f not found"},
    {"no task_id", "POST", "/resolution", "NONE", "{}", 404, "task  not found"},
    {"start over without a resolution", "POST", "/resolution", "NONE",
     R"({"task_id": "{tid}", "start_over": true})", 400,
     "can't start over a task that hasn't been resolved at least once"},
    {"a second resolution", "POST", "/resolution", "TO_AUTORUN", R"({"task_id": "{tid}"})", 400,
     "task {tid} already has resolution …"},
    {"start over from a running state", "POST", "/resolution", "TO_AUTORUN",
     R"({"task_id": "{tid}", "start_over": true})", 400,
     "can't start over a task that isn't in status \"PAUSED\", \"BLOCKED_BADREQUEST\" or \"CANCELLED\""},
    {"hot-fix when not paused", "PUT", "/resolution/{rid}", "TO_AUTORUN",
     R"({"resolver_inputs": {"reason": "x"}})", 400,
     "Cannot update a resolution which is not in state 'PAUSED'"},
    {"a list for steps", "PUT", "/resolution/{rid}", "PAUSED", R"({"steps": []})", 400,
     "binding error: error parsing request body: field 'steps': expected an object, got an array"},
    {"a step with an unknown action", "PUT", "/resolution/{rid}", "PAUSED",
     R"({"steps": {"only": {"description": "x", "action": {"type": "nope"}}}})", 400,
     "invalid step only: …"},
    {"a step in a state that does not exist", "PUT", "/resolution/{rid}", "PAUSED",
     R"({"steps": {"only": "STEP:BOGUS"}})", 400,
     "step \"only\": invalid state provided: \"BOGUS\" is not allowed"},
    {"one step in a state that does not exist", "PUT", "/resolution/{rid}/step/only", "PAUSED",
     "STEP:BOGUS", 400, "invalid state provided: \"BOGUS\" is not allowed"},
    {"a number for a step", "PUT", "/resolution/{rid}/step/only", "PAUSED", "3", 400,
     "binding error: error parsing request body: expected an object, got a number"},
    {"hot-fix of a step when not paused", "PUT", "/resolution/{rid}/step/only", "TO_AUTORUN",
     "STEP:DONE", 400, "Cannot update a resolution which is not in state 'PAUSED'"},
    {"step state that does not exist", "PUT", "/resolution/{rid}/step/only/state", "PAUSED",
     R"({"state": "BOGUS"})", 400, "invalid state provided: \"BOGUS\" is not allowed"},
    {"step state absent", "PUT", "/resolution/{rid}/step/only/state", "PAUSED", "{}", 400,
     "binding error: Key: 'updateResolutionStepStateIn.State' Error:Field validation for 'State' "
     "failed on the 'required' tag"},
    {"step state empty", "PUT", "/resolution/{rid}/step/only/state", "PAUSED", R"({"state": ""})", 400,
     "binding error: Key: 'updateResolutionStepStateIn.State' Error:Field validation for 'State' "
     "failed on the 'required' tag"},
    {"step state a list", "PUT", "/resolution/{rid}/step/only/state", "PAUSED", R"({"state": ["DONE"]})",
     400, "binding error: error parsing request body: field 'state': expected a string, got an array"},
    {"step state when not paused", "PUT", "/resolution/{rid}/step/only/state", "TO_AUTORUN",
     R"({"state": "DONE"})", 400, "Cannot update a resolution which is not in state 'PAUSED'"},
    {"force not a boolean", "POST", "/resolution/{rid}/pause?force=maybe", "TO_AUTORUN", "", 400,
     "expected 'force' to be of type bool"},
    {"force twice", "POST", "/resolution/{rid}/pause?force=true&force=false", "TO_AUTORUN", "", 400,
     "binding error on query parameter 'force': multiple values not supported"},
    {"pause a running resolution", "POST", "/resolution/{rid}/pause", "RUNNING", "", 400,
     "Can't pause resolution while in state RUNNING"},
    {"pause a cancelled resolution", "POST", "/resolution/{rid}/pause", "CANCELLED", "", 400,
     "Can't pause resolution while in state CANCELLED"},
    {"extend a resolution that has budget", "POST", "/resolution/{rid}/extend", "TO_AUTORUN", "", 400,
     "Cannot extend a resolution which is not in state 'BLOCKED_MAXRETRIES'"},
    {"cancel a finished resolution", "POST", "/resolution/{rid}/cancel", "DONE", "", 400,
     "Can't cancel resolution: state DONE"},
    {"malformed YAML", "PUT", "/resolution/{rid}", "PAUSED", "steps: [\n", 400,
     "binding error: error parsing request body: …"},
};

TEST_F(ResolutionRoutes, BadRequestsAreRefusedWithNothingStored) {
  static_assert(std::size(kBad) >= 20);
  for (const auto& bad : kBad) {
    SCOPED_TRACE(bad.what);
    const std::string setup = bad.setup;
    Subject s = make_subject(api(), setup != "NONE", setup == "TO_AUTORUN" || setup == "NONE" ? "" : setup);
    std::string body = bad.body;
    if (auto at = body.find("\"STEP:"); at != std::string::npos) {
      // Inside a body: "STEP:<state>" (quoted) becomes the admin's step in that state.
      const auto end = body.find('"', at + 1);
      Json step = step_as_admin(s);
      step["state"] = body.substr(at + 6, end - at - 6);
      body.replace(at, end - at + 1, step.dump());
    } else if (body.rfind("STEP:", 0) == 0) {
      Json step = step_as_admin(s);
      step["state"] = body.substr(5);
      body = step.dump();
    }
    body = fill(body, s);
    const std::string before = snapshot(api(), s);
    auto r = call(bad.method, fill(bad.path, s), body);
    EXPECT_EQ(r.status, bad.status) << r.body;
    const std::string message = error_of(r);
    std::string expected = fill(bad.message, s);
    if (expected.size() >= 3 && expected.compare(expected.size() - 3, 3, "…") == 0) {
      expected.resize(expected.size() - 3);
      EXPECT_EQ(message.rfind(expected, 0), 0u) << message;
      EXPECT_GT(message.size(), expected.size()) << message;
    } else {
      EXPECT_EQ(message, expected);
    }
    EXPECT_EQ(snapshot(api(), s), before);
    EXPECT_TRUE(api().runs().empty());
  }
}

}  // namespace
}  // namespace utask::testing

// api.md §3: the role predicates and the §3.2 table row by row, for one caller of each role
// (admin, requester, watcher, task resolver, current resolver, template owner, stranger),
// plus the §3.3 masking rules.

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "config/utask_config.h"
#include "service/authorization.h"

namespace utask::service {
namespace {

const std::vector<std::string> kAdmins = {"admin"};
const std::vector<std::string> kAdminGroups = {"admins"};

Caller who(const std::string& name, std::vector<std::string> groups = {}) {
  return make_caller(name, std::move(groups), kAdmins, kAdminGroups);
}

struct World {
  persistence::TaskRecord task;
  model::TaskTemplate tmpl;
  World() {
    task.id = "11111111-1111-4111-8111-111111111111";
    task.requester_username = "req";
    task.watcher_usernames = {"wat"};
    task.watcher_groups = {"watchers"};
    task.resolver_usernames = {"res"};
    task.resolver_groups = {"resolvers"};
    task.resolution_id = "22222222-2222-4222-8222-222222222222";
    task.resolver_username = "cur";
    tmpl.name = "t";
    tmpl.allowed_resolver_usernames = {"owner"};
    tmpl.allowed_resolver_groups = {"owners"};
  }
};

// Every persona, by the name the expectations use.
std::vector<std::pair<std::string, Caller>> personas() {
  return {{"admin", who("boss", {"admins"})},  // admin through a group
          {"admin-user", who("admin")},
          {"requester", who("req")},
          {"watcher", who("wat")},
          {"watcher-group", who("someone", {"watchers"})},
          {"resolver", who("res")},
          {"resolver-group", who("someone", {"resolvers"})},
          {"current-resolver", who("cur")},
          {"owner", who("owner")},
          {"owner-group", who("someone", {"owners"})},
          {"stranger", who("eve", {"nobody"})}};
}

using Rule = std::function<bool(const Caller&, const World&)>;

struct Row {
  const char* name;
  Rule rule;
  std::set<std::string> allowed;
};

class AuthorizationTable : public ::testing::TestWithParam<Row> {};

TEST_P(AuthorizationTable, AllowsExactlyTheListedRoles) {
  const Row& row = GetParam();
  World w;
  for (const auto& [persona, caller] : personas()) {
    EXPECT_EQ(row.rule(caller, w), row.allowed.count(persona) == 1) << row.name << " for " << persona;
  }
}

const std::set<std::string> kViewers = {"admin",    "admin-user",       "requester", "watcher",
                                        "watcher-group", "resolver", "resolver-group",
                                        "current-resolver", "owner", "owner-group"};
const std::set<std::string> kManagers = {"admin",          "admin-user",       "resolver",
                                         "resolver-group", "current-resolver", "owner",
                                         "owner-group"};
const std::set<std::string> kManagersMinus = {"admin", "admin-user", "resolver", "resolver-group",
                                              "owner", "owner-group"};
const std::set<std::string> kAdminsOnly = {"admin", "admin-user"};
const std::set<std::string> kAdminsAndOwners = {"admin", "admin-user", "owner", "owner-group"};

INSTANTIATE_TEST_SUITE_P(
    Rows, AuthorizationTable,
    ::testing::Values(
        Row{"view_task", [](const Caller& c, const World& w) { return may_view_task(c, w.task, w.tmpl); }, kViewers},
        Row{"comments", [](const Caller& c, const World& w) { return may_use_comments(c, w.task, w.tmpl); }, kViewers},
        Row{"view_resolution", [](const Caller& c, const World& w) { return may_view_resolution(c, w.task, w.tmpl); }, kViewers},
        Row{"view_resolution_outputs",
            [](const Caller& c, const World& w) { return may_view_resolution_outputs(c, w.task, w.tmpl); }, kManagers},
        Row{"update_task_with_resolution",
            [](const Caller& c, const World& w) { return may_update_task(c, w.task, w.tmpl); }, kAdminsAndOwners},
        Row{"update_task_without_resolution",
            [](const Caller& c, const World& w) {
              World x = w;
              x.task.resolution_id.reset();
              x.task.resolver_username.clear();
              return may_update_task(c, x.task, x.tmpl);
            },
            {"admin", "admin-user", "owner", "owner-group", "requester"}},
        Row{"wontfix", [](const Caller& c, const World& w) { return may_wontfix(c, w.task, w.tmpl); },
            {"admin", "admin-user", "requester", "resolver", "resolver-group", "owner", "owner-group"}},
        Row{"create_resolution", [](const Caller& c, const World& w) { return may_create_resolution(c, w.task, w.tmpl); },
            kManagersMinus},
        Row{"start_over_not_allowed_by_template",
            [](const Caller& c, const World& w) { return may_start_over(c, w.task, w.tmpl); }, kAdminsOnly},
        Row{"start_over_allowed_by_template",
            [](const Caller& c, const World& w) {
              World x = w;
              x.tmpl.allow_task_start_over = true;
              return may_start_over(c, x.task, x.tmpl);
            },
            kManagersMinus},
        Row{"run_pause_extend_cancel",
            [](const Caller& c, const World& w) { return may_operate_resolution(c, w.task, w.tmpl); }, kManagers},
        Row{"step_state", [](const Caller& c, const World& w) { return may_set_step_state(c, w.tmpl); }, kAdminsAndOwners},
        Row{"force_pause", [](const Caller& c, const World&) { return may_force_pause(c); }, kAdminsOnly},
        Row{"admin_routes", [](const Caller& c, const World&) { return may_use_admin_route(c); }, kAdminsOnly},
        Row{"set_task_resolvers", [](const Caller& c, const World& w) { return may_set_task_resolvers(c, w.tmpl); },
            kAdminsAndOwners},
        Row{"auto_run", [](const Caller& c, const World& w) { return may_auto_run(c, w.task, w.tmpl); },
            kManagersMinus},
        Row{"auto_run_allow_all",
            [](const Caller& c, const World& w) {
              World x = w;
              x.tmpl.allow_all_resolver_usernames = true;
              return may_auto_run(c, x.task, x.tmpl);
            },
            {"admin", "admin-user", "resolver", "resolver-group", "owner", "owner-group", "requester"}},
        Row{"edit_comment_of_wat",
            [](const Caller& c, const World&) {
              persistence::Comment comment;
              comment.username = "wat";
              return may_edit_comment(c, comment);
            },
            {"admin", "admin-user", "watcher"}}),
    [](const ::testing::TestParamInfo<Row>& row) { return std::string(row.param.name); });

TEST(Authorization, AdminFromConfiguration) {
  config::UtaskConfig cfg;
  cfg.admin_usernames = {"root"};
  cfg.admin_groups = {"ops"};
  EXPECT_TRUE(make_caller("root", {}, cfg).admin);
  EXPECT_TRUE(make_caller("x", {"dev", "ops"}, cfg).admin);
  EXPECT_FALSE(make_caller("x", {"dev"}, cfg).admin);
  EXPECT_FALSE(make_caller("Root", {}, cfg).admin);  // case-sensitive
}

TEST(Authorization, EmptyIdentityHasNoRole) {
  World w;
  w.task.requester_username = "";
  w.task.watcher_usernames = {""};
  w.task.resolver_usernames = {""};
  w.tmpl.allowed_resolver_usernames = {""};
  const Caller nobody = who("");
  EXPECT_FALSE(nobody.admin);
  EXPECT_FALSE(is_requester(nobody, w.task));
  EXPECT_FALSE(is_watcher(nobody, w.task));
  EXPECT_FALSE(is_template_owner(nobody, w.tmpl));
  EXPECT_FALSE(may_view_task(nobody, w.task, w.tmpl));
}

TEST(Authorization, CurrentResolverCountsOnlyWithAResolution) {
  World w;
  w.task.resolution_id.reset();
  EXPECT_FALSE(is_resolution_manager(who("cur"), w.task, w.tmpl, true));
  w.task.resolution_id = "22222222-2222-4222-8222-222222222222";
  EXPECT_TRUE(is_resolution_manager(who("cur"), w.task, w.tmpl, true));
  EXPECT_FALSE(is_resolution_manager(who("cur"), w.task, w.tmpl, false));
}

model::TaskTemplate with_password() {
  model::TaskTemplate t;
  model::Input name;
  name.name = "name";
  model::Input pw;
  pw.name = "pw";
  pw.type = model::InputType::password;
  model::Input pw2;
  pw2.name = "pw2";
  pw2.type = model::InputType::password;
  t.inputs = {name, pw, pw2};
  return t;
}

TEST(Masking, PasswordsMaskedForNonAdminsOnly) {
  const Json input = {{"name", "bob"}, {"pw", "hunter2"}, {"pw2", nullptr}};
  const Json masked = mask_task_input(input, with_password(), who("req"));
  EXPECT_EQ(masked["name"], "bob");
  EXPECT_EQ(masked["pw"], kSecretMask);
  EXPECT_TRUE(masked["pw2"].is_null());  // null is not masked
  EXPECT_EQ(mask_task_input(input, with_password(), who("admin")), input);
}

TEST(Masking, UnmaskRestoresStoredValuesOfAnyKey) {
  const Json stored = {{"name", "bob"}, {"pw", "hunter2"}};
  const Json given = {{"name", kSecretMask}, {"pw", kSecretMask}, {"new", kSecretMask}, {"x", "y"}};
  const Json out = unmask_task_input(given, stored);
  EXPECT_EQ(out["name"], "bob");
  EXPECT_EQ(out["pw"], "hunter2");
  EXPECT_EQ(out["new"], kSecretMask);  // nothing stored under that key
  EXPECT_EQ(out["x"], "y");
}

TEST(Masking, StripRemovesOutputsAndResolverInputs) {
  Json r = {{"id", "r"},
            {"resolver_inputs", {{"a", 1}}},
            {"steps",
             {{"s", {{"state", "DONE"}, {"output", 1}, {"metadata", 2}, {"children", {}}, {"item", 3}, {"error", "e"}}}}}};
  strip_resolution_json(r);
  EXPECT_FALSE(r.contains("resolver_inputs"));
  const Json& s = r["steps"]["s"];
  for (const char* k : {"output", "metadata", "children", "item"}) EXPECT_FALSE(s.contains(k)) << k;
  EXPECT_EQ(s["state"], "DONE");
  EXPECT_EQ(s["error"], "e");
}

}  // namespace
}  // namespace utask::service

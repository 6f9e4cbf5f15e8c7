// Task listing (GET /task): the scopes of api.md §5.3.2, every filter of TaskFilter, keyset
// pages on (last_activity DESC, id DESC) without skips or repeats, and — with ~2,000 tasks and
// fresh statistics — a plan without a full scan of `task` for every listing, on both backends.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "persistence/store/explain.h"
#include "persistence/store_builders.h"
#include "persistence/store_fixture.h"

namespace utask::testing {
namespace {

using namespace std::chrono_literals;
using persistence::Batch;
using persistence::NewTask;
using persistence::Page;
using persistence::TaskCreation;
using persistence::TaskFilter;
using persistence::TaskRecord;
using persistence::TaskScope;
using persistence::Viewer;

constexpr const char* kUnknownId = "00000000-0000-4000-8000-000000000000";

class ListingStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store()
                    .sync_templates({make_template("owned", {"tom"}, {"tg"}),
                                     make_template("plain")})
                    .ok());
  }

  // Creates the task and moves the clock, so creation order is last_activity order.
  std::string add(NewTask n) {
    TaskCreation c;
    c.tasks.push_back(std::move(n));
    auto r = store().create_tasks(c);
    EXPECT_TRUE(r.ok()) << r.error().message;
    clock().advance(1s);
    return r.ok() ? r->front().id : "";
  }

  // Every page of `f` (page size `limit`), in order; fails on an error.
  std::vector<std::string> list(TaskFilter f, size_t limit = 1000) {
    std::vector<std::string> ids;
    f.page = {limit, ""};
    for (int guard = 0; guard < 1000; ++guard) {
      auto page = store().list_tasks(f);
      EXPECT_TRUE(page.ok()) << page.error().message;
      if (!page.ok()) break;
      for (const auto& t : page->items) {
        EXPECT_FALSE(t.input_json.has_value());
        EXPECT_FALSE(t.result_json.has_value());
        ids.push_back(t.id);
      }
      if (page->next.empty()) break;
      f.page.after = page->next;
    }
    return ids;
  }

  static TaskFilter as(std::string user, TaskScope scope, std::vector<std::string> groups = {},
                       bool admin = false) {
    TaskFilter f;
    f.viewer = Viewer{std::move(user), std::move(groups), admin};
    f.scope = scope;
    return f;
  }
  static TaskFilter admin_all() { return as("root", TaskScope::all, {}, true); }
};

// Newest first, as the listing orders them.
std::vector<std::string> newest_first(std::vector<std::string> ids) {
  std::reverse(ids.begin(), ids.end());
  return ids;
}

TEST_P(ListingStoreTest, ScopesFollowTheApi) {
  const std::string by_ann = add(make_task("plain", "ann"));
  NewTask watched = make_task("plain", "zed");
  watched.task.watcher_usernames = {"ann"};
  const std::string watched_by_ann = add(watched);
  NewTask group_watched = make_task("plain", "zed");
  group_watched.task.watcher_groups = {"ann-team"};
  const std::string watched_by_group = add(group_watched);
  NewTask resolver = make_task("plain", "zed");
  resolver.task.resolver_usernames = {"ann"};
  const std::string resolved_by_ann = add(resolver);
  NewTask resolver_group = make_task("plain", "zed");
  resolver_group.task.resolver_groups = {"ann-team"};
  const std::string resolved_by_group = add(resolver_group);
  const std::string template_owned = add(make_task("owned", "zed"));  // tom, tg
  const std::string unrelated = add(make_task("plain", "zed"));

  EXPECT_EQ(list(as("ann", TaskScope::own, {"ann-team"})),
            newest_first({by_ann, watched_by_ann}));
  EXPECT_EQ(list(as("ann", TaskScope::resolvable)), newest_first({resolved_by_ann}));
  EXPECT_EQ(list(as("ann", TaskScope::resolvable, {"ann-team"})),
            newest_first({resolved_by_ann, resolved_by_group}));
  EXPECT_EQ(list(as("tom", TaskScope::resolvable)), newest_first({template_owned}));
  EXPECT_EQ(list(as("someone", TaskScope::resolvable, {"tg"})), newest_first({template_owned}));
  EXPECT_EQ(list(as("ann", TaskScope::all, {"ann-team"})),
            newest_first({by_ann, watched_by_ann, watched_by_group, resolved_by_ann,
                          resolved_by_group}));
  EXPECT_EQ(list(as("ann", TaskScope::all)),
            newest_first({by_ann, watched_by_ann, resolved_by_ann}));
  EXPECT_EQ(list(as("zed", TaskScope::own)).size(), 6u);
  // An admin sees everything only with `all`; otherwise an admin is a user like the others.
  EXPECT_EQ(list(as("ann", TaskScope::own, {}, true)), newest_first({by_ann, watched_by_ann}));
  const auto everything = list(admin_all());
  EXPECT_EQ(std::count(everything.begin(), everything.end(), unrelated), 1);
  EXPECT_EQ(everything.size(), 7u);
}

TEST_P(ListingStoreTest, AnEmptyIdentitySeesNothing) {
  add(make_task("plain", ""));
  add(make_task("plain", "ann"));
  for (auto scope : {TaskScope::own, TaskScope::resolvable, TaskScope::all}) {
    EXPECT_TRUE(list(as("", scope)).empty());
  }
  EXPECT_EQ(list(as("", TaskScope::all, {}, true)).size(), 2u);  // an admin's `all`
}

TEST_P(ListingStoreTest, EachFilterSelectsItsTasks) {
  NewTask a = make_task("owned", "ann", "DONE");
  a.task.tags = {{"env", "prod"}, {"team", "blue"}};
  a.task.resolver_usernames = {"rob"};
  const std::string ta = add(a);
  NewTask b = make_task("plain", "bob", "TODO");
  b.task.tags = {{"env", "prod"}, {"team", "red"}};
  b.task.watcher_usernames = {"wes"};
  const std::string tb = add(b);
  TaskCreation batch;
  batch.batch = Batch{};
  batch.tasks = {make_task("plain", "cid"), make_task("plain", "cid")};
  auto in_batch = store().create_tasks(batch);
  ASSERT_TRUE(in_batch.ok());
  clock().advance(1s);
  const std::string tc = add(make_task("plain", "cid", "RUNNING"));

  auto with = [&](auto set) {
    TaskFilter f = admin_all();
    set(f);
    return list(f);
  };
  EXPECT_EQ(with([](TaskFilter& f) { f.state = "DONE"; }), std::vector<std::string>{ta});
  EXPECT_EQ(with([](TaskFilter& f) { f.template_name = "owned"; }), std::vector<std::string>{ta});
  EXPECT_TRUE(with([](TaskFilter& f) { f.template_name = "nope"; }).empty());
  EXPECT_EQ(with([&](TaskFilter& f) { f.batch_id = *in_batch->front().batch_id; }).size(), 2u);
  EXPECT_EQ(with([](TaskFilter& f) { f.tags = {{"env", "prod"}}; }),
            (std::vector<std::string>{tb, ta}));
  EXPECT_EQ(with([](TaskFilter& f) { f.tags = {{"env", "prod"}, {"team", "red"}}; }),
            std::vector<std::string>{tb});
  EXPECT_TRUE(with([](TaskFilter& f) { f.tags = {{"env", "prod"}, {"team", "green"}}; }).empty());
  EXPECT_EQ(with([](TaskFilter& f) { f.requester = "bob"; }), std::vector<std::string>{tb});
  EXPECT_EQ(with([](TaskFilter& f) { f.resolver = "rob"; }), std::vector<std::string>{ta});
  EXPECT_EQ(with([](TaskFilter& f) { f.watcher = "wes"; }), std::vector<std::string>{tb});
  EXPECT_EQ(with([](TaskFilter& f) { f.requester = "cid"; f.state = "RUNNING"; }),
            std::vector<std::string>{tc});

  // after / before: strictly, on last_activity (ta at T0, tb at T0+1s, tc at T0+3s).
  const auto ta_time = store().get_task(ta)->last_activity;
  const auto tb_time = store().get_task(tb)->last_activity;
  EXPECT_EQ(with([&](TaskFilter& f) { f.before = tb_time; }), std::vector<std::string>{ta});
  EXPECT_EQ(with([&](TaskFilter& f) { f.after = ta_time; f.before = tb_time + 1s; }),
            std::vector<std::string>{tb});
  EXPECT_EQ(with([&](TaskFilter& f) { f.after = tb_time; }).size(), 3u);

  // Filters narrow a scope, never widen it.
  TaskFilter own = as("bob", TaskScope::own);
  own.tags = {{"env", "prod"}};
  EXPECT_EQ(list(own), std::vector<std::string>{tb});
  own.state = "DONE";
  EXPECT_TRUE(list(own).empty());
}

TEST_P(ListingStoreTest, UnknownBatchOrPageKeyIsNotFound) {
  add(make_task("plain", "ann"));
  for (const char* bad : {kUnknownId, "junk"}) {
    TaskFilter f = admin_all();
    f.batch_id = bad;
    auto r = store().list_tasks(f);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::not_found);
    f = admin_all();
    f.page.after = bad;
    r = store().list_tasks(f);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::not_found);
  }
}

TEST_P(ListingStoreTest, PagesNeitherSkipNorRepeatAcrossEqualLastActivity) {
  // 23 tasks sharing one last_activity between two others: pages of 5 cut inside the run.
  std::vector<std::string> created;
  created.push_back(add(make_task("plain", "ann")));
  TaskCreation same;
  for (int i = 0; i < 23; ++i) same.tasks.push_back(make_task("plain", "ann"));
  auto run = store().create_tasks(same);
  ASSERT_TRUE(run.ok());
  for (const auto& t : *run) created.push_back(t.id);
  clock().advance(1s);
  created.push_back(add(make_task("plain", "ann")));

  for (size_t limit : {1u, 5u, 10u, 25u, 100u}) {
    for (TaskFilter f : {admin_all(), as("ann", TaskScope::own)}) {
      EXPECT_EQ(list(f, limit), newest_first(created)) << "page size " << limit;
    }
  }
  // A full last page names a next key; the page after it is empty and has none.
  TaskFilter f = admin_all();
  f.page = {25, ""};
  auto full = store().list_tasks(f);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->items.size(), 25u);
  EXPECT_EQ(full->next, full->items.back().id);
  f.page.after = full->next;
  auto empty = store().list_tasks(f);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->items.empty());
  EXPECT_TRUE(empty->next.empty());
}

TEST_P(ListingStoreTest, ListedTasksCarryTheirJoinedNames) {
  NewTask n = make_task("owned", "ann");
  n.resolution = make_resolution("TO_AUTORUN", "rob");
  const std::string id = add(n);
  auto page = store().list_tasks(as("ann", TaskScope::own));
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  const TaskRecord& t = page->items.front();
  EXPECT_EQ(t.id, id);
  EXPECT_EQ(t.template_name, "owned");
  EXPECT_TRUE(t.resolution_id.has_value());
  EXPECT_EQ(t.resolver_username, "rob");
  EXPECT_EQ(t.title, n.task.title);
}

// Lines of a plan that read all of `task` (SQLite: a SCAN of the table or of an index used
// for its order only; Postgres: a sequential scan).
std::vector<std::string> full_scans(const std::vector<std::string>& plan, Backend backend,
                                    bool order_walk_allowed) {
  std::vector<std::string> bad;
  for (const auto& line : plan) {
    if (backend == Backend::postgres) {
      // "Seq Scan on task t", not "Seq Scan on task_tag".
      const size_t at = line.find("Seq Scan on task");
      if (at != std::string::npos && (at + 16 == line.size() || line[at + 16] == ' ')) {
        bad.push_back(line);
      }
      continue;
    }
    const bool scans_task = line.rfind("SCAN t ", 0) == 0 || line == "SCAN t" ||
                            line.rfind("SCAN task ", 0) == 0 || line == "SCAN task";
    if (!scans_task) continue;
    if (order_walk_allowed && line.find("INDEX task_order") != std::string::npos) continue;
    bad.push_back(line);
  }
  return bad;
}

// Each id filter is read either as the set of its ids (driving the query) or as a check per
// task while the listing order is walked, chosen by its size against listing_driver_limit:
// a store that always walks, one that always drives and one in between list the same pages.
TEST_P(ListingStoreTest, DrivingAndWalkingPlansListTheSameTasks) {
  ASSERT_TRUE(store()
                  .sync_templates({make_template("owned", {"tom"}, {"tg"}), make_template("plain"),
                                   make_template("grouped", {}, {"g1"})})
                  .ok());
  const char* templates[] = {"owned", "plain", "grouped"};
  for (int n = 0; n < 240; ++n) {
    NewTask t = make_task(templates[n % 3], "user" + std::to_string(n % 7), n % 4 ? "DONE" : "TODO");
    t.task.watcher_usernames = {"watcher" + std::to_string(n % 5)};
    t.task.watcher_groups = {"wg" + std::to_string(n % 3)};
    t.task.resolver_usernames = {"resolver" + std::to_string(n % 6)};
    t.task.resolver_groups = {"rg" + std::to_string(n % 4)};
    t.task.tags = {{"customer", "c" + std::to_string(n % 11)}, {"env", "e" + std::to_string(n % 2)}};
    add(std::move(t));
  }
  auto walking_options = options(nullptr);
  walking_options.listing_driver_limit = 1;  // every set reaches it: always walk
  auto walking = persistence::open_store(walking_options);
  ASSERT_TRUE(walking.ok()) << walking.error().message;
  auto mixed_options = options(nullptr);
  mixed_options.listing_driver_limit = 40;  // rare values drive, frequent ones are walked
  auto mixed = persistence::open_store(mixed_options);
  ASSERT_TRUE(mixed.ok()) << mixed.error().message;

  auto all_pages = [](persistence::Store& s, TaskFilter f) {
    std::vector<std::string> ids;
    f.page = {7, ""};
    for (int guard = 0; guard < 100; ++guard) {
      auto page = s.list_tasks(f);
      EXPECT_TRUE(page.ok()) << page.error().message;
      if (!page.ok()) break;
      for (const auto& t : page->items) ids.push_back(t.id);
      if (page->next.empty()) break;
      f.page.after = page->next;
    }
    return ids;
  };
  auto admin_with = [&](auto set) {
    TaskFilter f = admin_all();
    set(f);
    return f;
  };
  const std::pair<const char*, TaskFilter> cases[] = {
      {"frequent tag", admin_with([](TaskFilter& f) { f.tags = {{"env", "e1"}}; })},
      {"rare tag", admin_with([](TaskFilter& f) { f.tags = {{"customer", "c3"}}; })},
      {"two tags", admin_with([](TaskFilter& f) { f.tags = {{"customer", "c3"}, {"env", "e1"}}; })},
      {"resolver + watcher", admin_with([](TaskFilter& f) {
         f.resolver = "resolver1";
         f.watcher = "watcher2";
       })},
      {"own", as("user3", TaskScope::own)},
      {"resolvable", as("tom", TaskScope::resolvable, {"g1", "rg2"})},
      {"all (user)", as("user2", TaskScope::all, {"wg1", "rg3"})},
      {"own + state + tag", [&] {
         TaskFilter f = as("user5", TaskScope::own);
         f.state = "DONE";
         f.tags = {{"env", "e0"}};
         return f;
       }()},
  };
  for (const auto& [name, filter] : cases) {
    const auto driving = all_pages(store(), filter);
    EXPECT_FALSE(driving.empty()) << name;
    EXPECT_EQ(all_pages(**walking, filter), driving) << name << ": walking";
    EXPECT_EQ(all_pages(**mixed, filter), driving) << name << ": mixed";
  }
}

TEST_P(ListingStoreTest, EveryListingIsServedByAnIndex) {
  // ~2,000 tasks: 100 requesters, 200 templates each resolvable by one user and one group,
  // five states, tags, watchers and resolvers, 40 batches. Each viewer sees a small part of
  // the tasks, as in a real fleet (otherwise a sequential scan is the right plan).
  std::vector<persistence::TemplateRecord> templates;
  for (int i = 0; i < 200; ++i) {
    templates.push_back(make_template("tpl" + std::to_string(i), {"owner" + std::to_string(i)},
                                      {"group" + std::to_string(i)}));
  }
  ASSERT_TRUE(store().sync_templates(templates).ok());
  const char* states[] = {"TODO", "RUNNING", "DONE", "BLOCKED", "WONTFIX"};
  std::string some_batch;
  for (int b = 0; b < 40; ++b) {
    TaskCreation c;
    if (b % 2 == 0) c.batch = Batch{};
    for (int i = 0; i < 50; ++i) {
      const int n = b * 50 + i;
      NewTask t = make_task("tpl" + std::to_string(n % 200), "user" + std::to_string(n % 100),
                            states[n % 5]);
      t.task.watcher_usernames = {"watcher" + std::to_string(n % 97)};
      t.task.watcher_groups = {"wgroup" + std::to_string(n % 89)};
      t.task.resolver_usernames = {"resolver" + std::to_string(n % 83)};
      t.task.resolver_groups = {"rgroup" + std::to_string(n % 79)};
      t.task.tags = {{"shard", std::to_string(n % 50)}, {"parity", std::to_string(n % 2)}};
      c.tasks.push_back(std::move(t));
    }
    auto r = store().create_tasks(c);
    ASSERT_TRUE(r.ok()) << r.error().message;
    if (c.batch) some_batch = *r->front().batch_id;
    clock().advance(1s);
  }
  auto page = store().list_tasks(admin_all());
  ASSERT_TRUE(page.ok());
  const std::string page_key = page->items.at(100).id;

  struct Case {
    const char* name;
    TaskFilter filter;
    bool order_walk_allowed;
  };
  auto admin_with = [&](auto set) {
    TaskFilter f = admin_all();
    set(f);
    return f;
  };
  std::vector<Case> cases = {
      {"admin all", admin_all(), true},
      {"admin all, page 2", admin_with([&](TaskFilter& f) { f.page.after = page_key; }), true},
      {"after/before", admin_with([&](TaskFilter& f) {
         f.after = clock().now() - 20s;
         f.before = clock().now() - 10s;
       }), true},
      {"state", admin_with([](TaskFilter& f) { f.state = "DONE"; }), false},
      {"template", admin_with([](TaskFilter& f) { f.template_name = "tpl3"; }), false},
      {"batch", admin_with([&](TaskFilter& f) { f.batch_id = some_batch; }), false},
      {"tag", admin_with([](TaskFilter& f) { f.tags = {{"shard", "7"}}; }), false},
      {"two tags", admin_with([](TaskFilter& f) { f.tags = {{"shard", "7"}, {"parity", "1"}}; }),
       false},
      {"requester", admin_with([](TaskFilter& f) { f.requester = "user5"; }), false},
      {"resolver", admin_with([](TaskFilter& f) { f.resolver = "resolver5"; }), false},
      {"watcher", admin_with([](TaskFilter& f) { f.watcher = "watcher5"; }), false},
      {"own", as("user5", TaskScope::own), false},
      {"own, page 2", [&] {
         TaskFilter f = as("user5", TaskScope::own);
         f.page.after = page_key;
         return f;
       }(), false},
      {"resolvable", as("owner3", TaskScope::resolvable, {"group4", "rgroup5"}), false},
      {"all (user)", as("user5", TaskScope::all, {"wgroup6", "group7", "rgroup8"}), false},
      {"own + state + tag", [] {
         TaskFilter f = as("user5", TaskScope::own);
         f.state = "TODO";
         f.tags = {{"shard", "5"}};
         return f;
       }(), false},
  };
  for (auto& c : cases) {
    c.filter.page.limit = 20;
    auto listed = store().list_tasks(c.filter);
    ASSERT_TRUE(listed.ok()) << c.name << ": " << listed.error().message;
    auto plan = persistence::explain_list_tasks(store(), c.filter);
    ASSERT_TRUE(plan.ok()) << c.name << ": " << plan.error().message;
    ASSERT_FALSE(plan->empty()) << c.name;
    std::string text;
    for (const auto& line : *plan) text += "\n  " + line;
    EXPECT_TRUE(full_scans(*plan, backend(), c.order_walk_allowed).empty())
        << c.name << " scans all of task:" << text;
  }
  // The check itself catches a full scan: a listing filtered on nothing indexed would be one.
  EXPECT_FALSE(full_scans({backend() == Backend::postgres ? "Seq Scan on task t  (cost=...)"
                                                          : "SCAN t"},
                          backend(), false)
                   .empty());
}

UTASK_STORE_TEST_SUITE(ListingStoreTest);

}  // namespace
}  // namespace utask::testing

// Templates and functions in the store: sync (insert, rewrite only what changed, delete or
// archive), reads, keyset pages by name — on both backends.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <thread>

#include "persistence/store_builders.h"
#include "persistence/store_fixture.h"

namespace utask::testing {
namespace {

using persistence::FunctionRecord;
using persistence::PageRequest;
using persistence::SyncReport;
using persistence::TaskCreation;
using persistence::TemplateRecord;

class TemplateStoreTest : public StoreTest {
 protected:
  std::vector<std::string> names(const std::vector<TemplateRecord>& ts) {
    std::vector<std::string> out;
    for (const auto& t : ts) out.push_back(t.name);
    return out;
  }
  void create_task_on(const std::string& template_name) {
    TaskCreation c;
    c.tasks.push_back(make_task(template_name, "alice"));
    auto r = store().create_tasks(c);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
};

void expect_report(const SyncReport& r, int inserted, int updated, int unchanged, int deleted,
                   int archived) {
  EXPECT_EQ(r.inserted, inserted);
  EXPECT_EQ(r.updated, updated);
  EXPECT_EQ(r.unchanged, unchanged);
  EXPECT_EQ(r.deleted, deleted);
  EXPECT_EQ(r.archived, archived);
}

TEST_P(TemplateStoreTest, SyncInsertsThenFindsNothingChanged) {
  auto hello = make_template("hello", {"bob", "alice"}, {"ops"});
  hello.hidden = true;
  auto first = store().sync_templates({hello, make_template("world")});
  ASSERT_TRUE(first.ok()) << first.error().message;
  expect_report(*first, 2, 0, 0, 0, 0);

  auto got = store().get_template("hello");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->description, hello.description);
  EXPECT_EQ(got->definition_json, hello.definition_json);
  EXPECT_TRUE(got->hidden);
  EXPECT_FALSE(got->blocked);
  EXPECT_FALSE(got->archived);
  EXPECT_EQ(got->allowed_resolver_usernames, (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(got->allowed_resolver_groups, (std::vector<std::string>{"ops"}));

  auto second = store().sync_templates({hello, make_template("world")});
  ASSERT_TRUE(second.ok());
  expect_report(*second, 0, 0, 2, 0, 0);
}

TEST_P(TemplateStoreTest, SyncRewritesChangedDefinitionsAndResolvers) {
  ASSERT_TRUE(store().sync_templates({make_template("a"), make_template("b")}).ok());
  auto a = make_template("a");
  a.definition_json = R"({"name":"a","steps":{"x":{}}})";
  auto b = make_template("b", {"carol"});
  auto r = store().sync_templates({a, b});
  ASSERT_TRUE(r.ok());
  expect_report(*r, 0, 2, 0, 0, 0);
  EXPECT_EQ(store().get_template("a")->definition_json, a.definition_json);
  EXPECT_EQ(store().get_template("b")->allowed_resolver_usernames,
            std::vector<std::string>{"carol"});
}

TEST_P(TemplateStoreTest, SyncDeletesUnusedAndArchivesReferencedTemplates) {
  ASSERT_TRUE(
      store().sync_templates({make_template("kept"), make_template("used"), make_template("gone")})
          .ok());
  create_task_on("used");
  auto r = store().sync_templates({make_template("kept")});
  ASSERT_TRUE(r.ok()) << r.error().message;
  expect_report(*r, 0, 0, 1, 1, 1);

  EXPECT_EQ(store().get_template("gone").error().code, ErrorCode::not_found);
  auto used = store().get_template("used");
  ASSERT_TRUE(used.ok());
  EXPECT_TRUE(used->archived);
  EXPECT_TRUE(used->hidden);
  EXPECT_TRUE(used->blocked);
  EXPECT_EQ(names(store().list_templates({}, false)->items), std::vector<std::string>{"kept"});
  EXPECT_EQ(names(store().list_templates({}, true)->items),
            (std::vector<std::string>{"kept", "used"}));

  // Still absent: already archived, nothing to do. Back in the directory: restored.
  expect_report(*store().sync_templates({make_template("kept")}), 0, 0, 2, 0, 0);
  expect_report(*store().sync_templates({make_template("kept"), make_template("used")}), 0, 1, 1,
                0, 0);
  EXPECT_FALSE(store().get_template("used")->archived);
  EXPECT_FALSE(store().get_template("used")->hidden);
}

TEST_P(TemplateStoreTest, SyncWithADuplicateNameWritesNothing) {
  auto r = store().sync_templates({make_template("a"), make_template("b"), make_template("a")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_EQ(store().get_template("a").error().code, ErrorCode::not_found);
  EXPECT_TRUE(store().list_templates({}, true)->items.empty());
}

TEST_P(TemplateStoreTest, ConcurrentSyncsOfTwoInstancesBothSucceed) {
  std::vector<TemplateRecord> all;
  for (int i = 0; i < 20; ++i) all.push_back(make_template("t" + std::to_string(i), {"u"}));
  persistence::Store& other = open_another();
  Result<SyncReport> a = SyncReport{}, b = SyncReport{};
  std::thread t1([&] { a = store().sync_templates(all); });
  std::thread t2([&] { b = other.sync_templates(all); });
  t1.join();
  t2.join();
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  // One of them inserted everything, the other found it all unchanged.
  EXPECT_EQ(a->inserted + b->inserted, 20);
  EXPECT_EQ(a->unchanged + b->unchanged, 20);
  EXPECT_EQ(store().list_templates({}, true)->items.size(), 20u);
}

TEST_P(TemplateStoreTest, GetUnknownTemplateIsNotFound) {
  ASSERT_TRUE(store().sync_templates({make_template("hello")}).ok());
  EXPECT_TRUE(store().get_template("hello").ok());
  auto r = store().get_template("HELLO");  // lookups are exact
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
}

TEST_P(TemplateStoreTest, ListTemplatesPagesByNameWithoutSkipsOrRepeats) {
  std::vector<TemplateRecord> all;
  for (int i = 24; i >= 0; --i) {
    char name[8];
    std::snprintf(name, sizeof name, "t%02d", i);
    all.push_back(make_template(name));
  }
  all[3].hidden = true;  // t21
  ASSERT_TRUE(store().sync_templates(all).ok());

  std::vector<std::string> seen;
  PageRequest page{10, ""};
  std::vector<size_t> sizes;
  for (int guard = 0; guard < 10; ++guard) {
    auto p = store().list_templates(page, true);
    ASSERT_TRUE(p.ok()) << p.error().message;
    sizes.push_back(p->items.size());
    for (const auto& t : p->items) seen.push_back(t.name);
    if (p->next.empty()) break;
    EXPECT_EQ(p->next, p->items.back().name);
    page.after = p->next;
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{10, 10, 5}));
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 25u);

  // Without hidden ones; a full last page still names a next page, which is empty.
  auto visible = store().list_templates({24, ""}, false);
  ASSERT_TRUE(visible.ok());
  EXPECT_EQ(visible->items.size(), 24u);
  EXPECT_EQ(visible->next, "t24");
  auto after_last = store().list_templates({24, "t24"}, false);
  ASSERT_TRUE(after_last.ok());
  EXPECT_TRUE(after_last->items.empty());
  EXPECT_TRUE(after_last->next.empty());
}

TEST_P(TemplateStoreTest, ListTemplatesAfterAnUnknownNameIsNotFound) {
  ASSERT_TRUE(store().sync_templates({make_template("a")}).ok());
  EXPECT_TRUE(store().list_templates({10, "a"}, false).ok());
  auto r = store().list_templates({10, "nope"}, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
}

TEST_P(TemplateStoreTest, FunctionsSyncReadAndPage) {
  std::vector<FunctionRecord> fs;
  for (const char* n : {"zeta", "alpha", "mid", "beta"}) fs.push_back({n, R"({"name":")" + std::string(n) + "\"}"});
  auto r = store().sync_functions(fs);
  ASSERT_TRUE(r.ok()) << r.error().message;
  expect_report(*r, 4, 0, 0, 0, 0);

  auto p1 = store().list_functions({2, ""});
  ASSERT_TRUE(p1.ok());
  ASSERT_EQ(p1->items.size(), 2u);
  EXPECT_EQ(p1->items[0].name, "alpha");
  EXPECT_EQ(p1->items[1].name, "beta");
  EXPECT_EQ(p1->next, "beta");
  auto p2 = store().list_functions({2, p1->next});
  ASSERT_TRUE(p2.ok());
  ASSERT_EQ(p2->items.size(), 2u);
  EXPECT_EQ(p2->items[0].name, "mid");
  EXPECT_EQ(p2->items[1].name, "zeta");
  EXPECT_TRUE(store().list_functions({2, p2->next})->items.empty());

  fs[0].definition_json = R"({"name":"zeta","v":2})";
  fs.pop_back();  // beta
  auto again = store().sync_functions(fs);
  ASSERT_TRUE(again.ok());
  expect_report(*again, 0, 1, 2, 1, 0);
  EXPECT_EQ(store().get_function("zeta")->definition_json, fs[0].definition_json);
  auto gone = store().get_function("beta");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::not_found);
}

TEST_P(TemplateStoreTest, FunctionSyncWithADuplicateNameWritesNothing) {
  auto r = store().sync_functions({{"f", "{}"}, {"f", "{}"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_TRUE(store().list_functions({10, ""})->items.empty());
}

UTASK_STORE_TEST_SUITE(TemplateStoreTest);

}  // namespace
}  // namespace utask::testing

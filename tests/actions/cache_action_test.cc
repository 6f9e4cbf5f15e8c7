// `cache` (actions.md §16): set/get/delete with their output shapes, lazy expiry, the
// configuration rules at template load, and store failures as server errors.

#include "actions/cache/cache_action.h"

#include <gtest/gtest.h>

#include "actions/cache/memory_cache_store.h"
#include "actions/catalog.h"
#include "model/json.h"

namespace utask::actions {
namespace {

Json json(const char* text) { return parse_json(text).value(); }

class CacheActionTest : public ::testing::Test {
 protected:
  ActionResult run(const char* configuration) {
    ExecutionRequest r;
    r.configuration = json(configuration);
    return action_.execute(r);
  }
  std::shared_ptr<MemoryCacheStore> store_ = std::make_shared<MemoryCacheStore>();
  CacheTime now_ = CacheTime(std::chrono::seconds(1'700'000'000));
  CacheAction action_{store_, [this] { return now_; }};
};

TEST_F(CacheActionTest, SetThenGetThenDelete) {
  auto set = run(R"({"action":"set","key":"k","value":{"n":12345678,"list":[1.50,"a"]}})");
  ASSERT_FALSE(set.error);
  EXPECT_EQ(set.output, json(R"({"key":"k","cached":true})"));
  EXPECT_TRUE(set.metadata.is_null());
  auto get = run(R"({"action":"get","key":"k"})");
  ASSERT_FALSE(get.error);
  EXPECT_EQ(to_json_text(get.output), R"({"hit":true,"key":"k","value":{"list":[1.50,"a"],"n":12345678}})");
  auto del = run(R"({"action":"delete","key":"k"})");
  ASSERT_FALSE(del.error);
  EXPECT_EQ(del.output, json(R"({"key":"k","deleted":true})"));
  EXPECT_EQ(run(R"({"action":"get","key":"k"})").output, json(R"({"key":"k","hit":false,"value":null})"));
  // Deleting what is absent is no error.
  EXPECT_FALSE(run(R"({"action":"delete","key":"k"})").error);
}

TEST_F(CacheActionTest, SetWithoutValueStoresNullAndOverwrites) {
  ASSERT_FALSE(run(R"({"action":"set","key":"k","value":"first"})").error);
  ASSERT_FALSE(run(R"({"action":"set","key":"k"})").error);
  EXPECT_EQ(run(R"({"action":"get","key":"k"})").output, json(R"({"key":"k","hit":true,"value":null})"));
}

TEST_F(CacheActionTest, EntriesExpireAfterTheirTtl) {
  ASSERT_FALSE(run(R"({"action":"set","key":"short","value":1,"ttl":60})").error);
  ASSERT_FALSE(run(R"({"action":"set","key":"forever","value":2,"ttl":0})").error);
  ASSERT_FALSE(run(R"({"action":"set","key":"negative","value":3,"ttl":-5})").error);
  now_ += std::chrono::seconds(59);
  EXPECT_EQ(run(R"({"action":"get","key":"short"})").output["hit"], true);
  now_ += std::chrono::seconds(2);
  EXPECT_EQ(run(R"({"action":"get","key":"short"})").output, json(R"({"key":"short","hit":false,"value":null})"));
  EXPECT_FALSE(store_->get("short").value().has_value());  // lazily deleted
  now_ += std::chrono::hours(24 * 365);
  EXPECT_EQ(run(R"({"action":"get","key":"forever"})").output["value"], 2);
  EXPECT_EQ(run(R"({"action":"get","key":"negative"})").output["value"], 3);
}

TEST_F(CacheActionTest, StartupPurgeRemovesOnlyExpiredEntries) {
  ASSERT_FALSE(run(R"({"action":"set","key":"a","value":1,"ttl":10})").error);
  ASSERT_FALSE(run(R"({"action":"set","key":"b","value":1})").error);
  EXPECT_EQ(store_->purge_expired(now_ + std::chrono::seconds(11)).value(), 1u);
  EXPECT_FALSE(store_->get("a").value().has_value());
  EXPECT_TRUE(store_->get("b").value().has_value());
}

TEST_F(CacheActionTest, AStoredValueThatIsNotJsonIsAServerError) {
  ASSERT_TRUE(store_->put("bad", CacheEntry{"{not json", std::nullopt}).ok());
  auto get = run(R"({"action":"get","key":"bad"})");
  ASSERT_TRUE(get.error);
  EXPECT_EQ(get.error->kind, ErrorKind::server);
  EXPECT_EQ(get.error->message.rfind("failed to unmarshal cached value: ", 0), 0u);
}

class BrokenStore final : public CacheStore {
 public:
  Result<void> put(const std::string&, const CacheEntry&) override { return down(); }
  Result<std::optional<CacheEntry>> get(const std::string&) override { return down(); }
  Result<void> erase(const std::string&) override { return down(); }
  Result<size_t> purge_expired(CacheTime) override { return down(); }

 private:
  static Error down() { return Error{ErrorCode::transient, "database is locked", {}}; }
};

TEST(CacheAction, StoreFailuresAreServerErrors) {
  CacheAction action(std::make_shared<BrokenStore>());
  for (const char* c : {R"({"action":"set","key":"k","value":1})", R"({"action":"get","key":"k"})",
                        R"({"action":"delete","key":"k"})"}) {
    ExecutionRequest r;
    r.configuration = json(c);
    auto result = action.execute(r);
    ASSERT_TRUE(result.error) << c;
    EXPECT_EQ(result.error->kind, ErrorKind::server);
    EXPECT_EQ(result.error->message, "database is locked");
  }
}

TEST(CacheAction, ValidationAtTemplateLoad) {
  const auto registry = ActionRegistry::with_builtins();
  const std::pair<const char*, const char*> rules[] = {
      {R"({"action":"set","key":"k","value":{"a":1},"ttl":30})", ""},
      {R"({"action":"get","key":"{{ .input.k }}"})", ""},
      {R"({"action":"delete","key":"k"})", ""},
      {R"({"action":"Set","key":"k"})", R"(invalid action "Set": expected "set", "get", or "delete")"},
      {R"({"key":"k"})", R"(invalid action "": expected "set", "get", or "delete")"},
      {R"({"action":"get"})", R"(missing required parameter "key")"},
      {R"({"action":"get","key":""})", R"(missing required parameter "key")"},
      {R"({"action":"set","key":"k","ttl":"{{ .var.ttl }}"})",
       "failed to unmarshal configuration: json: cannot unmarshal string into Go struct field "
       "Config.ttl of type float64"},
      {R"({"action":"set","key":"k","ttl":1.5})",
       "failed to unmarshal configuration: json: cannot unmarshal number 1.5 into Go struct field "
       "Config.ttl of type int"},
  };
  for (const auto& [configuration, error] : rules) {
    auto r = registry.validate_plugin_configuration("cache", Json(), json(configuration));
    if (*error == '\0') {
      EXPECT_TRUE(r.ok()) << configuration << ": " << r.error().message;
    } else {
      ASSERT_FALSE(r.ok()) << configuration;
      EXPECT_EQ(r.error().message, error) << configuration;
    }
  }
}

TEST(CacheAction, BuiltinCacheIsSharedAcrossSteps) {
  const auto registry = ActionRegistry::with_builtins();
  const Action* cache = registry.find_action("cache");
  ASSERT_NE(cache, nullptr);
  ExecutionRequest set;
  set.configuration = json(R"({"action":"set","key":"shared","value":"v"})");
  ASSERT_FALSE(cache->execute(set).error);
  ExecutionRequest get;
  get.configuration = json(R"({"action":"get","key":"shared"})");
  EXPECT_EQ(cache->execute(get).output["value"], "v");
}

}  // namespace
}  // namespace utask::actions

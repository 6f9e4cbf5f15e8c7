// Instance-wide settings on both backends (migration 3): absent until set, replaced in place,
// seen by a second store on the same database, refused when the key is empty or the value is
// not JSON (and nothing written then).

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "persistence/store_fixture.h"

namespace utask::testing {
namespace {

using namespace std::chrono_literals;

class SettingsTest : public StoreTest {};

TEST_P(SettingsTest, AnUnsetKeyIsAbsent) {
  auto got = store().get_setting("maintenance_mode");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_FALSE(got->has_value());
}

TEST_P(SettingsTest, SetThenReadBackWithAuthorAndTime) {
  auto set = store().set_setting("maintenance_mode", "true", "alice");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->updated, clock().now());
  auto got = store().get_setting("maintenance_mode");
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->key, "maintenance_mode");
  EXPECT_EQ((*got)->value_json, "true");
  EXPECT_EQ((*got)->updated_by, "alice");
  EXPECT_EQ((*got)->updated, clock().now());
}

TEST_P(SettingsTest, ASecondWriteReplacesTheFirst) {
  ASSERT_TRUE(store().set_setting("maintenance_mode", "true", "alice").ok());
  clock().advance(5s);
  ASSERT_TRUE(store().set_setting("maintenance_mode", "false", "bob").ok());
  auto got = store().get_setting("maintenance_mode");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->value_json, "false");
  EXPECT_EQ((*got)->updated_by, "bob");
  EXPECT_EQ((*got)->updated, clock().now());
}

TEST_P(SettingsTest, KeysAreIndependent) {
  ASSERT_TRUE(store().set_setting("a", "1", "x").ok());
  ASSERT_TRUE(store().set_setting("b", R"({"k":[1,2]})", "y").ok());
  EXPECT_EQ((*store().get_setting("a"))->value_json, "1");
  EXPECT_EQ((*store().get_setting("b"))->value_json, R"({"k":[1,2]})");
  EXPECT_FALSE(store().get_setting("c")->has_value());
}

TEST_P(SettingsTest, ASecondInstanceSeesTheValue) {
  persistence::Store& other = open_another();
  ASSERT_TRUE(store().set_setting("maintenance_mode", "true", "alice").ok());
  auto seen = other.get_setting("maintenance_mode");
  ASSERT_TRUE(seen.ok() && seen->has_value());
  EXPECT_EQ((*seen)->value_json, "true");
  ASSERT_TRUE(other.set_setting("maintenance_mode", "false", "bob").ok());
  EXPECT_EQ((*store().get_setting("maintenance_mode"))->value_json, "false");
}

TEST_P(SettingsTest, SurvivesARestart) {
  ASSERT_TRUE(store().set_setting("maintenance_mode", "true", "alice").ok());
  reopen();
  auto got = store().get_setting("maintenance_mode");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->value_json, "true");
}

TEST_P(SettingsTest, AnEmptyKeyIsRefused) {
  auto set = store().set_setting("", "true", "alice");
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(set.error().message, "a setting needs a key");
  EXPECT_FALSE(store().get_setting("")->has_value());
}

TEST_P(SettingsTest, AValueThatIsNotJsonIsRefusedAndNothingChanges) {
  ASSERT_TRUE(store().set_setting("maintenance_mode", "false", "alice").ok());
  for (const char* bad : {"", "tru", "{\"a\":", "true false"}) {
    auto set = store().set_setting("maintenance_mode", bad, "mallory");
    ASSERT_FALSE(set.ok()) << bad;
    EXPECT_EQ(set.error().code, ErrorCode::invalid_input) << bad;
    EXPECT_EQ(set.error().message.rfind("setting maintenance_mode: value is not JSON: ", 0), 0u)
        << set.error().message;
  }
  auto got = store().get_setting("maintenance_mode");
  EXPECT_EQ((*got)->value_json, "false");
  EXPECT_EQ((*got)->updated_by, "alice");
}

UTASK_STORE_TEST_SUITE(SettingsTest);

}  // namespace
}  // namespace utask::testing

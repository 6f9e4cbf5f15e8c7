#include "config/configstore.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/temp_dir.h"

namespace utask::config {
namespace {

using testing::TempDir;

std::string value_of(const Configstore& s, const std::string& key) {
  auto item = s.read(key);
  return item ? item->value : "<none>";
}

TEST(NormalizeKey, LowerCaseAndDashes) {
  EXPECT_EQ(normalize_key("CFG_UTASK_CFG"), "cfg-utask-cfg");
  EXPECT_EQ(normalize_key("Encryption_Key"), "encryption-key");
  EXPECT_EQ(normalize_key("utask-cfg"), "utask-cfg");
}

TEST(EnvProvider, PrefixSelectsAndStrips) {
  Environment env{{"CFG_DATABASE", "postgres://x"}, {"CFG_UTASK_CFG", "{}"}, {"OTHER", "1"},
                  {"CFGX_NOPE", "2"}, {"cfg_basic_auth", "{}"}};
  auto s = Configstore::from_spec("env:CFG", env);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->keys(), (std::vector<std::string>{"basic-auth", "database", "utask-cfg"}));
  auto db = s->read("database");
  ASSERT_TRUE(db);
  EXPECT_EQ(db->value, "postgres://x");
  EXPECT_EQ(db->priority, 15);
  EXPECT_EQ(db->provider, "env:CFG");
  // The prefix may already end with its separator.
  auto s2 = Configstore::from_spec("env:CFG_", env);
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(s2->keys().size(), 3u);
}

TEST(EnvProvider, NoPrefixTakesEverything) {
  Environment env{{"CFG_DATABASE", "a"}, {"Other_Var", "b"}};
  auto s = Configstore::from_spec("env", env);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->keys(), (std::vector<std::string>{"cfg-database", "other-var"}));
  EXPECT_EQ(value_of(*s, "OTHER_VAR"), "b");  // lookups normalise too
}

TEST(FileProvider, ReadsYaml) {
  TempDir dir;
  auto path = dir.write("c.yaml",
                        "- key: Utask_Cfg\n  value: '{\"a\":1}'\n  priority: 3\n"
                        "- key: database\n  value: |\n    host=db user=u\n"
                        "- key: structured\n  value: {b: [1, 2]}\n"
                        "- key: number\n  value: 1.50\n");
  auto s = Configstore::from_spec(" file : " + path + " ", {});
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto cfg = s->read("utask-cfg");
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->value, "{\"a\":1}");
  EXPECT_EQ(cfg->priority, 3);
  EXPECT_EQ(cfg->provider, "file:" + path);
  EXPECT_EQ(s->read("database")->priority, 0);
  EXPECT_EQ(value_of(*s, "database"), "host=db user=u\n");
  EXPECT_EQ(value_of(*s, "structured"), "{\"b\":[1,2]}");
  EXPECT_EQ(value_of(*s, "number"), "1.50");
}

TEST(FileProvider, ReadsJson) {
  TempDir dir;
  auto path = dir.write("c.json",
                        "[\n\t{\"key\": \"utask-cfg\", \"value\": \"{}\", \"priority\": 7},\n"
                        "\t{\"key\": \"x\", \"value\": \"y\"}\n]\n");
  auto s = Configstore::from_spec("file:" + path, {});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->read("utask-cfg")->priority, 7);
  EXPECT_EQ(value_of(*s, "x"), "y");
}

TEST(FileProvider, RejectsBrokenFiles) {
  TempDir dir;
  struct Case {
    const char* content;
    const char* message;
  } cases[] = {
      {"key: a\nvalue: b\n", "must hold a list"},
      {"- value: b\n", "entry 1: \"key\" must be a non-empty string"},
      {"- key: a\n  priority: high\n", "entry 1: \"priority\" must be an integer"},
      {"- key: a\n- [x\n", "neither YAML nor JSON"},
      {"- 3\n", "entry 1: not a mapping"},
  };
  for (const auto& c : cases) {
    auto path = dir.write("bad.yaml", c.content);
    auto s = Configstore::from_spec("file:" + path, {});
    ASSERT_FALSE(s.ok()) << c.content;
    EXPECT_NE(s.error().message.find("configuration provider \"file:" + path + "\""), std::string::npos)
        << s.error().message;
    EXPECT_NE(s.error().message.find(c.message), std::string::npos) << s.error().message;
  }
}

TEST(FileProvider, EmptyFileHoldsNothing) {
  TempDir dir;
  auto s = Configstore::from_spec("file:" + dir.write("empty.yaml", ""), {});
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->keys().empty());
}

TEST(FileListProvider, LoadsEveryRegularFileInOrder) {
  TempDir dir;
  dir.write("list/b.yaml", "- key: k\n  value: from-b\n");
  dir.write("list/a.yaml", "- key: k\n  value: from-a\n- key: only-a\n  value: x\n");
  dir.write("list/sub/c.yaml", "- key: ignored\n  value: x\n");
  std::filesystem::create_symlink(dir.path() / "list" / "a.yaml", dir.path() / "list" / "z-link.yaml");
  auto s = Configstore::from_spec("filelist:" + (dir.path() / "list").string(), {});
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto k = s->items("k");
  ASSERT_EQ(k.size(), 3u);  // a, b, and the link to a
  EXPECT_EQ(k[0].value, "from-a");
  EXPECT_EQ(k[1].value, "from-b");
  EXPECT_EQ(k[2].value, "from-a");
  EXPECT_TRUE(s->items("ignored").empty());
}

TEST(FileListProvider, ABrokenFileFailsTheProvider) {
  TempDir dir;
  dir.write("list/a.yaml", "- nope\n");
  auto s = Configstore::from_spec("filelist:" + (dir.path() / "list").string(), {});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("filelist:"), std::string::npos) << s.error().message;
}

TEST(FileTreeProvider, KeysPrioritiesAndSubDirectories) {
  TempDir dir;
  dir.write("foo", "foo value");
  dir.write("Upper_Key", "upper\n");
  dir.write("bar/biz", "biz value");
  dir.write("bar/buz", "buz value");
  dir.write("bar/barbaz/foo", "baz_foo_value");
  auto s = Configstore::from_spec("filetree:" + dir.str(), {});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->keys(), (std::vector<std::string>{"bar", "bar/barbaz", "bar/barbaz/foo", "bar/biz",
                                                 "bar/buz", "foo", "upper-key"}));
  EXPECT_EQ(s->read("foo")->priority, 5);
  auto upper = s->read("upper-key");
  EXPECT_EQ(upper->priority, 10);
  EXPECT_EQ(upper->value, "upper\n");  // content verbatim, trailing newline kept
  auto bar = s->items("bar");
  ASSERT_EQ(bar.size(), 2u);
  EXPECT_EQ(bar[0].value, "biz value");
  EXPECT_EQ(bar[1].value, "buz value");
  EXPECT_EQ(value_of(*s, "bar/buz"), "buz value");
  EXPECT_EQ(value_of(*s, "bar/barbaz"), "baz_foo_value");
  EXPECT_TRUE(s->items("barbaz").empty());
}

TEST(FileTreeProvider, LinksToDirectoriesOnlyAtTheTopLevel) {
  TempDir dir;
  dir.write("other/db/dev", "dev value");
  dir.write("tree/foo", "foo value");
  std::filesystem::create_directory_symlink(dir.path() / "other" / "db", dir.path() / "tree" / "database");
  auto s = Configstore::from_spec("filetree:" + (dir.path() / "tree").string(), {});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(value_of(*s, "database/dev"), "dev value");
  EXPECT_EQ(value_of(*s, "database"), "dev value");

  // Below the top level a link to a directory could loop back: refused, naming the path.
  std::filesystem::create_directory_symlink(dir.path() / "tree", dir.path() / "other" / "db" / "loop");
  auto loop = Configstore::from_spec("filetree:" + (dir.path() / "tree").string(), {});
  ASSERT_FALSE(loop.ok());
  EXPECT_NE(loop.error().message.find("is a link to a directory below the top level"), std::string::npos)
      << loop.error().message;
}

TEST(Providers, RefreshVariantsReadOnce) {
  TempDir dir;
  auto file = dir.write("f.yaml", "- key: a\n  value: '1'\n");
  dir.write("tree/b", "2");
  dir.write("list/c.yaml", "- key: c\n  value: '3'\n");
  auto s = Configstore::from_spec("file+refresh:" + file + ",filetree+refresh:" +
                                      (dir.path() / "tree").string() + ",filelist+refresh:" +
                                      (dir.path() / "list").string(),
                                  {});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->keys(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(s->providers().size(), 3u);
}

TEST(Providers, ErrorsNameTheProvider) {
  TempDir dir;
  auto file = dir.write("f.yaml", "- key: a\n  value: '1'\n");
  struct Case {
    std::string spec, message;
  } cases[] = {
      {"vault:secret", "unknown configuration provider \"vault:secret\""},
      {"env+refresh:CFG", "unknown configuration provider \"env+refresh:CFG\""},
      {"file:" + dir.str() + "/missing.yaml", "configuration provider \"file:" + dir.str() + "/missing.yaml\": cannot read"},
      {"file:" + dir.str(), "it is a directory"},
      {"file", "configuration provider \"file\" needs a path"},
      {"filetree:" + dir.str() + "/nope", "configuration provider \"filetree:" + dir.str() + "/nope\": "},
      {"filelist:" + file, "is not a readable directory"},
      {"file:" + file + ", file:" + file, "configuration provider \"file:" + file + "\" is registered twice"},
      {"", "CONFIGURATION_FROM is not set"},
      {" , ", "CONFIGURATION_FROM is not set"},
  };
  for (const auto& c : cases) {
    auto s = Configstore::from_spec(c.spec, {});
    ASSERT_FALSE(s.ok()) << c.spec;
    EXPECT_NE(s.error().message.find(c.message), std::string::npos)
        << c.spec << " → " << s.error().message;
  }
}

TEST(Providers, SameFileUnderTwoNamesIsAllowed) {
  TempDir dir;
  auto file = dir.write("f.yaml", "- key: a\n  value: '1'\n");
  auto s = Configstore::from_spec("file:" + file + ",file+refresh:" + file, {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->items("a").size(), 2u);
}

TEST(ReadItem, HighestPriorityWins) {
  Configstore s;
  ASSERT_TRUE(s.add_provider("one", {{"k", "low", 1, ""}, {"k", "high", 9, ""}}).ok());
  ASSERT_TRUE(s.add_provider("two", {{"K", "mid", 5, ""}}).ok());
  std::vector<std::string> warnings;
  EXPECT_EQ(s.read("k", &warnings)->value, "high");
  EXPECT_TRUE(warnings.empty());
  EXPECT_FALSE(s.read("absent").has_value());
}

TEST(ReadItem, TieTakesFirstProviderAndWarns) {
  Configstore s;
  ASSERT_TRUE(s.add_provider("first", {{"k", "a", 3, ""}, {"other", "x", 0, ""}}).ok());
  ASSERT_TRUE(s.add_provider("second", {{"k", "b", 3, ""}}).ok());
  std::vector<std::string> warnings;
  auto item = s.read("k", &warnings);
  EXPECT_EQ(item->value, "a");
  EXPECT_EQ(item->provider, "first");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("\"k\""), std::string::npos);
  EXPECT_NE(warnings[0].find("first"), std::string::npos);
  // A higher priority later removes the tie.
  ASSERT_TRUE(s.add_provider("third", {{"k", "c", 4, ""}}).ok());
  warnings.clear();
  EXPECT_EQ(s.read("k", &warnings)->value, "c");
  EXPECT_TRUE(warnings.empty());
}

TEST(ReadItem, EnvOverridesFileTreeByPriority) {
  TempDir dir;
  dir.write("database", "from-tree");
  auto s = Configstore::from_spec("filetree:" + dir.str() + ",env:CFG", {{"CFG_DATABASE", "from-env"}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(value_of(*s, "database"), "from-env");
}

TEST(AddProvider, PluginProvidersTakePartInLookups) {
  auto s = Configstore::from_spec("env:CFG", {{"CFG_A", "env"}});
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s->add_provider("vault", {{"A", "vault", 20, "ignored"}}).ok());
  auto a = s->read("a");
  EXPECT_EQ(a->value, "vault");
  EXPECT_EQ(a->provider, "vault");
  auto again = s->add_provider("vault", {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_NE(again.error().message.find("\"vault\""), std::string::npos);
}

}  // namespace
}  // namespace utask::config

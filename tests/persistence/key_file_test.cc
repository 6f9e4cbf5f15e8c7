#include "persistence/crypto/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "crypto_fixtures.h"
#include "persistence/crypto/key_ring.h"

namespace utask::persistence {
namespace {

using testing::base64;
using testing::hex;
using testing::leaks;
using testing::material;
using testing::TempDir;

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0xffff;
  return st.st_mode & 07777;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Writes `content` with `mode` (chmod after writing, so the umask does not interfere).
std::filesystem::path write(const std::filesystem::path& p, const std::string& content,
                            unsigned mode) {
  std::ofstream(p, std::ios::binary) << content;
  ::chmod(p.c_str(), mode);
  return p;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(KeyFile, CreatesAFreshKeyWithMode0600) {
  TempDir dir;
  const auto path = dir.path() / "utask.key";
  const int64_t before = now_seconds();
  const mode_t old_umask = ::umask(0);  // even a permissive umask yields 0600
  auto created = load_or_create_key_file(path);
  ::umask(old_umask);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(created->created);
  EXPECT_EQ(mode_of(path), 0600u);
  const auto& k = created->key;
  EXPECT_EQ(k.identifier, "storage");
  EXPECT_EQ(k.cipher, config::Cipher::xchacha20_poly1305);
  EXPECT_FALSE(k.sealed);
  EXPECT_GE(k.timestamp, before);
  EXPECT_LE(k.timestamp, now_seconds());
  ASSERT_EQ(k.material.size(), 32u);
  EXPECT_NE(k.material, std::string(32, '\0'));

  // The file is an `encryption-key` item value, with the material in hex.
  const std::string text = read(path);
  EXPECT_TRUE(contains(text, hex(k.material))) << "material not stored in hex";
  auto parsed = config::parse_key_config(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->material, k.material);
  EXPECT_EQ(parsed->timestamp, k.timestamp);

  // Only the key file is left behind, no temporary file.
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST(KeyFile, TwoCreatedKeysDiffer) {
  TempDir dir;
  auto a = load_or_create_key_file(dir.path() / "a.key");
  auto b = load_or_create_key_file(dir.path() / "b.key");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->key.material, b->key.material);
}

TEST(KeyFile, ReusesAnExistingKey) {
  TempDir dir;
  const auto path = dir.path() / "utask.key";
  auto first = load_or_create_key_file(path);
  ASSERT_TRUE(first.ok()) << first.error().message;
  const std::string text = read(path);

  auto again = load_or_create_key_file(path);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->key.material, first->key.material);
  EXPECT_EQ(again->key.timestamp, first->key.timestamp);
  EXPECT_EQ(read(path), text);  // untouched

  // Data encrypted under the first load decrypts under the second: same key id.
  auto ring1 = KeyRing::create(config::KeyRing{{first->key}});
  auto ring2 = KeyRing::create(config::KeyRing{{again->key}});
  ASSERT_TRUE(ring1.ok() && ring2.ok());
  const Aad where{"task", "encrypted_result", "42"};
  auto blob = ring1->encrypt("kept across restarts", where);
  ASSERT_TRUE(blob.ok());
  auto back = ring2->decrypt(*blob, where);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, "kept across restarts");
}

TEST(KeyFile, ReadsAHandWrittenKeyInTheItemFormat) {
  TempDir dir;
  const std::string m = material('w');
  const auto path =
      write(dir.path() / "k.json",
            R"({"identifier":"storage","cipher":"chacha20-poly1305","timestamp":1234,"key":")" +
                base64(m) + "\"}",
            0400);
  auto loaded = load_or_create_key_file(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_FALSE(loaded->created);
  EXPECT_EQ(loaded->key.cipher, config::Cipher::chacha20_poly1305);
  EXPECT_EQ(loaded->key.timestamp, 1234);
  EXPECT_EQ(loaded->key.material, m);
}

TEST(KeyFile, RefusesAFileOpenToGroupOrOthers) {
  TempDir dir;
  const auto path = dir.path() / "utask.key";
  auto created = load_or_create_key_file(path);
  ASSERT_TRUE(created.ok());
  for (unsigned mode : {0644u, 0640u, 0604u, 0602u, 0620u}) {
    ::chmod(path.c_str(), mode);
    auto r = load_or_create_key_file(path);
    ASSERT_FALSE(r.ok()) << std::oct << mode;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_config);
    const std::string& m = r.error().message;
    EXPECT_TRUE(contains(m, "key file " + path.string() + ": is accessible to group or others"))
        << m;
    char expected[8];
    std::snprintf(expected, sizeof expected, "%04o", mode);
    EXPECT_TRUE(contains(m, std::string("(mode ") + expected + ")")) << m;
    EXPECT_TRUE(contains(m, "chmod 600 " + path.string())) << m;
    EXPECT_FALSE(leaks(m, created->key.material)) << m;
  }
  ::chmod(path.c_str(), 0600);
  EXPECT_TRUE(load_or_create_key_file(path).ok());
}

TEST(KeyFile, RefusesMalformedFilesWithoutQuotingTheKey) {
  TempDir dir;
  const std::string m = material('m');
  const std::string h = hex(m);
  auto item = [&](const std::string& identifier, const std::string& cipher, const std::string& key,
                  const std::string& extra = "") {
    return R"({"identifier":")" + identifier + R"(","cipher":")" + cipher +
           R"(","timestamp":5,"key":")" + key + "\"" + extra + "}";
  };
  struct Case {
    std::string content;
    std::string message;
  };
  const Case cases[] = {
      {"", "key file"},
      {"not json " + h, "key file"},
      {"[\"" + h + "\"]", "key file"},
      {item("other", "xchacha20-poly1305", h), "identifier \"other\", expected \"storage\""},
      {item("storage", "aes-pmac-siv", h + h), "is not supported"},
      {item("storage", "xchacha20-poly1305", h.substr(0, 62)), "64 hexadecimal characters"},
      {item("storage", "xchacha20-poly1305", h, ",\"sealed\":true"), "holds a sealed key"},
  };
  int n = 0;
  for (const Case& c : cases) {
    const auto path = write(dir.path() / ("bad" + std::to_string(n++)), c.content, 0600);
    auto r = load_or_create_key_file(path);
    ASSERT_FALSE(r.ok()) << c.content;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_config);
    EXPECT_EQ(r.error().message.rfind("key file " + path.string() + ": ", 0), 0u)
        << r.error().message;
    EXPECT_TRUE(contains(r.error().message, c.message)) << r.error().message;
    EXPECT_FALSE(leaks(r.error().message, m)) << r.error().message;
    EXPECT_FALSE(contains(r.error().message, h.substr(0, 16))) << r.error().message;
    EXPECT_EQ(read(path), c.content);  // never replaced by a fresh key
  }
}

TEST(KeyFile, RefusesADirectoryAndAMissingParent) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "sub");
  ::chmod((dir.path() / "sub").c_str(), 0700);
  auto r = load_or_create_key_file(dir.path() / "sub");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(contains(r.error().message, "not a regular file")) << r.error().message;

  auto missing = load_or_create_key_file(dir.path() / "no" / "such" / "utask.key");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(contains(missing.error().message, "cannot create")) << missing.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "no"));
}

TEST(KeyFile, ConcurrentFirstStartsAgreeOnOneKey) {
  TempDir dir;
  const auto path = dir.path() / "utask.key";
  constexpr int kThreads = 4;
  std::vector<Result<KeyFileKey>> results(kThreads, Error::internal("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] { results[i] = load_or_create_key_file(path); });
  for (auto& t : threads) t.join();
  int created = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->key.material, results[0]->key.material);
    created += r->created ? 1 : 0;
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(mode_of(path), 0600u);
}

}  // namespace
}  // namespace utask::persistence

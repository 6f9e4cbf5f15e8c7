#include "config/encryption_keys.h"

#include <gtest/gtest.h>

namespace utask::config {
namespace {

// The development key of the original (aes-gcm, hex).
const char* kHex = "e5f45aef9f072e91f735547be63f3434e6de49695b178e3868b23b0e32269800";
// The same 32 bytes in standard Base64.
const char* kBase64 = "5fRa758HLpH3NVR75j80NObeSWlbF444aLI7DjImmAA=";

std::string key_json(const std::string& cipher, int64_t ts, const std::string& key, bool sealed = false,
                     const std::string& id = "storage") {
  return R"({"identifier":")" + id + R"(","cipher":")" + cipher + R"(","timestamp":)" +
         std::to_string(ts) + R"(,"key":")" + key + "\"" + (sealed ? R"(,"sealed":true)" : "") + "}";
}

std::string expected_bytes() {
  std::string out;
  std::string hex = kHex;
  for (size_t i = 0; i < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

TEST(KeyConfig, ParsesHexBase64AndRawMaterial) {
  auto hex = parse_key_config(key_json("aes-gcm", 1535627466, kHex));
  ASSERT_TRUE(hex.ok()) << hex.error().message;
  EXPECT_EQ(hex->cipher, Cipher::aes_gcm);
  EXPECT_EQ(hex->timestamp, 1535627466);
  EXPECT_FALSE(hex->sealed);
  EXPECT_EQ(hex->material, expected_bytes());

  auto b64 = parse_key_config(key_json("xchacha20-poly1305", 1, kBase64));
  ASSERT_TRUE(b64.ok()) << b64.error().message;
  EXPECT_EQ(b64->cipher, Cipher::xchacha20_poly1305);
  EXPECT_EQ(b64->material, expected_bytes());

  const std::string raw = "0123456789abcdef0123456789ABCDEF";  // 32 bytes taken as they are
  auto r = parse_key_config(key_json("chacha20-poly1305", 2, raw));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->cipher, Cipher::chacha20_poly1305);
  EXPECT_EQ(r->material, raw);
}

TEST(KeyConfig, RejectsBadMaterialWithoutQuotingIt) {
  const std::string bad[] = {
      std::string(kHex).substr(0, 62),                       // too short
      std::string(kHex).substr(0, 63) + "g",                 // 64 chars, not hex
      std::string(kBase64).substr(0, 43) + "*",              // 44 chars, not Base64
      "short",
  };
  for (const auto& k : bad) {
    auto r = parse_key_config(key_json("aes-gcm", 1, k));
    ASSERT_FALSE(r.ok()) << k;
    EXPECT_EQ(r.error().message.rfind("configuration item \"encryption-key\": field \"key\": ", 0), 0u)
        << r.error().message;
    EXPECT_NE(r.error().message.find("32 raw bytes, 64 hexadecimal characters or 44 Base64"), std::string::npos);
    EXPECT_EQ(r.error().message.find(k), std::string::npos) << "the key leaked: " << r.error().message;
  }
}

TEST(KeyConfig, RejectsUnsupportedCiphers) {
  for (const char* c : {"aes-pmac-siv", "hmac", "rot13", ""}) {
    auto r = parse_key_config(key_json(c, 1, kHex));
    ASSERT_FALSE(r.ok()) << c;
    EXPECT_NE(r.error().message.find("field \"cipher\": cipher \"" + std::string(c) + "\" is not supported"),
              std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("xchacha20-poly1305"), std::string::npos);
  }
}

TEST(KeyConfig, OtherIdentifiersAreNotChecked) {
  auto r = parse_key_config(key_json("hmac", 1, "whatever", false, "other-family"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->identifier, "other-family");
}

TEST(KeyConfig, BrokenJsonDoesNotLeak) {
  auto r = parse_key_config(R"({"identifier":"storage","key":"secret-material" oops})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(r.error().message.find("secret-material"), std::string::npos);
  auto t = parse_key_config(R"({"identifier":"storage","cipher":"aes-gcm","timestamp":"now"})");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("field \"timestamp\": expected an integer"), std::string::npos);
}

KeyConfig key(int64_t ts, bool sealed = false, const std::string& id = "storage") {
  KeyConfig k;
  k.identifier = id;
  k.timestamp = ts;
  k.sealed = sealed;
  k.material = std::string(32, static_cast<char>('a' + ts % 20));
  return k;
}

TEST(KeySelection, NewestFirst) {
  auto ring = select_storage_keys({key(10), key(30), key(20), key(99, false, "other")});
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  ASSERT_TRUE(ring->has_value());
  const auto& keys = (*ring)->keys;
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].timestamp, 30);
  EXPECT_EQ(keys[1].timestamp, 20);
  EXPECT_EQ(keys[2].timestamp, 10);
  EXPECT_EQ((*ring)->current().timestamp, 30);
}

TEST(KeySelection, NoneIsExplicitlyNoKey) {
  auto ring = select_storage_keys({key(5, false, "not-storage")});
  ASSERT_TRUE(ring.ok());
  EXPECT_FALSE(ring->has_value());
  auto empty = select_storage_keys({});
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());
}

TEST(KeySelection, TieOnNewestIsAmbiguous) {
  auto ring = select_storage_keys({key(10), key(30), key(30)});
  ASSERT_FALSE(ring.ok());
  EXPECT_NE(ring.error().message.find("ambiguous config: several encryption keys conflicting for 'storage'"),
            std::string::npos);
  // A tie below the newest does not matter.
  EXPECT_TRUE(select_storage_keys({key(10), key(10), key(30)}).ok());
  // Two sealed keys tie too.
  EXPECT_FALSE(select_storage_keys({key(30, true), key(30, true)}).ok());
}

TEST(KeySelection, SealedWinsATie) {
  auto ring = select_storage_keys({key(30), key(30, true)});
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  EXPECT_TRUE((*ring)->current().sealed);
}

TEST(KeySelection, UnsealedNewestOverSealedOlderIsADowngrade) {
  auto ring = select_storage_keys({key(10, true), key(30)});
  ASSERT_FALSE(ring.ok());
  EXPECT_NE(ring.error().message.find("suspected downgrade"), std::string::npos);
  EXPECT_TRUE(select_storage_keys({key(10), key(30, true)}).ok());
}

TEST(KeyRingFromItems, SealedKeysAreRefused) {
  auto ring = storage_key_ring({key_json("aes-gcm", 1, "c2VhbGVk", true)});
  ASSERT_FALSE(ring.ok());
  EXPECT_NE(ring.error().message.find("sealed 'storage' key"), std::string::npos);
  EXPECT_NE(ring.error().message.find("no unsealing service"), std::string::npos);
}

TEST(KeyRingFromItems, ParsesAndSelects) {
  auto ring = storage_key_ring({key_json("aes-gcm", 1, kHex), key_json("xchacha20-poly1305", 2, kBase64),
                                key_json("hmac", 3, "x", false, "other")});
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  ASSERT_TRUE(ring->has_value());
  EXPECT_EQ((*ring)->keys.size(), 2u);
  EXPECT_EQ((*ring)->current().cipher, Cipher::xchacha20_poly1305);
  auto none = storage_key_ring({});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto broken = storage_key_ring({key_json("aes-gcm", 1, kHex), key_json("aes-gcm", 2, "nope")});
  EXPECT_FALSE(broken.ok());
}

TEST(Cipher, NamesRoundTrip) {
  for (Cipher c : {Cipher::aes_gcm, Cipher::chacha20_poly1305, Cipher::xchacha20_poly1305}) {
    EXPECT_EQ(cipher_from_string(to_string(c)), c);
    EXPECT_EQ(key_length(c), 32u);
  }
  EXPECT_EQ(kDefaultCipher, Cipher::xchacha20_poly1305);
  EXPECT_FALSE(cipher_from_string("AES-GCM").has_value());
}

}  // namespace
}  // namespace utask::config

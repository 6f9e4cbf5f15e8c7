#include "persistence/crypto/blob.h"

#include <gtest/gtest.h>

#include "persistence/crypto/cipher.h"

namespace utask::persistence {
namespace {

// Frozen: stored blobs depend on these ids (derivation checked against an independent
// BLAKE2b: python3 hashlib.blake2b(label, key=material, digest_size=32)).
TEST(KeyId, IsStableAcrossVersions) {
  ASSERT_TRUE(init_sodium().ok());
  const std::string dev_key(  // the original's development key (config.md §4.3)
      "\xe5\xf4\x5a\xef\x9f\x07\x2e\x91\xf7\x35\x54\x7b\xe6\x3f\x34\x34"
      "\xe6\xde\x49\x69\x5b\x17\x8e\x38\x68\xb2\x3b\x0e\x32\x26\x98\x00",
      32);
  ASSERT_EQ(dev_key.size(), 32u);
  const auto* m = reinterpret_cast<const unsigned char*>(dev_key.data());
  EXPECT_EQ(to_hex(derive_key_id(Cipher::xchacha20_poly1305, 1535627466, m, 32)),
            "df641858de7826cf");
  EXPECT_EQ(to_hex(derive_key_id(Cipher::aes_gcm, 1535627466, m, 32)), "7d335bf8ef0d44f7");
}

TEST(KeyId, DependsOnCipherTimestampAndMaterial) {
  ASSERT_TRUE(init_sodium().ok());
  std::string a(32, 'a'), b(32, 'b');
  const auto* ma = reinterpret_cast<const unsigned char*>(a.data());
  const auto* mb = reinterpret_cast<const unsigned char*>(b.data());
  const KeyId base = derive_key_id(Cipher::xchacha20_poly1305, 1, ma, 32);
  EXPECT_EQ(base, derive_key_id(Cipher::xchacha20_poly1305, 1, ma, 32));
  EXPECT_NE(base, derive_key_id(Cipher::chacha20_poly1305, 1, ma, 32));
  EXPECT_NE(base, derive_key_id(Cipher::xchacha20_poly1305, 2, ma, 32));
  EXPECT_NE(base, derive_key_id(Cipher::xchacha20_poly1305, 1, mb, 32));
  EXPECT_EQ(to_hex(base).size(), 16u);
  EXPECT_EQ(to_hex(base).find(std::string(8, 'a')), std::string::npos);
}

TEST(AdditionalData, IsLengthPrefixedAndUnambiguous) {
  const KeyId id{1, 2, 3, 4, 5, 6, 7, 8};
  const std::string ad = additional_data(id, {"task", "input", "r1"});
  const std::string expected = std::string("\x01\x01\x02\x03\x04\x05\x06\x07\x08", 9) +
                               std::string("\0\0\0\0\0\0\0\x04", 8) + "task" +
                               std::string("\0\0\0\0\0\0\0\x05", 8) + "input" +
                               std::string("\0\0\0\0\0\0\0\x02", 8) + "r1";
  EXPECT_EQ(ad, expected);

  // Moving bytes between fields changes the data.
  EXPECT_NE(additional_data(id, {"ab", "c", "x"}), additional_data(id, {"a", "bc", "x"}));
  EXPECT_NE(additional_data(id, {"t", "c", ""}), additional_data(id, {"t", "", "c"}));
  EXPECT_NE(additional_data(id, {"t", "c", "r"}), additional_data(KeyId{}, {"t", "c", "r"}));
}

TEST(BlobHeader, ReadsFormatAndKeyId) {
  std::string blob = std::string("\x01\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11", 9) + "rest";
  auto h = read_blob_header(blob);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->format, 1);
  EXPECT_EQ(to_hex(h->key_id), "0a0b0c0d0e0f1011");
  EXPECT_TRUE(read_blob_header(blob.substr(0, 9)).has_value());
  EXPECT_FALSE(read_blob_header(blob.substr(0, 8)).has_value());
  EXPECT_FALSE(read_blob_header("").has_value());
}

}  // namespace
}  // namespace utask::persistence

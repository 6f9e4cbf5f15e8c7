#include "persistence/crypto/key_ring.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <thread>

#include "crypto_fixtures.h"

namespace utask::persistence {
namespace {

using config::Cipher;
using testing::key;
using testing::leaks;
using testing::material;

KeyRing ring_of(std::vector<config::KeyConfig> keys) {
  auto ring = KeyRing::create(config::KeyRing{std::move(keys)});
  if (!ring) ADD_FAILURE() << ring.error().message;
  return std::move(*ring);
}

const Aad kWhere{"task", "encrypted_input", "0b6d3f8e-1f6a-4c1e-9a57-2f1d1b0c9e11"};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class KeyRingPerCipher : public ::testing::TestWithParam<Cipher> {
 protected:
  void SetUp() override {
    if (!cipher_available(GetParam()).ok()) GTEST_SKIP() << "cipher unavailable on this CPU";
  }
};

TEST_P(KeyRingPerCipher, RoundTripsEmptySmallAndLargeValues) {
  KeyRing ring = ring_of({key(GetParam(), 100, 'a')});
  std::string large(4 << 20, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 2654435761u >> 13);
  for (const std::string& plaintext :
       {std::string(), std::string("{\"a\":1}"), std::string("\0\xff", 2), large}) {
    auto blob = ring.encrypt(plaintext, kWhere);
    ASSERT_TRUE(blob.ok()) << blob.error().message;
    EXPECT_EQ(blob->size(),
              kBlobHeaderBytes + nonce_length(GetParam()) + plaintext.size() + kCipherTagBytes);
    EXPECT_EQ(static_cast<uint8_t>((*blob)[0]), kBlobFormat);
    EXPECT_EQ(read_blob_header(*blob)->key_id, ring.current_key_id());
    auto back = ring.decrypt(*blob, kWhere);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, plaintext);
  }
}

TEST_P(KeyRingPerCipher, SamePlaintextGivesDifferentBlobs) {
  KeyRing ring = ring_of({key(GetParam(), 100, 'a')});
  auto a = ring.encrypt("same", kWhere);
  auto b = ring.encrypt("same", kWhere);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);  // random nonces
}

INSTANTIATE_TEST_SUITE_P(Ciphers, KeyRingPerCipher,
                         ::testing::Values(Cipher::xchacha20_poly1305, Cipher::chacha20_poly1305,
                                           Cipher::aes_gcm),
                         testing::cipher_name);

TEST(KeyRing, NewestKeyEncryptsOlderKeysStillDecrypt) {
  KeyRing old_ring = ring_of({key(Cipher::chacha20_poly1305, 100, 'o')});
  auto old_blob = old_ring.encrypt("written before rotation", kWhere);
  ASSERT_TRUE(old_blob.ok());

  // Given oldest first on purpose: the ring orders by timestamp.
  KeyRing ring =
      ring_of({key(Cipher::chacha20_poly1305, 100, 'o'), key(Cipher::xchacha20_poly1305, 200, 'n'),
               key(Cipher::chacha20_poly1305, 150, 'm')});
  EXPECT_EQ(ring.size(), 3u);
  EXPECT_NE(ring.current_key_id(), old_ring.current_key_id());
  auto back = ring.decrypt(*old_blob, kWhere);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, "written before rotation");

  auto new_blob = ring.encrypt("written after", kWhere);
  ASSERT_TRUE(new_blob.ok());
  EXPECT_EQ(read_blob_header(*new_blob)->key_id, ring.current_key_id());
  EXPECT_EQ(new_blob->size(), kBlobHeaderBytes + 24 + 13 + kCipherTagBytes);  // xchacha nonce

  // The ring without the new key cannot read it, and says why.
  auto refused = old_ring.decrypt(*new_blob, kWhere);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_config);
  EXPECT_TRUE(contains(refused.error().message, "no key with id " + to_hex(ring.current_key_id())))
      << refused.error().message;
  EXPECT_TRUE(contains(refused.error().message, "task.encrypted_input of row " + kWhere.row));
}

TEST(KeyRing, NeedsReencryptionWhenNotUnderTheNewestKey) {
  KeyRing old_ring = ring_of({key(Cipher::xchacha20_poly1305, 100, 'o')});
  KeyRing ring = ring_of(
      {key(Cipher::xchacha20_poly1305, 100, 'o'), key(Cipher::xchacha20_poly1305, 200, 'n')});
  auto old_blob = old_ring.encrypt("x", kWhere);
  auto new_blob = ring.encrypt("x", kWhere);
  ASSERT_TRUE(old_blob.ok() && new_blob.ok());
  EXPECT_TRUE(ring.needs_reencryption(*old_blob));
  EXPECT_FALSE(ring.needs_reencryption(*new_blob));
  EXPECT_FALSE(old_ring.needs_reencryption(*old_blob));
  EXPECT_TRUE(ring.needs_reencryption(""));
  std::string other_format = *new_blob;
  other_format[0] = 2;
  EXPECT_TRUE(ring.needs_reencryption(other_format));
}

TEST(KeyRing, BlobBoundToTableColumnAndRow) {
  KeyRing ring = ring_of({key(Cipher::xchacha20_poly1305, 1, 'a')});
  auto blob = ring.encrypt("{\"secret\":true}", kWhere);
  ASSERT_TRUE(blob.ok());
  ASSERT_TRUE(ring.decrypt(*blob, kWhere).ok());
  const Aad elsewhere[] = {
      {"resolution", kWhere.column, kWhere.row},
      {kWhere.table, "encrypted_result", kWhere.row},
      {kWhere.table, kWhere.column, "0b6d3f8e-1f6a-4c1e-9a57-2f1d1b0c9e12"},
      {"taskencrypted_input", "", kWhere.row},  // same bytes, other split
      {"", "", ""},
  };
  for (const Aad& where : elsewhere) {
    auto r = ring.decrypt(*blob, where);
    ASSERT_FALSE(r.ok()) << where.table << "." << where.column << "/" << where.row;
    EXPECT_EQ(r.error().code, ErrorCode::internal);
    EXPECT_TRUE(contains(r.error().message, "authentication failed")) << r.error().message;
    EXPECT_TRUE(
        contains(r.error().message, where.table + "." + where.column + " of row " + where.row));
  }
}

TEST(KeyRing, EveryFlippedBitFailsCleanly) {
  KeyRing ring = ring_of({key(Cipher::xchacha20_poly1305, 1, 'a')});
  auto blob = ring.encrypt("abc", kWhere);
  ASSERT_TRUE(blob.ok());
  for (size_t i = 0; i < blob->size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string tampered = *blob;
      tampered[i] = static_cast<char>(tampered[i] ^ (1 << bit));
      auto r = ring.decrypt(tampered, kWhere);
      ASSERT_FALSE(r.ok()) << "byte " << i << " bit " << bit;
      const std::string& m = r.error().message;
      if (i == 0)
        EXPECT_TRUE(contains(m, "unknown encrypted value format")) << m;
      else if (i < kBlobHeaderBytes)
        EXPECT_TRUE(contains(m, "no key with id")) << m;
      else
        EXPECT_TRUE(contains(m, "authentication failed")) << m;
    }
  }
}

TEST(KeyRing, TruncatedOrExtendedBlobsFailCleanly) {
  KeyRing ring = ring_of({key(Cipher::xchacha20_poly1305, 1, 'a')});
  auto blob = ring.encrypt("abc", kWhere);
  ASSERT_TRUE(blob.ok());
  for (size_t n = 0; n < blob->size(); ++n) {
    auto r = ring.decrypt(blob->substr(0, n), kWhere);
    ASSERT_FALSE(r.ok()) << n;
    if (n < kBlobHeaderBytes + 24 + kCipherTagBytes) {
      EXPECT_TRUE(contains(r.error().message, "malformed encrypted value"))
          << n << ": " << r.error().message;
    }
  }
  EXPECT_FALSE(ring.decrypt(*blob + "x", kWhere).ok());
}

TEST(KeyRing, RejectsUnusableKeyConfigurations) {
  auto sealed = key(Cipher::xchacha20_poly1305, 1, 's');
  sealed.sealed = true;
  auto short_key = key(Cipher::xchacha20_poly1305, 1, 'h');
  short_key.material.resize(31);
  struct Case {
    std::vector<config::KeyConfig> keys;
    std::string message;
  };
  const Case cases[] = {
      {{}, "holds no key"},
      {{sealed}, "is sealed"},
      {{short_key}, "must be 32 bytes once decoded (got 31)"},
      {{key(Cipher::xchacha20_poly1305, 7, 'a'), key(Cipher::chacha20_poly1305, 7, 'b')},
       "several encryption keys conflicting for 'storage'"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> secrets;
    for (const auto& k : c.keys) secrets.push_back(k.material);
    auto ring = KeyRing::create(config::KeyRing{c.keys});
    ASSERT_FALSE(ring.ok()) << c.message;
    EXPECT_EQ(ring.error().code, ErrorCode::invalid_config);
    EXPECT_TRUE(contains(ring.error().message, c.message)) << ring.error().message;
    for (const auto& s : secrets)
      EXPECT_FALSE(leaks(ring.error().message, s)) << ring.error().message;
  }
  // An older tie is fine: only the newest key must be unique.
  EXPECT_TRUE(KeyRing::create(config::KeyRing{{key(Cipher::xchacha20_poly1305, 9, 'c'),
                                               key(Cipher::xchacha20_poly1305, 7, 'a'),
                                               key(Cipher::chacha20_poly1305, 7, 'b')}})
                  .ok());
}

TEST(KeyRing, AesGcmKeyLoadsOnlyWithHardwareSupport) {
  // The original's development key.
  auto dev = key(Cipher::aes_gcm, 1535627466, 'x');
  auto ring = KeyRing::create(config::KeyRing{{dev}});
  if (crypto_aead_aes256gcm_is_available()) {
    ASSERT_TRUE(ring.ok()) << ring.error().message;
    auto blob = ring->encrypt("gcm", kWhere);
    ASSERT_TRUE(blob.ok());
    EXPECT_EQ(blob->size(), kBlobHeaderBytes + 12 + 3 + kCipherTagBytes);
  } else {
    ASSERT_FALSE(ring.ok());
    EXPECT_TRUE(contains(ring.error().message, "aes-gcm is not available on this CPU"))
        << ring.error().message;
    EXPECT_TRUE(contains(ring.error().message, "timestamp 1535627466"));
  }
}

TEST(KeyRing, DescribeShowsIdsCiphersTimestampsNeverMaterial) {
  auto newest = key(Cipher::xchacha20_poly1305, 1700000000, 'n');
  auto older = key(Cipher::chacha20_poly1305, 1600000000, 'o');
  KeyRing ring = ring_of({older, newest});
  const std::string d = ring.describe();
  EXPECT_TRUE(contains(d, "2 keys")) << d;
  EXPECT_TRUE(contains(
      d, to_hex(ring.current_key_id()) + " (xchacha20-poly1305, timestamp 1700000000, current)"))
      << d;
  EXPECT_TRUE(contains(d, "(chacha20-poly1305, timestamp 1600000000)")) << d;
  EXPECT_LT(d.find("1700000000"), d.find("1600000000"));  // newest first
  EXPECT_FALSE(leaks(d, newest.material)) << d;
  EXPECT_FALSE(leaks(d, older.material)) << d;

  // Nor do decryption errors.
  KeyRing stranger = ring_of({key(Cipher::xchacha20_poly1305, 5, 's')});
  auto blob = ring.encrypt("x", kWhere);
  ASSERT_TRUE(blob.ok());
  std::vector<std::string> messages;
  messages.push_back(stranger.decrypt(*blob, kWhere).error().message);
  messages.push_back(ring.decrypt(*blob, {"t", "c", "r"}).error().message);
  messages.push_back(ring.decrypt("short", kWhere).error().message);
  for (const auto& m : messages) {
    EXPECT_FALSE(leaks(m, newest.material)) << m;
    EXPECT_FALSE(leaks(m, older.material)) << m;
    EXPECT_FALSE(leaks(m, material('s'))) << m;
  }
}

TEST(KeyRing, SafeForConcurrentUse) {
  KeyRing ring = ring_of({key(Cipher::xchacha20_poly1305, 1, 'a')});
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const Aad where{"task", "encrypted_input", std::to_string(t) + "-" + std::to_string(i)};
        auto blob = ring.encrypt(where.row, where);
        auto back = blob ? ring.decrypt(*blob, where) : Result<std::string>(blob.error());
        if (!back || *back != where.row) ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace utask::persistence

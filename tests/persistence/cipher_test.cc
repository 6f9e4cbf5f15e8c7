#include "persistence/crypto/cipher.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "crypto_fixtures.h"

namespace utask::persistence {
namespace {

using testing::material;

class CipherRoundTrip : public ::testing::TestWithParam<Cipher> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(init_sodium().ok());
    if (!cipher_available(GetParam()).ok()) GTEST_SKIP() << "cipher unavailable on this CPU";
  }
};

TEST_P(CipherRoundTrip, SealsAndOpens) {
  const Cipher c = GetParam();
  const std::string key = material('k');
  const std::string nonce(nonce_length(c), '\x05');
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  for (const std::string& plaintext :
       {std::string(), std::string("hello"), std::string(100000, 'x')}) {
    std::string sealed = "prefix";  // aead_seal appends
    ASSERT_TRUE(aead_seal(c, k, nonce, plaintext, "ad", sealed).ok());
    ASSERT_EQ(sealed.size(), 6 + plaintext.size() + kCipherTagBytes);
    EXPECT_EQ(sealed.substr(0, 6), "prefix");
    auto opened = aead_open(c, k, nonce, std::string_view(sealed).substr(6), "ad");
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST_P(CipherRoundTrip, RefusesWrongKeyNonceAdOrTag) {
  const Cipher c = GetParam();
  const std::string key = material('k'), other = material('o');
  const std::string nonce(nonce_length(c), '\x05');
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  std::string sealed;
  ASSERT_TRUE(aead_seal(c, k, nonce, "secret value", "ad", sealed).ok());
  ASSERT_TRUE(aead_open(c, k, nonce, sealed, "ad").has_value());

  EXPECT_FALSE(
      aead_open(c, reinterpret_cast<const unsigned char*>(other.data()), nonce, sealed, "ad"));
  EXPECT_FALSE(aead_open(c, k, std::string(nonce_length(c), '\x06'), sealed, "ad"));
  EXPECT_FALSE(aead_open(c, k, nonce, sealed, "ae"));
  std::string flipped = sealed;
  flipped.back() ^= 1;
  EXPECT_FALSE(aead_open(c, k, nonce, flipped, "ad"));
  EXPECT_FALSE(aead_open(c, k, nonce, sealed.substr(0, kCipherTagBytes - 1), "ad"));
}

INSTANTIATE_TEST_SUITE_P(Ciphers, CipherRoundTrip,
                         ::testing::Values(Cipher::xchacha20_poly1305, Cipher::chacha20_poly1305,
                                           Cipher::aes_gcm),
                         testing::cipher_name);

TEST(Cipher, NonceLengths) {
  EXPECT_EQ(nonce_length(Cipher::xchacha20_poly1305), 24u);
  EXPECT_EQ(nonce_length(Cipher::chacha20_poly1305), 12u);
  EXPECT_EQ(nonce_length(Cipher::aes_gcm), 12u);
}

TEST(Cipher, ChachaFamilyAlwaysAvailableAesGcmOnlyWithHardware) {
  EXPECT_TRUE(cipher_available(Cipher::xchacha20_poly1305).ok());
  EXPECT_TRUE(cipher_available(Cipher::chacha20_poly1305).ok());
  auto aes = cipher_available(Cipher::aes_gcm);
  if (crypto_aead_aes256gcm_is_available()) {
    EXPECT_TRUE(aes.ok());
  } else {
    ASSERT_FALSE(aes.ok());
    EXPECT_EQ(aes.error().code, ErrorCode::invalid_config);
    EXPECT_NE(aes.error().message.find("aes-gcm is not available on this CPU"), std::string::npos);
  }
}

// The ciphers are the standard ones: XChaCha20-Poly1305 output matches libsodium's own call,
// so blobs stay readable by any implementation of the construction.
TEST(Cipher, XChaChaMatchesTheLibsodiumConstruction) {
  ASSERT_TRUE(init_sodium().ok());
  const std::string key = material('k');
  const std::string nonce(24, '\x01');
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  std::string ours;
  ASSERT_TRUE(aead_seal(Cipher::xchacha20_poly1305, k, nonce, "abc", "ad", ours).ok());
  unsigned char expected[3 + 16];
  unsigned long long n = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      expected, &n, reinterpret_cast<const unsigned char*>("abc"), 3,
      reinterpret_cast<const unsigned char*>("ad"), 2, nullptr,
      reinterpret_cast<const unsigned char*>(nonce.data()), k);
  EXPECT_EQ(ours, std::string(reinterpret_cast<char*>(expected), n));
}

}  // namespace
}  // namespace utask::persistence

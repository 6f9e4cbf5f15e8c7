#include "persistence/crypto/cipher.h"

#include <sodium.h>

#include <mutex>

namespace utask::persistence {
namespace {

// libsodium's AEAD functions share one signature for these three ciphers.
using SealFn = int (*)(unsigned char* c, unsigned long long* clen, const unsigned char* m,
                       unsigned long long mlen, const unsigned char* ad, unsigned long long adlen,
                       const unsigned char* nsec, const unsigned char* npub,
                       const unsigned char* k);
using OpenFn = int (*)(unsigned char* m, unsigned long long* mlen, unsigned char* nsec,
                       const unsigned char* c, unsigned long long clen, const unsigned char* ad,
                       unsigned long long adlen, const unsigned char* npub, const unsigned char* k);

struct CipherRow {
  Cipher cipher;
  size_t nonce_bytes;
  size_t max_message_bytes;
  SealFn seal;
  OpenFn open;
};

// Indexed by config::Cipher.
constexpr CipherRow kCiphers[] = {
    {Cipher::aes_gcm, crypto_aead_aes256gcm_NPUBBYTES, crypto_aead_aes256gcm_MESSAGEBYTES_MAX,
     crypto_aead_aes256gcm_encrypt, crypto_aead_aes256gcm_decrypt},
    {Cipher::chacha20_poly1305, crypto_aead_chacha20poly1305_ietf_NPUBBYTES,
     crypto_aead_chacha20poly1305_ietf_MESSAGEBYTES_MAX, crypto_aead_chacha20poly1305_ietf_encrypt,
     crypto_aead_chacha20poly1305_ietf_decrypt},
    {Cipher::xchacha20_poly1305, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
     crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX,
     crypto_aead_xchacha20poly1305_ietf_encrypt, crypto_aead_xchacha20poly1305_ietf_decrypt},
};

static_assert(kCiphers[static_cast<int>(Cipher::aes_gcm)].cipher == Cipher::aes_gcm &&
              kCiphers[static_cast<int>(Cipher::chacha20_poly1305)].cipher ==
                  Cipher::chacha20_poly1305 &&
              kCiphers[static_cast<int>(Cipher::xchacha20_poly1305)].cipher ==
                  Cipher::xchacha20_poly1305);

const CipherRow& row(Cipher c) { return kCiphers[static_cast<int>(c)]; }

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

static_assert(crypto_aead_aes256gcm_KEYBYTES == kCipherKeyBytes &&
              crypto_aead_chacha20poly1305_ietf_KEYBYTES == kCipherKeyBytes &&
              crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kCipherKeyBytes);
static_assert(crypto_aead_aes256gcm_ABYTES == kCipherTagBytes &&
              crypto_aead_chacha20poly1305_ietf_ABYTES == kCipherTagBytes &&
              crypto_aead_xchacha20poly1305_ietf_ABYTES == kCipherTagBytes);

}  // namespace

Result<void> init_sodium() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = sodium_init() >= 0; });
  if (!ok) return Error::internal("libsodium failed to initialise");
  return {};
}

size_t nonce_length(Cipher c) { return row(c).nonce_bytes; }

Result<void> cipher_available(Cipher c) {
  if (auto init = init_sodium(); !init) return init;
  if (c == Cipher::aes_gcm && crypto_aead_aes256gcm_is_available() == 0)
    return Error::invalid_config(
        "cipher aes-gcm is not available on this CPU: libsodium's AES-256-GCM needs the AES-NI "
        "and CLMUL instructions; use a xchacha20-poly1305 key instead");
  return {};
}

Result<void> aead_seal(Cipher c, const unsigned char* key, std::string_view nonce,
                       std::string_view plaintext, std::string_view ad, std::string& out) {
  const CipherRow& r = row(c);
  if (plaintext.size() > r.max_message_bytes)
    return Error::internal("value too large to encrypt with " + std::string(to_string(c)) + " (" +
                           std::to_string(plaintext.size()) + " bytes)");
  const size_t start = out.size();
  out.resize(start + plaintext.size() + kCipherTagBytes);
  unsigned long long written = 0;
  r.seal(reinterpret_cast<unsigned char*>(out.data()) + start, &written, bytes(plaintext),
         plaintext.size(), bytes(ad), ad.size(), nullptr, bytes(nonce), key);
  out.resize(start + written);
  return {};
}

std::optional<std::string> aead_open(Cipher c, const unsigned char* key, std::string_view nonce,
                                     std::string_view sealed, std::string_view ad) {
  if (sealed.size() < kCipherTagBytes) return std::nullopt;
  std::string plain(sealed.size() - kCipherTagBytes, '\0');
  unsigned long long length = 0;
  // `plain` may be empty: libsodium writes nothing then, but the pointer must stay valid.
  if (row(c).open(reinterpret_cast<unsigned char*>(plain.data()), &length, nullptr, bytes(sealed),
                  sealed.size(), bytes(ad), ad.size(), bytes(nonce), key) != 0) {
    sodium_memzero(plain.data(), plain.size());
    return std::nullopt;
  }
  plain.resize(length);
  return plain;
}

}  // namespace utask::persistence

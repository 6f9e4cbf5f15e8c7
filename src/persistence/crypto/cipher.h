#pragma once
// The AEAD ciphers of the storage key ring, one row per config::Cipher, all from libsodium:
// - xchacha20-poly1305 (default): 24-byte random nonces, which never collide in practice.
// - chacha20-poly1305 (IETF) and aes-gcm (AES-256-GCM): 12-byte random nonces; keep a key under
//   ~2^32 encryptions (rotation makes that easy).
// AES-256-GCM needs AES-NI and CLMUL: libsodium has no software fallback, so a CPU without them
// cannot use such a key and says so when the key is loaded.
// Every cipher takes a 32-byte key and appends a 16-byte tag to the ciphertext.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "config/encryption_keys.h"
#include "model/error.h"

namespace utask::persistence {

using config::Cipher;

inline constexpr size_t kCipherKeyBytes = 32;
inline constexpr size_t kCipherTagBytes = 16;

// Initialises libsodium once per process (thread-safe); every later call returns the first
// outcome.
Result<void> init_sodium();

size_t nonce_length(Cipher c);

// Success when this process can use `c`; otherwise an invalid_config error saying why.
Result<void> cipher_available(Cipher c);

// Appends ciphertext‖tag of `plaintext` under `key` (kCipherKeyBytes) and `nonce`
// (nonce_length(c) bytes), authenticating `ad` too. Fails only for a plaintext beyond the
// cipher's limit. REQUIRES: init_sodium() and cipher_available(c) succeeded.
Result<void> aead_seal(Cipher c, const unsigned char* key, std::string_view nonce,
                       std::string_view plaintext, std::string_view ad, std::string& out);

// The plaintext of `sealed` (ciphertext‖tag), or nullopt when it does not authenticate under
// `key`, `nonce` and `ad` (wrong key, wrong additional data, altered bytes, too short).
// Same REQUIRES as aead_seal.
std::optional<std::string> aead_open(Cipher c, const unsigned char* key, std::string_view nonce,
                                     std::string_view sealed, std::string_view ad);

}  // namespace utask::persistence

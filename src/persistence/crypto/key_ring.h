#pragma once
// The storage key ring: encrypts column values with the newest key and decrypts with whichever
// key a value names. Built once at startup from the `encryption-key` configuration (config.md
// §4.3) or from the embedded default's key file (key_file.h).
//
// Blob format (versioned; details in blob.h):
//   [format byte 0x01][key id, 8 bytes][random nonce][ciphertext ‖ 16-byte tag]
// with additional data binding the blob to its table, column and row, so a blob moved elsewhere
// fails to decrypt.
//
// Thread safety: constant after construction; every method is safe to call concurrently.
// Secrets: key material lives only in guarded memory (secret_bytes.h) and is never printed;
// describe() and error messages give key ids, ciphers and timestamps only.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/encryption_keys.h"
#include "model/error.h"
#include "persistence/crypto/blob.h"
#include "persistence/crypto/cipher.h"
#include "persistence/crypto/key_id.h"
#include "persistence/crypto/secret_bytes.h"

namespace utask::persistence {

class KeyRing {
 public:
  // A ring of every key of `keys`, newest (highest timestamp) first. The material strings of
  // `keys` are wiped once copied, so pass the configuration with std::move to leave no copy
  // behind. Errors (invalid_config): no key, a sealed key, material of the wrong length, two
  // keys sharing the newest timestamp, a cipher this CPU cannot run (aes-gcm without AES-NI).
  static Result<KeyRing> create(config::KeyRing keys);

  KeyRing(KeyRing&&) noexcept = default;
  KeyRing& operator=(KeyRing&&) noexcept = default;

  // A fresh blob of `plaintext` (any bytes, empty included) under the newest key, bound to
  // `where`.
  Result<std::string> encrypt(std::string_view plaintext, const Aad& where) const;

  // The plaintext of `blob`, encrypted for `where`. Errors name the table, column and row:
  // malformed blob or unknown format (internal); no key with the blob's key id (invalid_config:
  // a key was removed before rotation finished); authentication failed (internal: the blob
  // belongs to another row, column or table, or was altered).
  Result<std::string> decrypt(std::string_view blob, const Aad& where) const;

  // True when `blob` is not under the newest key (rotation re-encrypts it). A malformed blob
  // counts as needing it, so that rotation reaches it and reports the decryption error.
  bool needs_reencryption(std::string_view blob) const;

  const KeyId& current_key_id() const { return keys_.front().id; }
  size_t size() const { return keys_.size(); }

  // One line: each key's id, cipher and timestamp, newest first. Never the material.
  std::string describe() const;

 private:
  struct Key {
    KeyId id;
    config::Cipher cipher;
    int64_t timestamp;
    SecretBytes material;
  };

  explicit KeyRing(std::vector<Key> keys) : keys_(std::move(keys)) {}

  // Newest first, never empty. Constant after construction.
  std::vector<Key> keys_;
};

}  // namespace utask::persistence

#pragma once
// The `encryption-key` items (spec config.md §4.3): symmecrypt key configurations, and the
// selection of the storage key ring. Only the configuration lives here; encrypting belongs to
// the persistence layer.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace utask::config {

inline constexpr const char* kEncryptionKeyItem = "encryption-key";
inline constexpr const char* kStorageKeyIdentifier = "storage";

enum class Cipher { aes_gcm, chacha20_poly1305, xchacha20_poly1305 };

// The cipher of generated keys.
inline constexpr Cipher kDefaultCipher = Cipher::xchacha20_poly1305;

const char* to_string(Cipher c);
std::optional<Cipher> cipher_from_string(std::string_view s);
// Key length in bytes (32 for every supported cipher).
size_t key_length(Cipher c);

struct KeyConfig {
  std::string identifier;
  Cipher cipher = kDefaultCipher;
  int64_t timestamp = 0;
  bool sealed = false;
  // Raw key bytes (key_length(cipher) of them) — a secret: never log it. For a sealed key this
  // is the sealed text as written, since nothing here can unseal it.
  std::string material;
};

// Parses one item value. For identifier `storage`: the cipher must be supported (others such as
// aes-pmac-siv or hmac are refused with the list of supported ones) and the key material must
// be N raw bytes, 2·N hex characters or standard Base64 of N bytes. Keys with another
// identifier are parsed leniently (they are not ours to check). Messages never quote the key.
Result<KeyConfig> parse_key_config(std::string_view value);

// Decodes key material of `length` bytes given raw, in hex or in Base64; nullopt otherwise.
std::optional<std::string> decode_key_material(std::string_view text, size_t length);

// The storage key ring, newest first: new data uses keys.front(), decryption tries all.
struct KeyRing {
  std::vector<KeyConfig> keys;
  const KeyConfig& current() const { return keys.front(); }
};

// Selection rules of §4.3 over every `encryption-key` item: keep identifier `storage`; nullopt
// when none (no key configured); exactly one key must hold the highest timestamp, a sealed key
// winning a tie against unsealed ones, else `ambiguous config: several encryption keys
// conflicting for 'storage'`; an unsealed newest key with an older sealed one is refused
// (suspected downgrade).
Result<std::optional<KeyRing>> select_storage_keys(std::vector<KeyConfig> keys);

// Parses every item value and selects; sealed keys are then refused, as no unsealing service
// exists.
Result<std::optional<KeyRing>> storage_key_ring(const std::vector<std::string>& item_values);

}  // namespace utask::config

#include "persistence/crypto/key_id.h"

#include <sodium.h>

#include <algorithm>

namespace utask::persistence {

KeyId derive_key_id(config::Cipher cipher, int64_t timestamp, const unsigned char* material,
                    size_t material_size) {
  // label \0 cipher \0 timestamp (8 bytes big-endian): unambiguous, as the label and the cipher
  // names hold no NUL.
  std::string message = "utask storage key id";
  message.push_back('\0');
  message += config::to_string(cipher);
  message.push_back('\0');
  const auto ts = static_cast<uint64_t>(timestamp);
  for (int shift = 56; shift >= 0; shift -= 8) message.push_back(static_cast<char>(ts >> shift));

  // BLAKE2b outputs at least 16 bytes; the id is the first 8 of a 32-byte digest.
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), material, material_size);
  KeyId id{};
  std::copy_n(digest, id.size(), id.begin());
  return id;
}

std::string to_hex(const KeyId& id) {
  char out[2 * kKeyIdBytes + 1];
  sodium_bin2hex(out, sizeof out, id.data(), id.size());
  return out;
}

}  // namespace utask::persistence

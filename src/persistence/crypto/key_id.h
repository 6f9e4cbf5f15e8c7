#pragma once
// The id a blob carries to name its key: 8 bytes, stable for a key across restarts and hosts,
// and revealing nothing of the material. It is the first 8 bytes of BLAKE2b-256 keyed with the
// material over a fixed label, the cipher name and the timestamp, so the same bytes configured
// with another cipher or timestamp are another key. Changing this derivation would orphan every
// stored blob.

#include <array>
#include <cstdint>
#include <string>

#include "config/encryption_keys.h"

namespace utask::persistence {

inline constexpr size_t kKeyIdBytes = 8;
using KeyId = std::array<unsigned char, kKeyIdBytes>;

// REQUIRES: libsodium initialised; 16 <= material_size <= 64 (BLAKE2b key limits; keys are 32).
KeyId derive_key_id(config::Cipher cipher, int64_t timestamp, const unsigned char* material,
                    size_t material_size);

// Lower-case hex, 16 characters: the form ids take in messages.
std::string to_hex(const KeyId& id);

}  // namespace utask::persistence

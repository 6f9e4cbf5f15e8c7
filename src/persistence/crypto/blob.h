#pragma once
// The format of an encrypted value ("blob") and of the additional data that binds it to its
// place in the database.
//
// Blob, format 1:
//
//   offset 0   format byte, 0x01
//   offset 1   key id, 8 bytes (key_id.h)
//   offset 9   nonce, random, nonce_length(cipher of that key) bytes (24 for xchacha20-poly1305,
//              12 for chacha20-poly1305 and aes-gcm)
//   then       ciphertext (as long as the plaintext) followed by the 16-byte tag
//
// So an xchacha20-poly1305 blob is 49 bytes longer than its plaintext. A blob is binary (a SQL
// BLOB / bytea), never text.
//
// Additional data (authenticated, not stored), format 1:
//
//   format byte ‖ key id ‖ u64be(|table|) ‖ table ‖ u64be(|column|) ‖ column ‖ u64be(|row|) ‖ row
//
// The length prefixes make it unambiguous ("ab"+"c" never equals "a"+"bc"), so a blob copied to
// another table, column or row — or with its header edited — fails authentication.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "persistence/crypto/key_id.h"

namespace utask::persistence {

inline constexpr uint8_t kBlobFormat = 1;
inline constexpr size_t kBlobHeaderBytes = 1 + kKeyIdBytes;

// Where a blob lives. `row` is the row's stable identity (e.g. a task's public id), never a
// value that changes with the row's content.
struct Aad {
  std::string table;
  std::string column;
  std::string row;
};

// The additional data of a format-1 blob under `key_id` at `where`.
std::string additional_data(const KeyId& key_id, const Aad& where);

struct BlobHeader {
  uint8_t format = 0;
  KeyId key_id{};
};

// The header of `blob`; nullopt when it is shorter than a header. The format byte is returned
// as found (callers check it against kBlobFormat).
std::optional<BlobHeader> read_blob_header(std::string_view blob);

}  // namespace utask::persistence

#pragma once
// The key of the embedded default when no `encryption-key` is configured: a key file next to the
// database, created on first start and reused afterwards. Losing the file loses the data it
// encrypts, so the caller logs where it is.
//
// The file holds one symmecrypt key configuration, the same JSON as an `encryption-key` item:
//   {"identifier":"storage","cipher":"xchacha20-poly1305","timestamp":1764250000,"key":"<64 hex>"}
// so it can be moved into the configuration as it is.

#include <filesystem>

#include "config/encryption_keys.h"
#include "model/error.h"

namespace utask::persistence {

struct KeyFileKey {
  config::KeyConfig key;  // material decoded; a secret (see KeyRing::create)
  bool created = false;   // true when this call generated the file
};

// Reads the key at `path`, or creates it when no file exists there.
// Reading refuses a file that is not regular, grants any permission to group or others
// (mode & 077), is not valid JSON, is not an unsealed `storage` key of a supported cipher, or
// whose material does not decode.
// Creating writes a fresh random xchacha20-poly1305 key, identifier `storage`, timestamp now,
// with mode 0600: written to a temporary file, flushed, then linked into place, which fails if
// the name exists — so a crash leaves no partial key file and two processes starting together
// end up with the same key. The directory must exist.
// Errors (invalid_config) name the path and never quote the key.
Result<KeyFileKey> load_or_create_key_file(const std::filesystem::path& path);

}  // namespace utask::persistence

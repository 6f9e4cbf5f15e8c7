#pragma once
// The expected host key of `ssh` (our addition to actions.md §9, whose original accepts any
// host key): either the SHA256 fingerprint as `ssh-keygen -lf` prints it
// (`SHA256:<base64, unpadded>`), or the public key as in a .pub or known_hosts file
// (`<type> <base64 blob> [comment]`).

#include <string>
#include <string_view>

#include "model/error.h"

namespace utask::actions {

class ExpectedHostKey {
 public:
  // Fails (invalid_template) with `invalid host_key "<v>": ...`.
  static Result<ExpectedHostKey> parse(std::string_view text);

  // Whether the key the server presented matches: `blob` is its wire encoding (what
  // libssh2_session_hostkey returns), `sha256` the raw 32-byte digest of the blob.
  bool matches(std::string_view blob, std::string_view sha256) const;

 private:
  std::string fingerprint_;  // raw digest, when given as SHA256:...
  std::string blob_;         // raw key blob, when given as a public key
};

// `SHA256:<base64, unpadded>` of a raw digest, the form ssh-keygen prints.
std::string sha256_fingerprint_text(std::string_view sha256);

}  // namespace utask::actions

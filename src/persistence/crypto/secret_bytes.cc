#include "persistence/crypto/secret_bytes.h"

#include <sodium.h>

#include <cstring>
#include <utility>

#include "persistence/crypto/cipher.h"

namespace utask::persistence {

Result<SecretBytes> SecretBytes::copy_of(std::string_view bytes) {
  if (auto init = init_sodium(); !init) return init.error();
  // sodium_malloc(0) is valid but pointless; keep one byte so data() is never null.
  auto* p = static_cast<unsigned char*>(sodium_malloc(bytes.empty() ? 1 : bytes.size()));
  if (p == nullptr) return Error::internal("cannot allocate guarded memory for key material");
  if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
  // sodium_malloc already mlock()s the pages; read-only from now on guards against stray writes
  // while staying safe for concurrent readers (unlike toggling no-access around each use).
  sodium_mprotect_readonly(p);
  return SecretBytes(p, bytes.size());
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

SecretBytes::~SecretBytes() { release(); }

void SecretBytes::release() {
  // sodium_free makes the region writable, zeroes it, unlocks and unmaps it.
  if (data_ != nullptr) sodium_free(data_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace utask::persistence

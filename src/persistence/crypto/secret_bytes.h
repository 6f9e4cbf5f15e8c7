#pragma once
// Key material in libsodium's guarded heap: locked in RAM where the system allows it (not
// swapped), left out of core dumps, fenced by guard pages, read-only once filled, and wiped when
// freed. Move-only, so a secret has exactly one owner; it has no printing on purpose.

#include <cstddef>
#include <string_view>

#include "model/error.h"

namespace utask::persistence {

class SecretBytes {
 public:
  // A guarded copy of `bytes`. Fails only when the guarded heap cannot allocate (or libsodium
  // cannot initialise).
  static Result<SecretBytes> copy_of(std::string_view bytes);

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  const unsigned char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  SecretBytes(unsigned char* data, size_t size) : data_(data), size_(size) {}
  void release();

  unsigned char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace utask::persistence

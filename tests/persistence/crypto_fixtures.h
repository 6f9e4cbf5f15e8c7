#pragma once
// Shared by the encryption tests: key configurations with known material, and a temporary
// directory removed at scope exit.

#include <gtest/gtest.h>
#include <sodium.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/temp_dir.h"
#include "config/encryption_keys.h"

namespace utask::persistence::testing {

// 32 bytes of material that differ per `seed`, so each test key is distinct.
inline std::string material(char seed) {
  std::string m(32, '\0');
  for (size_t i = 0; i < m.size(); ++i) m[i] = static_cast<char>(seed * 31 + i * 7 + 1);
  return m;
}

inline config::KeyConfig key(config::Cipher cipher, int64_t timestamp, char seed) {
  config::KeyConfig k;
  k.identifier = config::kStorageKeyIdentifier;
  k.cipher = cipher;
  k.timestamp = timestamp;
  k.material = material(seed);
  return k;
}

inline std::string hex(const std::string& bytes) {
  std::string out(2 * bytes.size() + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

inline std::string base64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();
  return out;
}

// True when `text` shows `secret` raw, in hex (either case) or in Base64, or its first 8 bytes
// in hex.
inline bool leaks(const std::string& text, const std::string& secret) {
  std::string upper = hex(secret);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& form :
       {secret, hex(secret), upper, base64(secret), hex(secret.substr(0, 8))})
    if (text.find(form) != std::string::npos) return true;
  return false;
}

// Test names per cipher: "xchacha20_poly1305", ...
inline std::string cipher_name(const ::testing::TestParamInfo<config::Cipher>& param) {
  std::string name = config::to_string(param.param);
  for (auto& ch : name)
    if (ch == '-') ch = '_';
  return name;
}

using TempDir = utask::testing::TempDir;

}  // namespace utask::persistence::testing

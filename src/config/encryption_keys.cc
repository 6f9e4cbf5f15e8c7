#include "config/encryption_keys.h"

#include <sodium.h>

#include <algorithm>

#include "config/fields.h"

namespace utask::config {
namespace {

using detail::fail;
using detail::Fields;

constexpr const char* kCipherNames[] = {"aes-gcm", "chacha20-poly1305", "xchacha20-poly1305"};

Error key_error(std::string_view field, std::string_view message) {
  return detail::item_error(kEncryptionKeyItem, field, message);
}

}  // namespace

const char* to_string(Cipher c) { return kCipherNames[static_cast<int>(c)]; }

std::optional<Cipher> cipher_from_string(std::string_view s) {
  for (int i = 0; i < 3; ++i)
    if (s == kCipherNames[i]) return static_cast<Cipher>(i);
  return std::nullopt;
}

size_t key_length(Cipher) { return 32; }

std::optional<std::string> decode_key_material(std::string_view text, size_t length) {
  if (text.size() == length) return std::string(text);
  std::string out(length, '\0');
  size_t out_len = 0;
  if (text.size() == 2 * length) {
    if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                       text.size(), nullptr, &out_len, nullptr) == 0 &&
        out_len == length)
      return out;
    sodium_memzero(out.data(), out.size());
    return std::nullopt;
  }
  if (text.size() == sodium_base64_ENCODED_LEN(length, sodium_base64_VARIANT_ORIGINAL) - 1) {
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &out_len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) == 0 &&
        out_len == length)
      return out;
    sodium_memzero(out.data(), out.size());
  }
  return std::nullopt;
}

Result<KeyConfig> parse_key_config(std::string_view value) {
  auto json = detail::parse_item_json(kEncryptionKeyItem, value);
  if (!json) return json.error();
  KeyConfig k;
  std::string cipher_name;
  try {
    Fields f = Fields::of(*json, "");
    k.identifier = f.string("identifier");
    cipher_name = f.string("cipher");
    k.timestamp = f.integer("timestamp", 0);
    k.sealed = f.boolean("sealed", false);
    k.material = f.string("key");
  } catch (const detail::FieldError& e) {
    return detail::item_error(kEncryptionKeyItem, e);
  }
  if (k.identifier != kStorageKeyIdentifier) return k;  // another family: not ours to check
  auto cipher = cipher_from_string(cipher_name);
  if (!cipher)
    return key_error("cipher", "cipher \"" + cipher_name +
                                   "\" is not supported (supported: aes-gcm, chacha20-poly1305, "
                                   "xchacha20-poly1305)");
  k.cipher = *cipher;
  if (k.sealed) return k;
  if (sodium_init() < 0) return Error::internal("libsodium failed to initialise");
  size_t n = key_length(k.cipher);
  auto raw = decode_key_material(k.material, n);
  size_t given = k.material.size();
  sodium_memzero(k.material.data(), k.material.size());
  if (!raw)
    return key_error("key", "key material for " + cipher_name + " must be " + std::to_string(n) +
                                " raw bytes, " + std::to_string(2 * n) +
                                " hexadecimal characters or " +
                                std::to_string(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) - 1) +
                                " Base64 characters (got " + std::to_string(given) + " characters)");
  k.material = std::move(*raw);
  return k;
}

Result<std::optional<KeyRing>> select_storage_keys(std::vector<KeyConfig> keys) {
  std::vector<KeyConfig> storage;
  for (auto& k : keys)
    if (k.identifier == kStorageKeyIdentifier) storage.push_back(std::move(k));
  if (storage.empty()) return std::optional<KeyRing>{};
  // Newest first; on equal timestamps sealed keys first.
  std::stable_sort(storage.begin(), storage.end(), [](const KeyConfig& a, const KeyConfig& b) {
    if (a.timestamp != b.timestamp) return a.timestamp > b.timestamp;
    return a.sealed && !b.sealed;
  });
  if (storage.size() > 1 && storage[0].timestamp == storage[1].timestamp &&
      storage[0].sealed == storage[1].sealed)
    return key_error("timestamp", "ambiguous config: several encryption keys conflicting for 'storage' "
                                  "(same timestamp " + std::to_string(storage[0].timestamp) + ")");
  if (!storage[0].sealed)
    for (const auto& older : storage)
      if (older.sealed)
        return key_error("sealed", "the newest 'storage' key (timestamp " +
                                       std::to_string(storage[0].timestamp) +
                                       ") is not sealed while an older one is: refusing a "
                                       "suspected downgrade");
  return std::optional<KeyRing>{KeyRing{std::move(storage)}};
}

Result<std::optional<KeyRing>> storage_key_ring(const std::vector<std::string>& item_values) {
  std::vector<KeyConfig> keys;
  for (const auto& v : item_values) {
    auto k = parse_key_config(v);
    if (!k) return k.error();
    keys.push_back(std::move(*k));
  }
  auto ring = select_storage_keys(std::move(keys));
  if (!ring || !ring->has_value()) return ring;
  for (const auto& k : (*ring)->keys)
    if (k.sealed)
      return key_error("sealed", "sealed 'storage' key (timestamp " + std::to_string(k.timestamp) +
                                     ") is not supported: no unsealing service is available; "
                                     "configure the key unsealed");
  return ring;
}

}  // namespace utask::config

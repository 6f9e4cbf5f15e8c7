#include "persistence/crypto/key_ring.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>

namespace utask::persistence {
namespace {

std::string key_label(config::Cipher cipher, int64_t timestamp) {
  return std::string("'storage' key (") + config::to_string(cipher) + ", timestamp " +
         std::to_string(timestamp) + ")";
}

std::string place(const Aad& where) {
  return where.table + "." + where.column + " of row " + where.row;
}

Error key_error(std::string message) {
  return Error::invalid_config(std::move(message), config::kEncryptionKeyItem);
}

void wipe(std::string& s) {
  sodium_memzero(s.data(), s.size());
  s.clear();
}

}  // namespace

Result<KeyRing> KeyRing::create(config::KeyRing keys) {
  // Whatever happens below, the plain copies of the material do not outlive this call.
  struct Wiper {
    config::KeyRing& ring;
    ~Wiper() {
      for (auto& k : ring.keys) wipe(k.material);
    }
  } wiper{keys};

  if (auto init = init_sodium(); !init) return init.error();
  if (keys.keys.empty()) return key_error("the storage key ring holds no key");
  std::stable_sort(keys.keys.begin(), keys.keys.end(),
                   [](const auto& a, const auto& b) { return a.timestamp > b.timestamp; });
  if (keys.keys.size() > 1 && keys.keys[0].timestamp == keys.keys[1].timestamp)
    return key_error("ambiguous config: several encryption keys conflicting for 'storage' (same "
                     "timestamp " + std::to_string(keys.keys[0].timestamp) + ")");

  std::vector<Key> ring;
  ring.reserve(keys.keys.size());
  for (const auto& k : keys.keys) {
    const std::string label = key_label(k.cipher, k.timestamp);
    if (k.sealed) return key_error(label + " is sealed, and no unsealing service is available");
    if (k.material.size() != kCipherKeyBytes)
      return key_error(label + ": key material must be " + std::to_string(kCipherKeyBytes) +
                       " bytes once decoded (got " + std::to_string(k.material.size()) + ")");
    if (auto ok = cipher_available(k.cipher); !ok)
      return key_error(label + ": " + ok.error().message);
    auto material = SecretBytes::copy_of(k.material);
    if (!material) return material.error();
    KeyId id = derive_key_id(k.cipher, k.timestamp, material->data(), material->size());
    ring.push_back(Key{id, k.cipher, k.timestamp, std::move(*material)});
  }
  return KeyRing(std::move(ring));
}

Result<std::string> KeyRing::encrypt(std::string_view plaintext, const Aad& where) const {
  const Key& key = keys_.front();
  const size_t nonce_bytes = nonce_length(key.cipher);
  std::string blob;
  blob.reserve(kBlobHeaderBytes + nonce_bytes + plaintext.size() + kCipherTagBytes);
  blob.push_back(static_cast<char>(kBlobFormat));
  blob.append(reinterpret_cast<const char*>(key.id.data()), key.id.size());
  blob.resize(kBlobHeaderBytes + nonce_bytes);
  randombytes_buf(blob.data() + kBlobHeaderBytes, nonce_bytes);
  const std::string nonce = blob.substr(kBlobHeaderBytes, nonce_bytes);
  if (auto sealed = aead_seal(key.cipher, key.material.data(), nonce, plaintext,
                              additional_data(key.id, where), blob);
      !sealed)
    return Error::internal("cannot encrypt " + place(where) + ": " + sealed.error().message);
  return blob;
}

Result<std::string> KeyRing::decrypt(std::string_view blob, const Aad& where) const {
  auto header = read_blob_header(blob);
  if (!header)
    return Error::internal("cannot decrypt " + place(where) + ": malformed encrypted value (" +
                           std::to_string(blob.size()) + " bytes, shorter than its header)");
  if (header->format != kBlobFormat) {
    char hex[5];
    std::snprintf(hex, sizeof hex, "0x%02x", header->format);
    return Error::internal("cannot decrypt " + place(where) + ": unknown encrypted value format " +
                           hex + " (this version reads format 0x01)");
  }
  bool known = false;
  for (const Key& key : keys_) {
    if (key.id != header->key_id) continue;
    known = true;
    const size_t nonce_bytes = nonce_length(key.cipher);
    if (blob.size() < kBlobHeaderBytes + nonce_bytes + kCipherTagBytes)
      return Error::internal("cannot decrypt " + place(where) + ": malformed encrypted value (" +
                             std::to_string(blob.size()) + " bytes, too short for " +
                             config::to_string(key.cipher) + ")");
    auto plain =
        aead_open(key.cipher, key.material.data(), blob.substr(kBlobHeaderBytes, nonce_bytes),
                  blob.substr(kBlobHeaderBytes + nonce_bytes), additional_data(key.id, where));
    if (plain) return std::move(*plain);
  }
  if (!known)
    return key_error("cannot decrypt " + place(where) + ": no key with id " +
                     to_hex(header->key_id) + " in the " + describe() +
                     "; was a key removed before key rotation finished?");
  return Error::internal("cannot decrypt " + place(where) + " with key " + to_hex(header->key_id) +
                         ": authentication failed (the value belongs to another row, column or "
                         "table, or was altered)");
}

bool KeyRing::needs_reencryption(std::string_view blob) const {
  auto header = read_blob_header(blob);
  return !header || header->format != kBlobFormat || header->key_id != current_key_id();
}

std::string KeyRing::describe() const {
  std::string out = "storage key ring of " + std::to_string(keys_.size()) +
                    (keys_.size() == 1 ? " key: " : " keys: ");
  for (size_t i = 0; i < keys_.size(); ++i) {
    const Key& k = keys_[i];
    if (i > 0) out += ", ";
    out += to_hex(k.id) + " (" + config::to_string(k.cipher) + ", timestamp " +
           std::to_string(k.timestamp) + (i == 0 ? ", current)" : ")");
  }
  return out;
}

}  // namespace utask::persistence

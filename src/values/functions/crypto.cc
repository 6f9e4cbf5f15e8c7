// sprig's hashes and crypto functions that produce no keys or certificates: sha1sum,
// sha256sum, sha512sum, adler32sum, bcrypt, htpasswd, derivePassword, encryptAES, decryptAES,
// randBytes, uuidv4. (genPrivateKey and the certificate builders are left out on purpose.)

#include <crypt.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <map>

#include "values/functions/families.h"
#include "values/functions/go_base.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

std::string hex(const unsigned char* p, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

std::string digest_hex(const EVP_MD* md, const std::string& in) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(in.data(), in.size(), out, &len, md, nullptr);
  return hex(out, len);
}

uint32_t adler32(const std::string& in) {
  uint32_t a = 1, b = 0;
  for (unsigned char c : in) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

std::string bcrypt_hash(const std::string& password) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2a$", 10, nullptr, 0, setting, sizeof setting) == nullptr) {
    return "failed to encrypt string with bcrypt: salt generation failed";
  }
  crypt_data data{};
  // bcrypt reads at most 72 bytes, like Go's.
  const char* hashed = crypt_r(password.substr(0, 72).c_str(), setting, &data);
  if (hashed == nullptr || hashed[0] == '*') return "failed to encrypt string with bcrypt: hashing failed";
  return hashed;
}

std::string derive_password(uint32_t counter, const std::string& type, const std::string& password,
                            const std::string& user, const std::string& site) {
  static const std::map<std::string, std::vector<std::string>> templates = {
      {"maximum", {"anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"}},
      {"long",
       {"CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv", "CvccCvcvCvcvno",
        "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno",
        "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno", "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno",
        "CvccnoCvcvCvcc", "CvccCvcvnoCvcc", "CvccCvcvCvccno"}},
      {"medium", {"CvcnoCvc", "CvcCvcno"}},
      {"short", {"Cvcn"}},
      {"basic", {"aaanaaan", "aannaaan", "aaannaaa"}},
      {"pin", {"nnnn"}},
  };
  static const std::map<char, std::string> chars = {
      {'V', "AEIOU"},
      {'C', "BCDFGHJKLMNPQRSTVWXYZ"},
      {'v', "aeiou"},
      {'c', "bcdfghjklmnpqrstvwxyz"},
      {'A', "AEIOUBCDFGHJKLMNPQRSTVWXYZ"},
      {'a', "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz"},
      {'n', "0123456789"},
      {'o', "@&%?,=[]_:-+*$#!'^~;()/."},
      {'x', "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()"},
  };
  auto it = templates.find(type);
  if (it == templates.end()) return "cannot find password template " + type;
  auto be32 = [](std::string& s, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) s += char((v >> shift) & 0xFF);
  };
  const std::string seed_text = "com.lyndir.masterpassword";
  std::string salt = seed_text;
  be32(salt, uint32_t(user.size()));
  salt += user;
  unsigned char key[64];
  if (crypto_pwhash_scryptsalsa208sha256_ll(reinterpret_cast<const uint8_t*>(password.data()), password.size(),
                                            reinterpret_cast<const uint8_t*>(salt.data()), salt.size(), 32768, 8, 2,
                                            key, sizeof key) != 0) {
    return "failed to derive password: scrypt failed";
  }
  std::string message = seed_text;
  be32(message, uint32_t(site.size()));
  message += site;
  be32(message, counter);
  unsigned char seed[EVP_MAX_MD_SIZE];
  unsigned int seed_len = 0;
  HMAC(EVP_sha256(), key, sizeof key, reinterpret_cast<const unsigned char*>(message.data()), message.size(), seed,
       &seed_len);
  const std::string& temp = it->second[seed[0] % it->second.size()];
  std::string out;
  for (size_t i = 0; i < temp.size(); ++i) {
    const std::string& pass_chars = chars.at(temp[i]);
    out += pass_chars[seed[i + 1] % pass_chars.size()];
  }
  return out;
}

std::string aes_key(const std::string& password) {
  std::string key(32, '\0');
  for (size_t i = 0; i < 32 && i < password.size(); ++i) key[i] = password[i];
  return key;
}

// AES-256-CBC of whole blocks, no padding (the padding is sprig's own).
bool aes_cbc(bool encrypt, const std::string& key, const unsigned char* iv, const std::string& in, std::string& out) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return false;
  bool ok = EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), nullptr, reinterpret_cast<const unsigned char*>(key.data()), iv,
                              encrypt ? 1 : 0) == 1;
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  out.assign(in.size() + 16, '\0');
  int len = 0, fin = 0;
  ok = ok && EVP_CipherUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len,
                              reinterpret_cast<const unsigned char*>(in.data()), int(in.size())) == 1;
  ok = ok && EVP_CipherFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + len, &fin) == 1;
  EVP_CIPHER_CTX_free(ctx);
  out.resize(size_t(len + fin));
  return ok;
}

Result<Value> encrypt_aes(const std::string& password, const std::string& plaintext) {
  if (plaintext.empty()) return Value::string("");
  std::string content = plaintext;
  size_t padding = 16 - content.size() % 16;
  content.append(padding, char(padding));
  unsigned char iv[16];
  randombytes_buf(iv, sizeof iv);
  std::string cipher;
  if (!aes_cbc(true, aes_key(password), iv, content, cipher)) return call_error("crypto/aes: encryption failed");
  return Value::string(base64_encode(std::string(reinterpret_cast<char*>(iv), 16) + cipher, true));
}

Result<Value> decrypt_aes(const std::string& password, const std::string& crypt64) {
  if (crypt64.empty()) return Value::string("");
  auto crypt = base64_decode(crypt64, true);
  if (!crypt) return crypt.error();
  if (crypt->size() < 16) {
    // Go slices the decode buffer, whose capacity is DecodedLen(len(crypt64)).
    size_t capacity = crypt64.size() / 4 * 3;
    if (capacity < 16) {
      return call_error("runtime error: slice bounds out of range [:16] with capacity " + std::to_string(capacity));
    }
    return call_error("runtime error: slice bounds out of range [16:" + std::to_string(crypt->size()) + "]");
  }
  std::string body = crypt->substr(16);
  if (body.size() % 16 != 0) return call_error("crypto/cipher: input not full blocks");
  if (body.empty()) return call_error("runtime error: index out of range [-1]");
  std::string plain;
  if (!aes_cbc(false, aes_key(password), reinterpret_cast<const unsigned char*>(crypt->data()), body, plain)) {
    return call_error("crypto/aes: decryption failed");
  }
  long cut = long(plain.size()) - long(static_cast<unsigned char>(plain.back()));
  if (cut < 0) return call_error("runtime error: slice bounds out of range [:" + std::to_string(cut) + "]");
  return Value::string(plain.substr(0, size_t(cut)));
}

}  // namespace

std::string random_uuid_v4() {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  std::string h = hex(b, 16);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

void add_crypto_functions(FunctionTable& t) {
  t.add(row("sha1sum", "func(input string) string", "Hex SHA-1.", R"({{ sha1sum "hello" }})",
            [](FunctionCall& c) -> Result<Value> { return Value::string(digest_hex(EVP_sha1(), arg_string(c, 0))); }));
  t.add(
      row("sha256sum", "func(input string) string", "Hex SHA-256.", R"({{ sha256sum "hello" }})",
          [](FunctionCall& c) -> Result<Value> { return Value::string(digest_hex(EVP_sha256(), arg_string(c, 0))); }));
  t.add(
      row("sha512sum", "func(input string) string", "Hex SHA-512 (sprig 3.3).", R"({{ sha512sum "hello" }})",
          [](FunctionCall& c) -> Result<Value> { return Value::string(digest_hex(EVP_sha512(), arg_string(c, 0))); }));
  t.add(row("adler32sum", "func(input string) string", "Adler-32 checksum in decimal.", R"({{ adler32sum "hello" }})",
            [](FunctionCall& c) -> Result<Value> { return Value::string(std::to_string(adler32(arg_string(c, 0)))); }));
  t.add(row("bcrypt", "func(input string) string", "bcrypt hash ($2a$, cost 10).", R"({{ len (bcrypt "secret") }})",
            [](FunctionCall& c) -> Result<Value> { return Value::string(bcrypt_hash(arg_string(c, 0))); }));
  t.add(row("htpasswd", "func(username string, password string) string", "An htpasswd line with a bcrypt hash.",
            R"({{ hasPrefix "admin:$2a$10$" (htpasswd "admin" "secret") }})", [](FunctionCall& c) -> Result<Value> {
              const std::string& user = arg_string(c, 0);
              if (user.find(':') != std::string::npos) return Value::string("invalid username: " + user);
              return Value::string(user + ":" + bcrypt_hash(arg_string(c, 1)));
            }));
  t.add(row("derivePassword",
            "func(counter uint32, passwordType string, password string, user string, site string) string",
            "Master Password algorithm (scrypt + HMAC-SHA256).",
            R"({{ derivePassword 1 "long" "password" "user" "example.com" }})", [](FunctionCall& c) -> Result<Value> {
              return Value::string(derive_password(uint32_t(arg_int(c, 0)), arg_string(c, 1), arg_string(c, 2),
                                                   arg_string(c, 3), arg_string(c, 4)));
            }));
  t.add(row("encryptAES", "func(password string, plaintext string) (string, error)",
            "AES-256-CBC with a random IV, base64 (key: password padded to 32 bytes).",
            R"({{ encryptAES "secretkey" "plaintext" | decryptAES "secretkey" }})",
            [](FunctionCall& c) { return encrypt_aes(arg_string(c, 0), arg_string(c, 1)); }));
  t.add(row("decryptAES", "func(password string, crypt64 string) (string, error)", "Inverse of encryptAES.",
            R"({{ "30tEfhuJSVRhpG97XCuWgz2okj7L8vQ1s6V9zVUPeDQ=" | decryptAES "secretkey" }})",
            [](FunctionCall& c) { return decrypt_aes(arg_string(c, 0), arg_string(c, 1)); }));
  t.add(row("randBytes", "func(count int) (string, error)", "count random bytes, base64.", R"({{ len (randBytes 3) }})",
            [](FunctionCall& c) -> Result<Value> {
              int64_t n = arg_int(c, 0);
              if (n < 0) return call_error("runtime error: makeslice: len out of range");
              if (n > (int64_t(1) << 24)) return call_error("randBytes: count too large");
              std::string buf(size_t(n), '\0');
              randombytes_buf(buf.data(), buf.size());
              return Value::string(base64_encode(buf, true));
            }));
  t.add(row("uuidv4", "func() string", "A random UUID (version 4).", R"({{ len uuidv4 }})",
            [](FunctionCall&) -> Result<Value> { return Value::string(random_uuid_v4()); }));
}

}  // namespace utask::values::fn

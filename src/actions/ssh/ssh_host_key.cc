#include "actions/ssh/ssh_host_key.h"

#include "values/functions/go_base.h"

namespace utask::actions {
namespace {

constexpr std::string_view kSha256Prefix = "SHA256:";
constexpr size_t kSha256Size = 32;

Error invalid(std::string_view text, std::string_view why) {
  return Error::invalid_template("invalid host_key \"" + std::string(text) + "\": " + std::string(why));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// The base64 text, padded or not, decoded.
Result<std::string> decode_base64(std::string_view b64) {
  const bool padded = !b64.empty() && b64.back() == '=';
  return values::fn::base64_decode(b64, padded);
}

// A key blob starts with its type as an SSH string (uint32 length, then the name).
std::string blob_type(std::string_view blob) {
  if (blob.size() < 4) return "";
  const uint32_t n = (uint32_t(uint8_t(blob[0])) << 24) | (uint32_t(uint8_t(blob[1])) << 16) |
                     (uint32_t(uint8_t(blob[2])) << 8) | uint32_t(uint8_t(blob[3]));
  if (blob.size() - 4 < n) return "";
  return std::string(blob.substr(4, n));
}

}  // namespace

Result<ExpectedHostKey> ExpectedHostKey::parse(std::string_view raw) {
  const std::string_view text = trim(raw);
  ExpectedHostKey key;
  if (text.substr(0, kSha256Prefix.size()) == kSha256Prefix) {
    auto digest = decode_base64(text.substr(kSha256Prefix.size()));
    if (!digest || digest->size() != kSha256Size) return invalid(raw, "not a SHA256 fingerprint");
    key.fingerprint_ = std::move(*digest);
    return key;
  }
  // "<type> <base64> [comment]"
  const size_t space = text.find_first_of(" \t");
  if (space == std::string_view::npos) {
    return invalid(raw, "expected SHA256:<fingerprint> or \"<key type> <base64 key>\"");
  }
  const std::string_view type = text.substr(0, space);
  std::string_view rest = trim(text.substr(space));
  rest = rest.substr(0, rest.find_first_of(" \t"));
  auto blob = decode_base64(rest);
  if (!blob) return invalid(raw, blob.error().message);
  if (blob_type(*blob) != type) return invalid(raw, "the key is not of type " + std::string(type));
  key.blob_ = std::move(*blob);
  return key;
}

bool ExpectedHostKey::matches(std::string_view blob, std::string_view sha256) const {
  if (!fingerprint_.empty()) return sha256 == fingerprint_;
  return blob == blob_;
}

std::string sha256_fingerprint_text(std::string_view sha256) {
  return std::string(kSha256Prefix) + values::fn::base64_encode(sha256, false);
}

}  // namespace utask::actions

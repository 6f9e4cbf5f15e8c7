#include "values/functions/go_base.h"

#include <array>

#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

constexpr std::string_view kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kB32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::array<uint8_t, 256> decode_map(std::string_view alphabet) {
  std::array<uint8_t, 256> m;
  m.fill(0xFF);
  for (size_t i = 0; i < alphabet.size(); ++i) m[static_cast<unsigned char>(alphabet[i])] = uint8_t(i);
  return m;
}

Error corrupt(const char* what, size_t at) {
  return call_error(std::string("illegal ") + what + " data at input byte " + std::to_string(at));
}

}  // namespace

std::string base64_encode(std::string_view in, bool pad) {
  std::string out;
  size_t i = 0;
  auto b = [&](size_t k) { return uint32_t(static_cast<unsigned char>(in[k])); };
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = b(i) << 16 | b(i + 1) << 8 | b(i + 2);
    out += {kB64[n >> 18], kB64[(n >> 12) & 63], kB64[(n >> 6) & 63], kB64[n & 63]};
  }
  if (i + 1 == in.size()) {
    uint32_t n = b(i) << 16;
    out += {kB64[n >> 18], kB64[(n >> 12) & 63]};
    if (pad) out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = b(i) << 16 | b(i + 1) << 8;
    out += {kB64[n >> 18], kB64[(n >> 12) & 63], kB64[(n >> 6) & 63]};
    if (pad) out += "=";
  }
  return out;
}

// A port of Go's decodeQuantum loop (non-strict).
Result<std::string> base64_decode(std::string_view src, bool pad) {
  static const auto map = decode_map(kB64);
  std::string out;
  size_t si = 0;
  while (si < src.size()) {
    uint8_t dbuf[4] = {0, 0, 0, 0};
    size_t dlen = 4;
    bool trailing_garbage = false;
    size_t garbage_at = 0;
    for (size_t j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return out;
        if (j == 1 || pad) return corrupt("base64", si - j);
        dlen = j;
        break;
      }
      unsigned char in = static_cast<unsigned char>(src[si]);
      ++si;
      uint8_t v = map[in];
      if (v != 0xFF) {
        dbuf[j] = v;
        continue;
      }
      if (in == '\n' || in == '\r') {
        --j;
        continue;
      }
      if (!pad || in != '=') return corrupt("base64", si - 1);
      if (j == 0 || j == 1) return corrupt("base64", si - 1);
      if (j == 2) {
        while (si < src.size() && (src[si] == '\n' || src[si] == '\r')) ++si;
        if (si == src.size()) return corrupt("base64", src.size());
        if (src[si] != '=') return corrupt("base64", si - 1);
        ++si;
      }
      while (si < src.size() && (src[si] == '\n' || src[si] == '\r')) ++si;
      if (si < src.size()) {
        trailing_garbage = true;
        garbage_at = si;
      }
      dlen = j;
      break;
    }
    uint32_t val = uint32_t(dbuf[0]) << 18 | uint32_t(dbuf[1]) << 12 | uint32_t(dbuf[2]) << 6 | dbuf[3];
    char bytes[3] = {char(val >> 16), char(val >> 8), char(val)};
    if (dlen >= 2) out.append(bytes, dlen - 1);
    if (trailing_garbage) return corrupt("base64", garbage_at);
  }
  return out;
}

std::string base32_encode(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); i += 5) {
    uint8_t b[5] = {0, 0, 0, 0, 0};
    size_t n = std::min<size_t>(5, in.size() - i);
    for (size_t k = 0; k < n; ++k) b[k] = static_cast<uint8_t>(in[i + k]);
    uint8_t c[8] = {
        uint8_t(b[0] >> 3),
        uint8_t(((b[0] << 2) | (b[1] >> 6)) & 31),
        uint8_t((b[1] >> 1) & 31),
        uint8_t(((b[1] << 4) | (b[2] >> 4)) & 31),
        uint8_t(((b[2] << 1) | (b[3] >> 7)) & 31),
        uint8_t((b[3] >> 2) & 31),
        uint8_t(((b[3] << 3) | (b[4] >> 5)) & 31),
        uint8_t(b[4] & 31),
    };
    static const size_t chars_for[] = {0, 2, 4, 5, 7, 8};
    size_t used = chars_for[n];
    for (size_t k = 0; k < 8; ++k) out += k < used ? kB32[c[k]] : '=';
  }
  return out;
}

Result<std::string> base32_decode(std::string_view in) {
  static const auto map = decode_map(kB32);
  std::string src;
  for (char c : in) {
    if (c != '\n' && c != '\r') src += c;
  }
  std::string out;
  size_t olen = src.size();
  size_t pos = 0;
  bool end = false;
  while (pos < src.size() && !end) {
    uint8_t d[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t dlen = 8;
    for (size_t j = 0; j < 8;) {
      size_t left = src.size() - pos;
      if (left == 0) return corrupt("base32", olen - left - j);
      unsigned char ch = static_cast<unsigned char>(src[pos]);
      ++pos;
      left = src.size() - pos;
      if (ch == '=' && j >= 2 && left < 8) {
        if (left + j < 7) return corrupt("base32", olen);
        for (size_t k = 0; k < 7 - j; ++k) {
          if (left > k && src[pos + k] != '=') return corrupt("base32", olen - left + k - 1);
        }
        dlen = j;
        end = true;
        if (dlen == 1 || dlen == 3 || dlen == 6) return corrupt("base32", olen - left - 1);
        break;
      }
      d[j] = map[ch];
      if (d[j] == 0xFF) return corrupt("base32", olen - left - 1);
      ++j;
    }
    uint8_t o[5] = {
        uint8_t(d[0] << 3 | d[1] >> 2), uint8_t(d[1] << 6 | d[2] << 1 | d[3] >> 4),
        uint8_t(d[3] << 4 | d[4] >> 1), uint8_t(d[4] << 7 | d[5] << 2 | d[6] >> 3),
        uint8_t(d[6] << 5 | d[7]),
    };
    size_t n = dlen == 8 ? 5 : dlen == 7 ? 4 : dlen == 5 ? 3 : dlen == 4 ? 2 : dlen == 2 ? 1 : 0;
    out.append(reinterpret_cast<const char*>(o), n);
  }
  return out;
}

}  // namespace utask::values::fn

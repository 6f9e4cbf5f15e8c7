#include "values/functions/go_unicode.h"

#include <unicode/uchar.h>

namespace utask::values::fn {

std::pair<char32_t, int> decode_rune(std::string_view s) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c0 = b(0);
  if (c0 < 0x80) return {c0, 1};
  auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    if (cont(1)) return {char32_t((c0 & 0x1F) << 6 | (b(1) & 0x3F)), 2};
  } else if (c0 >= 0xE0 && c0 <= 0xEF) {
    if (cont(1) && cont(2)) {
      unsigned c1 = b(1);
      if ((c0 == 0xE0 && c1 < 0xA0) || (c0 == 0xED && c1 > 0x9F)) return {kRuneError, 1};
      return {char32_t((c0 & 0x0F) << 12 | (c1 & 0x3F) << 6 | (b(2) & 0x3F)), 3};
    }
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    if (cont(1) && cont(2) && cont(3)) {
      unsigned c1 = b(1);
      if ((c0 == 0xF0 && c1 < 0x90) || (c0 == 0xF4 && c1 > 0x8F)) return {kRuneError, 1};
      return {char32_t((c0 & 0x07) << 18 | (c1 & 0x3F) << 12 | (b(2) & 0x3F) << 6 | (b(3) & 0x3F)), 4};
    }
  }
  return {kRuneError, 1};
}

void append_rune(std::string& out, char32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  if (r < 0x80) {
    out.push_back(char(r));
  } else if (r < 0x800) {
    out.push_back(char(0xC0 | (r >> 6)));
    out.push_back(char(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(char(0xE0 | (r >> 12)));
    out.push_back(char(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(char(0x80 | (r & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (r >> 18)));
    out.push_back(char(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(char(0x80 | (r & 0x3F)));
  }
}

std::u32string to_runes(std::string_view s) {
  std::u32string out;
  while (!s.empty()) {
    auto [r, n] = decode_rune(s);
    out.push_back(r);
    s.remove_prefix(n);
  }
  return out;
}

std::string from_runes(const std::u32string& runes) {
  std::string out;
  for (char32_t r : runes) append_rune(out, r);
  return out;
}

size_t rune_count(std::string_view s) {
  size_t n = 0;
  while (!s.empty()) {
    s.remove_prefix(decode_rune(s).second);
    ++n;
  }
  return n;
}

namespace {
int8_t category(char32_t r) { return u_charType(UChar32(r)); }
}  // namespace

bool is_space(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0: return true;
  }
  if (r < 0x100) return false;
  return r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F ||
         r == 0x3000;
}

bool is_upper(char32_t r) {
  if (r < 0x80) return r >= 'A' && r <= 'Z';
  return category(r) == U_UPPERCASE_LETTER;
}
bool is_lower(char32_t r) {
  if (r < 0x80) return r >= 'a' && r <= 'z';
  return category(r) == U_LOWERCASE_LETTER;
}
bool is_title(char32_t r) { return r >= 0x80 && category(r) == U_TITLECASE_LETTER; }
bool is_letter(char32_t r) {
  if (r < 0x80) return (r | 0x20) >= 'a' && (r | 0x20) <= 'z';
  return (U_GET_GC_MASK(UChar32(r)) & U_GC_L_MASK) != 0;
}
bool is_digit(char32_t r) {
  if (r < 0x80) return r >= '0' && r <= '9';
  return category(r) == U_DECIMAL_DIGIT_NUMBER;
}
bool is_number(char32_t r) { return (U_GET_GC_MASK(UChar32(r)) & U_GC_N_MASK) != 0; }
bool is_punct(char32_t r) { return (U_GET_GC_MASK(UChar32(r)) & U_GC_P_MASK) != 0; }
bool is_print(char32_t r) {
  if (r == ' ') return true;
  if (r > 0x10FFFF) return false;
  return (U_GET_GC_MASK(UChar32(r)) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK | U_GC_P_MASK | U_GC_S_MASK)) != 0;
}

char32_t to_upper(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') ? r - 32 : r;
  return char32_t(u_toupper(UChar32(r)));
}
char32_t to_lower(char32_t r) {
  if (r < 0x80) return (r >= 'A' && r <= 'Z') ? r + 32 : r;
  return char32_t(u_tolower(UChar32(r)));
}
char32_t to_title(char32_t r) {
  if (r < 0x80) return to_upper(r);
  return char32_t(u_totitle(UChar32(r)));
}

namespace {
// strings.Map semantics: an invalid byte is replaced by U+FFFD only when the string has
// non-ASCII content to convert (Go's ToUpper keeps an all-ASCII string byte for byte).
template <class F>
std::string map_runes(std::string_view s, F f) {
  std::string out;
  out.reserve(s.size());
  bool ascii = true;
  for (char c : s) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    for (char c : s) out.push_back(char(f(char32_t(static_cast<unsigned char>(c)))));
    return out;
  }
  while (!s.empty()) {
    auto [r, n] = decode_rune(s);
    char32_t m = f(r);
    if (r == kRuneError && n == 1 && m == kRuneError) {
      append_rune(out, kRuneError);
    } else {
      append_rune(out, m);
    }
    s.remove_prefix(n);
  }
  return out;
}
}  // namespace

std::string to_upper(std::string_view s) {
  return map_runes(s, [](char32_t r) { return to_upper(r); });
}
std::string to_lower(std::string_view s) {
  return map_runes(s, [](char32_t r) { return to_lower(r); });
}

}  // namespace utask::values::fn

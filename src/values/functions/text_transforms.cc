#include "values/functions/text_transforms.h"

#include <vector>

#include "values/functions/go_unicode.h"

namespace utask::values::fn {

namespace {
// A Go string's `rune(str[i])` view: one byte as a rune (goutils' byte loops).
bool byte_is_space(unsigned char c) { return is_space(char32_t(c)); }
}  // namespace

std::string go_trim(std::string_view s, std::string_view cutset) {
  if (s.empty() || cutset.empty()) return std::string(s);
  std::u32string cut = to_runes(cutset);
  auto in_cut = [&](char32_t r) {
    for (char32_t c : cut) {
      if (c == r) return true;
    }
    return false;
  };
  bool ascii_cut = true;
  for (char c : cutset) ascii_cut = ascii_cut && static_cast<unsigned char>(c) < 0x80;
  size_t begin = 0, end = s.size();
  if (ascii_cut) {
    while (begin < end && in_cut(char32_t(static_cast<unsigned char>(s[begin])))) ++begin;
    while (end > begin && in_cut(char32_t(static_cast<unsigned char>(s[end - 1])))) --end;
    return std::string(s.substr(begin, end - begin));
  }
  while (begin < end) {
    auto [r, n] = decode_rune(s.substr(begin));
    if (!in_cut(r)) break;
    begin += size_t(n);
  }
  // Trailing runes: find the last rune start by decoding forward.
  while (end > begin) {
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80 && end - start < 4) --start;
    auto [r, n] = decode_rune(s.substr(start, end - start));
    if (start + size_t(n) != end) {  // not a full rune: the last byte alone is invalid
      start = end - 1;
      r = kRuneError;
    }
    if (!in_cut(r)) break;
    end = start;
  }
  return std::string(s.substr(begin, end - begin));
}

std::string go_trim_space(std::string_view s) {
  size_t begin = 0, end = s.size();
  while (begin < end) {
    auto [r, n] = decode_rune(s.substr(begin));
    if (!is_space(r) || (r == kRuneError && n == 1)) break;
    begin += size_t(n);
  }
  while (end > begin) {
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80 && end - start < 4) --start;
    auto [r, n] = decode_rune(s.substr(start, end - start));
    if (start + size_t(n) != end) break;
    if (!is_space(r)) break;
    end = start;
  }
  return std::string(s.substr(begin, end - begin));
}

std::string go_replace_all(std::string_view s, std::string_view old_s, std::string_view new_s) {
  std::string out;
  if (old_s.empty()) {
    // Go inserts `new` before every rune and at the end.
    out += new_s;
    while (!s.empty()) {
      int n = decode_rune(s).second;
      out += s.substr(0, size_t(n));
      out += new_s;
      s.remove_prefix(size_t(n));
    }
    return out;
  }
  size_t pos = 0;
  while (true) {
    size_t hit = s.find(old_s, pos);
    if (hit == std::string_view::npos) break;
    out += s.substr(pos, hit - pos);
    out += new_s;
    pos = hit + old_s.size();
  }
  out += s.substr(pos);
  return out;
}

namespace {
bool title_separator(char32_t r) {
  if (r <= 0x7F) {
    if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_') return false;
    return true;
  }
  if (is_letter(r) || is_digit(r)) return false;
  return is_space(r);
}
}  // namespace

std::string go_title(std::string_view s) {
  std::string out;
  char32_t prev = ' ';
  while (!s.empty()) {
    auto [r, n] = decode_rune(s);
    char32_t m = title_separator(prev) ? to_title(r) : r;
    prev = r;
    append_rune(out, m);
    s.remove_prefix(size_t(n));
  }
  return out;
}

std::string abbreviate_full(std::string_view str, long offset, long max_width) {
  if (str.empty()) return "";
  if (max_width < 4) return "";
  long len = long(str.size());
  if (len <= max_width) return std::string(str);
  if (offset > len) offset = len;
  if (long(static_cast<unsigned long>(len) - static_cast<unsigned long>(offset)) < max_width - 3) {
    offset = len - (max_width - 3);
  }
  if (offset <= 4) return std::string(str.substr(0, size_t(max_width - 3))) + "...";
  if (max_width < 7) return "";
  if (long(static_cast<unsigned long>(offset) + static_cast<unsigned long>(max_width) - 3) < len)
    return "..." + abbreviate_full(str.substr(size_t(offset)), 0, max_width - 3);
  return "..." + std::string(str.substr(size_t(len - (max_width - 3))));
}

std::string delete_white_space(std::string_view s) {
  std::string out;
  size_t count = 0;
  for (char c : s) {
    unsigned char b = static_cast<unsigned char>(c);
    if (!byte_is_space(b)) {
      append_rune(out, char32_t(b));
      ++count;
    }
  }
  if (count == s.size()) return std::string(s);
  return out;
}

std::string initials(std::string_view s) {
  std::string out;
  bool gap = true;
  for (char c : s) {
    unsigned char b = static_cast<unsigned char>(c);
    if (byte_is_space(b)) {
      gap = true;
    } else if (gap) {
      append_rune(out, char32_t(b));
      gap = false;
    }
  }
  return out;
}

std::string uncapitalize(std::string_view s) {
  if (s.empty()) return "";
  std::u32string runes = to_runes(s);
  bool next = true;
  for (char32_t& r : runes) {
    if (is_space(r)) {
      next = true;
    } else if (next) {
      r = to_lower(r);
      next = false;
    }
  }
  return from_runes(runes);
}

std::string swap_case(std::string_view s) {
  if (s.empty()) return "";
  std::u32string runes = to_runes(s);
  bool whitespace = true;
  for (char32_t& r : runes) {
    if (is_upper(r) || is_title(r)) {
      r = to_lower(r);
      whitespace = false;
    } else if (is_lower(r)) {
      if (whitespace) {
        r = to_title(r);
        whitespace = false;
      } else {
        r = to_upper(r);
      }
    } else {
      whitespace = is_space(r);
    }
  }
  return from_runes(runes);
}

std::string wrap_custom(std::string_view str, long width, std::string_view newline, bool long_words) {
  if (str.empty()) return "";
  std::string nl = newline.empty() ? "\n" : std::string(newline);
  if (width < 1) width = 1;
  long len = long(str.size());
  long offset = 0;
  std::string out;
  while (len - offset > width) {
    if (str[size_t(offset)] == ' ') {
      ++offset;
      continue;
    }
    long end = width + offset + 1;
    std::string_view window = str.substr(size_t(offset), size_t(end - offset));
    size_t last = window.rfind(' ');
    long space = last == std::string_view::npos ? offset - 1 : long(last) + offset;
    if (space >= offset) {
      out += str.substr(size_t(offset), size_t(space - offset));
      out += nl;
      offset = space + 1;
    } else if (long_words) {
      out += str.substr(size_t(offset), size_t(width));
      out += nl;
      offset += width;
    } else {
      long e = width + offset;
      size_t idx = str.substr(size_t(e)).find(' ');
      if (idx == std::string_view::npos) {
        out += str.substr(size_t(offset));
        offset = len;
      } else {
        long sp = long(idx) + e;
        out += str.substr(size_t(offset), size_t(sp - offset));
        out += nl;
        offset = sp + 1;
      }
    }
  }
  out += str.substr(size_t(offset));
  return out;
}

}  // namespace utask::values::fn

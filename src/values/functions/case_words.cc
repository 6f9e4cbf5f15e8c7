// xstrings' ToCamelCase, ToSnakeCase and ToKebabCase (word splitting by letter case, digits,
// connectors and punctuation), ported rune for rune.

#include "values/functions/go_unicode.h"
#include "values/functions/text_transforms.h"

namespace utask::values::fn {

namespace {

bool is_connector(char32_t r) { return r == '-' || r == '_' || is_space(r); }

bool is_alphabet(char32_t r) {
  if (!is_letter(r)) return false;
  if (r < 0x3400) return true;
  if (r >= 0x4E00 && r <= 0x9FCC) return false;
  if (r >= 0x3400 && r <= 0x4D85) return false;
  if (r >= 0x20000 && r <= 0x2B81D) return false;
  return true;
}

enum WordType { kInvalid, kNumber, kUpper, kAlphabet, kConnector, kPunct, kOther };

// utf8.DecodeRuneInString on an empty string gives (RuneError, 0).
std::pair<char32_t, size_t> decode(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  auto [r, n] = decode_rune(s);
  return {r, size_t(n)};
}

std::pair<char32_t, size_t> next_valid_rune(std::string_view s, char32_t prev) {
  size_t size = 0;
  while (!s.empty()) {
    auto [r, sz] = decode(s);
    size += sz;
    if (r != kRuneError) return {r, size};
    s.remove_prefix(sz);
  }
  return {prev, size};
}

struct Word {
  WordType type = kInvalid;
  std::string_view word, remaining;
};

Word next_word(std::string_view str) {
  Word w;
  if (str.empty()) return w;
  size_t offset = 0;
  std::string_view remaining = str;
  // Plain variables, not a structured binding: the lambda below captures them (clang < 16
  // cannot capture structured bindings).
  auto first = next_valid_rune(remaining, kRuneError);
  auto r = first.first;
  auto size = first.second;
  offset += size;
  if (r == kRuneError) {
    w.type = kInvalid;
    w.word = str.substr(0, offset);
    w.remaining = str.substr(offset);
    return w;
  }
  auto advance = [&](auto pred) {
    while (!remaining.empty()) {
      auto [r2, s2] = next_valid_rune(remaining, r);
      r = r2;
      size = s2;
      if (!pred(r)) break;
      offset += size;
      remaining.remove_prefix(size);
    }
  };
  if (is_connector(r)) {
    w.type = kConnector;
    remaining.remove_prefix(size);
    advance([](char32_t c) { return is_connector(c); });
  } else if (is_punct(r)) {
    w.type = kPunct;
    remaining.remove_prefix(size);
    advance([](char32_t c) { return is_punct(c); });
  } else if (is_upper(r)) {
    w.type = kUpper;
    remaining.remove_prefix(size);
    if (!remaining.empty()) {
      auto [r2, s2] = next_valid_rune(remaining, r);
      r = r2;
      size = s2;
      if (is_upper(r)) {
        size_t prev_size = size;
        offset += size;
        remaining.remove_prefix(size);
        while (!remaining.empty()) {
          auto [r3, s3] = next_valid_rune(remaining, r);
          r = r3;
          size = s3;
          if (!is_upper(r)) break;
          prev_size = size;
          offset += size;
          remaining.remove_prefix(size);
        }
        if (!remaining.empty() && is_alphabet(r)) {
          offset -= prev_size;
          remaining = str.substr(offset);
        }
      } else if (is_alphabet(r)) {
        offset += size;
        remaining.remove_prefix(size);
        advance([](char32_t c) { return is_alphabet(c) && !is_upper(c); });
      }
    }
  } else if (is_alphabet(r)) {
    w.type = kAlphabet;
    remaining.remove_prefix(size);
    advance([](char32_t c) { return is_alphabet(c) && !is_upper(c); });
  } else if (is_number(r)) {
    w.type = kNumber;
    remaining.remove_prefix(size);
    advance([](char32_t c) { return is_number(c); });
  } else {
    w.type = kOther;
    remaining.remove_prefix(size);
    while (!remaining.empty()) {
      auto [r2, s2] = next_valid_rune(remaining, r);
      r = r2;
      size = s2;
      if (size == 0 || is_connector(r) || is_alphabet(r) || is_number(r) || is_punct(r)) break;
      offset += size;
      remaining.remove_prefix(size);
    }
  }
  w.word = str.substr(0, offset);
  w.remaining = remaining;
  return w;
}

void lower_into(std::string& buf, WordType wt, std::string_view str, char32_t connector) {
  if (wt != kUpper && wt != kConnector) {
    buf += str;
    return;
  }
  while (!str.empty()) {
    auto [r, n] = decode_rune(str);
    str.remove_prefix(size_t(n));
    if (is_connector(r)) {
      append_rune(buf, connector);
    } else if (is_upper(r)) {
      append_rune(buf, to_lower(r));
    } else {
      append_rune(buf, r);
    }
  }
}

}  // namespace

std::string to_camel_case(std::string_view str) {
  if (str.empty()) return "";
  std::string buf;
  char32_t r0 = 0, r1 = 0;
  size_t size = 0;
  while (!str.empty()) {
    auto d = decode(str);
    r0 = d.first;
    size = d.second;
    str.remove_prefix(size);
    if (!is_connector(r0)) {
      r0 = to_upper(r0);
      break;
    }
    append_rune(buf, r0);
  }
  if (str.empty()) {
    if (size != 0) append_rune(buf, r0);
    return buf;
  }
  while (!str.empty()) {
    r1 = r0;
    auto d = decode(str);
    r0 = d.first;
    str.remove_prefix(d.second);
    if (is_connector(r0) && is_connector(r1)) {
      append_rune(buf, r1);
      continue;
    }
    if (is_connector(r1)) {
      r0 = to_upper(r0);
    } else {
      r0 = to_lower(r0);
      append_rune(buf, r1);
    }
  }
  append_rune(buf, r0);
  return buf;
}

std::string camel_to_lower(std::string_view str, char32_t connector) {
  if (str.empty()) return "";
  std::string buf;
  Word w = next_word(str);
  while (!w.remaining.empty()) {
    if (w.type != kConnector) lower_into(buf, w.type, w.word, connector);
    WordType prev = w.type;
    std::string_view last = w.word;
    w = next_word(w.remaining);
    switch (prev) {
      case kNumber:
        while (w.type == kAlphabet || w.type == kNumber) {
          lower_into(buf, w.type, w.word, connector);
          w = next_word(w.remaining);
        }
        if (w.type != kInvalid && w.type != kPunct && w.type != kConnector) append_rune(buf, connector);
        break;
      case kConnector: lower_into(buf, prev, last, connector); break;
      case kPunct: break;
      default: {
        if (w.type != kNumber) {
          if (w.type != kConnector && w.type != kPunct) append_rune(buf, connector);
          break;
        }
        if (w.remaining.empty()) break;
        std::string_view last2 = w.word;
        w = next_word(w.remaining);
        if (w.type != kAlphabet) {
          lower_into(buf, kNumber, last2, connector);
          if (w.type != kConnector && w.type != kPunct) append_rune(buf, connector);
          break;
        }
        append_rune(buf, connector);
        lower_into(buf, kNumber, last2, connector);
        while (w.type == kAlphabet || w.type == kNumber) {
          lower_into(buf, w.type, w.word, connector);
          w = next_word(w.remaining);
        }
        if (w.type != kInvalid && w.type != kConnector && w.type != kPunct) append_rune(buf, connector);
        break;
      }
    }
  }
  lower_into(buf, w.type, w.word, connector);
  return buf;
}

}  // namespace utask::values::fn

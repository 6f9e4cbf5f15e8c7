#include "values/go_unquote.h"

#include "values/functions/go_unicode.h"

namespace utask::values {
namespace {

Error syntax_error() { return Error::invalid_template("invalid syntax"); }

int unhex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Returns the rune, whether it must be written as a single byte (\x, octal), and the rest.
struct Unquoted {
  char32_t value;
  bool multibyte;
  std::string_view tail;
};

bool unquote_char(std::string_view s, char quote, Unquoted& out) {
  if (s.empty()) return false;
  unsigned char c = static_cast<unsigned char>(s[0]);
  if (c == static_cast<unsigned char>(quote) && (quote == '\'' || quote == '"')) return false;
  if (c >= 0x80) {
    auto [r, w] = fn::decode_rune(s);
    out = {r, true, s.substr(w)};
    return true;
  }
  if (c != '\\') {
    out = {c, false, s.substr(1)};
    return true;
  }
  if (s.size() <= 1) return false;
  char e = s[1];
  s = s.substr(2);
  switch (e) {
    case 'a':
      out = {'\a', false, s};
      return true;
    case 'b':
      out = {'\b', false, s};
      return true;
    case 'f':
      out = {'\f', false, s};
      return true;
    case 'n':
      out = {'\n', false, s};
      return true;
    case 'r':
      out = {'\r', false, s};
      return true;
    case 't':
      out = {'\t', false, s};
      return true;
    case 'v':
      out = {'\v', false, s};
      return true;
    case 'x':
    case 'u':
    case 'U': {
      size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (s.size() < n) return false;
      uint32_t v = 0;
      for (size_t j = 0; j < n; j++) {
        int x = unhex(s[j]);
        if (x < 0) return false;
        v = (v << 4) | static_cast<uint32_t>(x);
      }
      s = s.substr(n);
      if (e == 'x') {
        out = {v, false, s};
        return true;
      }
      if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) return false;
      out = {v, true, s};
      return true;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      uint32_t v = static_cast<uint32_t>(e - '0');
      if (s.size() < 2) return false;
      for (size_t j = 0; j < 2; j++) {
        int x = s[j] - '0';
        if (x < 0 || x > 7) return false;
        v = (v << 3) | static_cast<uint32_t>(x);
      }
      if (v > 255) return false;
      out = {v, false, s.substr(2)};
      return true;
    }
    case '\\':
      out = {'\\', false, s};
      return true;
    case '\'':
    case '"':
      if (e != quote) return false;
      out = {static_cast<char32_t>(e), false, s};
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<std::pair<char32_t, std::string>> go_unquote_char(std::string_view s, char quote) {
  Unquoted u;
  if (!unquote_char(s, quote, u)) return syntax_error();
  return std::pair<char32_t, std::string>{u.value, std::string(u.tail)};
}

Result<std::string> go_unquote(std::string_view in) {
  if (in.size() < 2) return syntax_error();
  char quote = in[0];
  if (quote != in.back()) return syntax_error();
  std::string_view s = in.substr(1, in.size() - 2);
  if (quote == '`') {
    if (s.find('`') != std::string_view::npos) return syntax_error();
    std::string out;
    for (char c : s)
      if (c != '\r') out += c;
    return out;
  }
  if (quote != '"' && quote != '\'') return syntax_error();
  if (s.find('\n') != std::string_view::npos) return syntax_error();
  std::string out;
  while (!s.empty()) {
    Unquoted u;
    if (!unquote_char(s, quote, u)) return syntax_error();
    s = u.tail;
    if (u.value < 0x80 || !u.multibyte) {
      if (u.value < 0x100 && !u.multibyte)
        out += static_cast<char>(u.value);
      else
        fn::append_rune(out, u.value);
    } else {
      fn::append_rune(out, u.value);
    }
    if (quote == '\'' && !s.empty()) return syntax_error();
  }
  if (quote == '\'' && out.empty()) return syntax_error();
  return out;
}

bool go_underscore_ok(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' && ((s[1] | 0x20) == 'b' || (s[1] | 0x20) == 'o' || (s[1] | 0x20) == 'x')) {
    i = 2;
    saw = '0';
    hex = (s[1] | 0x20) == 'x';
  }
  for (; i < s.size(); i++) {
    char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

}  // namespace utask::values

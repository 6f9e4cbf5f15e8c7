// encoding/json's Unmarshal into interface{}: its syntax errors word for word (the scanner's
// "invalid character 'x' after object key" family), numbers as float64, invalid UTF-8 and lone
// surrogates replaced by U+FFFD, the last of duplicate keys kept.

#include <cmath>
#include <cstdlib>

#include "values/functions/go_json.h"
#include "values/functions/go_unicode.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

// Go allows 10000 levels; fewer here, as the decoder recurses and may run on a small thread
// stack (a deliberate difference; real documents are far shallower).
constexpr int kMaxDepth = 1000;

// scanner's quoteChar: the byte shown as a Go quoted rune.
std::string quote_char(unsigned char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  std::string s;
  append_rune(s, char32_t(c));
  std::string q = go_quote(s);
  return "'" + q.substr(1, q.size() - 2) + "'";
}

class Decoder {
 public:
  explicit Decoder(std::string_view s) : s_(s) {}

  Result<Value> run(Value* partial) {
    Value v;
    if (!value(v, 0)) return call_error(error_);
    skip_ws();
    if (pos_ < s_.size()) return call_error("invalid character " + quote_char(c()) + " after top-level value");
    if (!first_type_error_.empty()) {
      if (partial) *partial = std::move(v);
      return call_error(first_type_error_);
    }
    return v;
  }

 private:
  unsigned char c() const { return static_cast<unsigned char>(s_[pos_]); }
  bool at_end() const { return pos_ >= s_.size(); }
  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool fail(const std::string& what) {
    error_ = at_end() ? "unexpected end of JSON input" : "invalid character " + quote_char(c()) + " " + what;
    return false;
  }
  // Inside a token Go's scanner meets the end of input as a space (scanner.eof steps ' '), so
  // a cut literal, number or escape reports "invalid character ' ' ...".
  bool fail_in_token(const std::string& what) {
    error_ = "invalid character " + quote_char(at_end() ? ' ' : c()) + " " + what;
    return false;
  }

  bool value(Value& out, int depth) {
    skip_ws();
    if (at_end()) return fail("");
    switch (c()) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        std::string str;
        if (!string(str)) return false;
        out = Value::string(std::move(str));
        return true;
      }
      case 't': return literal("true", Value::boolean(true), out);
      case 'f': return literal("false", Value::boolean(false), out);
      case 'n': return literal("null", Value::nil(), out);
      default:
        if (c() == '-' || (c() >= '0' && c() <= '9')) return number(out);
        return fail("looking for beginning of value");
    }
  }

  bool literal(std::string_view word, Value v, Value& out) {
    ++pos_;
    for (size_t i = 1; i < word.size(); ++i) {
      if (at_end() || s_[pos_] != word[i]) {
        return fail_in_token("in literal " + std::string(word) + " (expecting " +
                             quote_char(static_cast<unsigned char>(word[i])) + ")");
      }
      ++pos_;
    }
    out = std::move(v);
    return true;
  }

  bool digits() {
    size_t start = pos_;
    while (!at_end() && c() >= '0' && c() <= '9') ++pos_;
    return pos_ > start;
  }

  bool number(Value& out) {
    size_t start = pos_;
    if (c() == '-') {
      ++pos_;
      if (at_end() || !(c() >= '0' && c() <= '9')) return fail_in_token("in numeric literal");
    }
    if (c() == '0') {
      ++pos_;
    } else {
      digits();
    }
    if (!at_end() && c() == '.') {
      ++pos_;
      if (at_end() || !(c() >= '0' && c() <= '9')) return fail_in_token("after decimal point in numeric literal");
      digits();
    }
    if (!at_end() && (c() == 'e' || c() == 'E')) {
      ++pos_;
      if (!at_end() && (c() == '+' || c() == '-')) ++pos_;
      if (at_end() || !(c() >= '0' && c() <= '9')) return fail_in_token("in exponent of numeric literal");
      digits();
    }
    std::string text(s_.substr(start, pos_ - start));
    double d = std::strtod(text.c_str(), nullptr);
    if (std::isinf(d)) {
      if (first_type_error_.empty()) {
        first_type_error_ = "json: cannot unmarshal number " + text + " into Go value of type float64";
      }
      out = Value::nil();
      return true;
    }
    out = Value::floating(d);
    return true;
  }

  static int hexval(char h) {
    if (h >= '0' && h <= '9') return h - '0';
    if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f') return (h | 0x20) - 'a' + 10;
    return -1;
  }

  // The four hex digits after "\u" at p (already validated by the scan).
  char32_t u4(size_t p) const {
    char32_t r = 0;
    for (size_t i = 0; i < 4; ++i) r = r * 16 + char32_t(hexval(s_[p + i]));
    return r;
  }

  bool string(std::string& out) {
    ++pos_;  // opening quote
    while (true) {
      if (at_end()) return fail("");
      unsigned char ch = c();
      if (ch == '"') {
        ++pos_;
        return true;
      }
      if (ch < 0x20) return fail("in string literal");
      if (ch == '\\') {
        ++pos_;
        if (at_end()) return fail_in_token("in string escape code");
        char e = s_[pos_];
        switch (e) {
          case 'b':
            out += '\b';
            ++pos_;
            break;
          case 'f':
            out += '\f';
            ++pos_;
            break;
          case 'n':
            out += '\n';
            ++pos_;
            break;
          case 'r':
            out += '\r';
            ++pos_;
            break;
          case 't':
            out += '\t';
            ++pos_;
            break;
          case '\\':
          case '/':
          case '"':
            out += e;
            ++pos_;
            break;
          case 'u': {
            ++pos_;
            for (int i = 0; i < 4; ++i) {
              if (at_end() || hexval(s_[pos_]) < 0) return fail_in_token("in \\u hexadecimal character escape");
              ++pos_;
            }
            char32_t r = u4(pos_ - 4);
            if (r >= 0xD800 && r < 0xDC00) {
              // A high surrogate: combine with a following \uDC00-\uDFFF, else U+FFFD.
              if (pos_ + 6 <= s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
                bool hex_ok = true;
                for (int i = 0; i < 4; ++i) hex_ok = hex_ok && hexval(s_[pos_ + 2 + size_t(i)]) >= 0;
                if (hex_ok) {
                  char32_t r2 = u4(pos_ + 2);
                  if (r2 >= 0xDC00 && r2 < 0xE000) {
                    append_rune(out, 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00));
                    pos_ += 6;
                    break;
                  }
                }
              }
              append_rune(out, kRuneError);
            } else if (r >= 0xDC00 && r < 0xE000) {
              append_rune(out, kRuneError);
            } else {
              append_rune(out, r);
            }
            break;
          }
          default: return fail_in_token("in string escape code");
        }
        continue;
      }
      if (ch < 0x80) {
        out += char(ch);
        ++pos_;
        continue;
      }
      auto [r, n] = decode_rune(s_.substr(pos_));
      if (r == kRuneError && n == 1) {
        append_rune(out, kRuneError);
      } else {
        out.append(s_.substr(pos_, size_t(n)));
      }
      pos_ += size_t(n);
    }
  }

  bool array(Value& out, int depth) {
    if (depth > kMaxDepth) {
      error_ = "exceeded max depth";
      return false;
    }
    ++pos_;
    List items;
    skip_ws();
    if (!at_end() && c() == ']') {
      ++pos_;
      out = Value::list(std::move(items));
      return true;
    }
    while (true) {
      Value v;
      if (!value(v, depth)) return false;
      items.push_back(std::move(v));
      skip_ws();
      if (at_end()) return fail("");
      if (c() == ',') {
        ++pos_;
        continue;
      }
      if (c() == ']') {
        ++pos_;
        out = Value::list(std::move(items));
        return true;
      }
      return fail("after array element");
    }
  }

  bool object(Value& out, int depth) {
    if (depth > kMaxDepth) {
      error_ = "exceeded max depth";
      return false;
    }
    ++pos_;
    Map entries;
    skip_ws();
    if (!at_end() && c() == '}') {
      ++pos_;
      out = Value::map(std::move(entries));
      return true;
    }
    while (true) {
      skip_ws();
      if (at_end()) return fail("");
      if (c() != '"') return fail("looking for beginning of object key string");
      std::string key;
      if (!string(key)) return false;
      skip_ws();
      if (at_end()) return fail("");
      if (c() != ':') return fail("after object key");
      ++pos_;
      Value v;
      if (!value(v, depth)) return false;
      entries.insert_or_assign(std::move(key), std::move(v));
      skip_ws();
      if (at_end()) return fail("");
      if (c() == ',') {
        ++pos_;
        continue;
      }
      if (c() == '}') {
        ++pos_;
        out = Value::map(std::move(entries));
        return true;
      }
      return fail("after object key:value pair");
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string error_;
  std::string first_type_error_;
};

}  // namespace

Result<Value> go_json_unmarshal(std::string_view text, Value* partial) {
  Decoder d(text);
  return d.run(partial);
}

}  // namespace utask::values::fn

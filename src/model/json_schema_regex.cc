// ECMA-262 patterns ("pattern", "patternProperties") run on RE2: RE2 guarantees linear time,
// which matters since schemas come from templates. The translation covers where the two
// dialects read the same text differently; what RE2 cannot do at all (lookaround,
// backreferences) is rejected with a clear message instead of a confusing RE2 one.

#include <re2/re2.h>

#include <cctype>
#include <cstdio>
#include <string>

#include "model/json_schema_internal.h"

namespace utask::model::json_schema_detail {
namespace {

// ECMA's \s: ASCII white space plus Unicode spaces, line terminators and the BOM.
constexpr const char* kSpaceItems =
    "\\t\\n\\v\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}"
    "\\x{3000}\\x{feff}";

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

bool read_hex4(const std::string& p, std::size_t at, unsigned& value) {
  if (at + 4 > p.size()) return false;
  value = 0;
  for (std::size_t i = at; i < at + 4; ++i) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(p[i])));
    if (!is_hex(c)) return false;
    value = value * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return true;
}

std::string code_point(unsigned cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\x{%x}", cp);
  return buf;
}

class Translator {
 public:
  explicit Translator(const std::string& pattern) : p_(pattern) {}

  // Empty error = success, the RE2 text is in out_.
  std::string run() {
    while (i_ < p_.size()) {
      std::string err = step();
      if (!err.empty()) return err;
    }
    return {};
  }
  const std::string& out() const { return out_; }

 private:
  std::string step() {
    char c = p_[i_];
    if (c == '\\') return escape();
    if (in_class_) {
      if (c == ']') in_class_ = false;
      out_ += c == '[' ? "\\[" : std::string(1, c);
      ++i_;
      return {};
    }
    if (c == '[') {
      if (p_.compare(i_, 3, "[^]") == 0) {
        out_ += "[\\x{0}-\\x{10ffff}]";
        i_ += 3;
      } else if (p_.compare(i_, 2, "[]") == 0) {
        out_ += "[^\\x{0}-\\x{10ffff}]";
        i_ += 2;
      } else {
        in_class_ = true;
        out_ += '[';
        ++i_;
        if (i_ < p_.size() && p_[i_] == '^') out_ += p_[i_++];
        // A ']' first in an ECMA class closes an empty class; RE2 would read it as a literal.
        if (i_ < p_.size() && p_[i_] == ']') return "empty character class";
      }
      return {};
    }
    if (c == '.') {
      out_ += "[^\\n\\r\\x{2028}\\x{2029}]";
      ++i_;
      return {};
    }
    if (c == '(' && i_ + 1 < p_.size() && p_[i_ + 1] == '?') return group();
    out_ += c;
    ++i_;
    return {};
  }

  std::string group() {
    std::string rest = p_.substr(i_ + 2, 2);
    if (rest.starts_with("=") || rest.starts_with("!")) return "lookahead is not supported";
    if (rest == "<=" || rest == "<!") return "lookbehind is not supported";
    if (rest.starts_with("<")) {
      out_ += "(?P<";
      i_ += 3;
      return {};
    }
    out_ += "(?";
    i_ += 2;
    return {};
  }

  std::string escape() {
    if (i_ + 1 >= p_.size()) return "pattern ends with a lone backslash";
    char c = p_[i_ + 1];
    i_ += 2;
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 't':
      case 'n':
      case 'r':
      case 'f':
      case 'v':
      case 'p':
      case 'P':
        out_ += '\\';
        out_ += c;
        return {};
      case 'b':
      case 'B':
        // Inside a class ECMA's \b is a backspace.
        out_ += in_class_ ? (c == 'b' ? "\\x{8}" : "B") : (c == 'b' ? "\\b" : "\\B");
        return {};
      case 's':
        out_ += in_class_ ? std::string(kSpaceItems) : "[" + std::string(kSpaceItems) + "]";
        return {};
      case 'S':
        // Inside a class a negated union cannot be written; RE2's ASCII \S is close enough.
        out_ += in_class_ ? std::string("\\S") : "[^" + std::string(kSpaceItems) + "]";
        return {};
      case 'u':
        return unicode_escape();
      case 'x':
        if (i_ + 2 <= p_.size() && is_hex(p_[i_]) && is_hex(p_[i_ + 1])) {
          out_ += "\\x" + p_.substr(i_, 2);
          i_ += 2;
        } else {
          out_ += 'x';
        }
        return {};
      case 'c':
        if (i_ < p_.size() && std::isalpha(static_cast<unsigned char>(p_[i_]))) {
          out_ += code_point(static_cast<unsigned>(p_[i_++]) % 32);
        } else {
          out_ += "\\\\c";
        }
        return {};
      case '0':
        if (i_ < p_.size() && std::isdigit(static_cast<unsigned char>(p_[i_]))) {
          return "octal escapes are not supported";
        }
        out_ += "\\x{0}";
        return {};
      case 'k':
        return "backreferences are not supported";
      default:
        break;
    }
    if (c >= '1' && c <= '9') return "backreferences are not supported";
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      out_ += c;  // ECMA identity escape: the letter itself
    } else {
      out_ += '\\';
      out_ += c;
    }
    return {};
  }

  std::string unicode_escape() {
    if (i_ < p_.size() && p_[i_] == '{') {
      std::size_t end = p_.find('}', i_);
      if (end == std::string::npos) return "unterminated \\u{...} escape";
      out_ += "\\x" + p_.substr(i_, end - i_ + 1);
      i_ = end + 1;
      return {};
    }
    unsigned high = 0;
    if (!read_hex4(p_, i_, high)) {
      out_ += 'u';
      return {};
    }
    i_ += 4;
    if (high >= 0xD800 && high <= 0xDBFF) {
      unsigned low = 0;
      if (p_.compare(i_, 2, "\\u") == 0 && read_hex4(p_, i_ + 2, low) && low >= 0xDC00 &&
          low <= 0xDFFF) {
        i_ += 6;
        out_ += code_point(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00));
        return {};
      }
      return "lone surrogate in \\u escape";
    }
    if (high >= 0xDC00 && high <= 0xDFFF) return "lone surrogate in \\u escape";
    out_ += code_point(high);
    return {};
  }

  const std::string& p_;
  std::string out_;
  std::size_t i_ = 0;
  bool in_class_ = false;
};

}  // namespace

Result<Regex> compile_ecma_regex(const std::string& pattern) {
  Translator translator(pattern);
  if (std::string err = translator.run(); !err.empty()) {
    return Error::invalid_template("invalid regular expression \"" + pattern + "\": " + err);
  }
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(translator.out(), options);
  if (!re->ok()) {
    return Error::invalid_template("invalid regular expression \"" + pattern +
                                   "\": " + re->error());
  }
  return Regex(re);
}

}  // namespace utask::model::json_schema_detail

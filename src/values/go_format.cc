#include "values/go_format.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "values/functions/go_time.h"
#include "values/functions/go_unicode.h"

// strconv's half of values/go_format.h: float formatting, quoting, and time.Time texts.

namespace utask::values {
namespace {

// ---- strconv: decimal digits of a double ----

struct Digits {
  std::string d;  // significant digits, no trailing zeros ("" for zero)
  int dp = 0;     // decimal point position: value = 0.d × 10^dp
};

// prec < 0: shortest round-trip digits; otherwise `prec` significant digits, rounded.
Digits float_digits(double a, int prec) {
  Digits out;
  if (a == 0) return out;
  char buf[64];
  auto r = prec < 0 ? std::to_chars(buf, buf + sizeof buf, a, std::chars_format::scientific)
                    : std::to_chars(buf, buf + sizeof buf, a, std::chars_format::scientific, prec > 0 ? prec - 1 : 0);
  std::string s(buf, r.ptr);
  auto e = s.find('e');
  std::string mant = s.substr(0, e);
  int exp = std::stoi(s.substr(e + 1));
  for (char c : mant)
    if (c != '.') out.d += c;
  while (!out.d.empty() && out.d.back() == '0') out.d.pop_back();
  out.dp = exp + 1;
  if (out.d.empty()) out.dp = 0;
  return out;
}

std::string fmt_e(bool neg, const Digits& digs, int prec, char e) {
  std::string out;
  if (neg) out += '-';
  out += digs.d.empty() ? '0' : digs.d[0];
  if (prec > 0) {
    out += '.';
    int i = 1;
    int m = std::min(static_cast<int>(digs.d.size()), prec + 1);
    if (i < m) {
      out.append(digs.d, i, m - i);
      i = m;
    }
    for (; i <= prec; i++) out += '0';
  }
  out += e;
  int exp = digs.dp - 1;
  if (digs.d.empty()) exp = 0;
  if (exp < 0) {
    out += '-';
    exp = -exp;
  } else {
    out += '+';
  }
  if (exp < 10) out += '0';
  out += std::to_string(exp);
  return out;
}

std::string fmt_f(bool neg, const Digits& digs, int prec) {
  std::string out;
  if (neg) out += '-';
  int nd = static_cast<int>(digs.d.size());
  if (digs.dp > 0) {
    int m = std::min(nd, digs.dp);
    out.append(digs.d, 0, m);
    for (; m < digs.dp; m++) out += '0';
  } else {
    out += '0';
  }
  if (prec > 0) {
    out += '.';
    for (int i = 1; i <= prec; i++) {
      int j = digs.dp + i - 1;
      out += (j >= 0 && j < nd) ? digs.d[j] : '0';
    }
  }
  return out;
}

void append_escaped_rune(std::string& out, char32_t r, int width, bool ascii) {
  static const char* hex = "0123456789abcdef";
  if (width == 1 && r == fn::kRuneError) {
    return;  // handled by the caller (\x escape of the byte)
  }
  if (r == '"' || r == '\\') {
    out += '\\';
    out += static_cast<char>(r);
    return;
  }
  if (ascii) {
    if (r < 0x80 && fn::is_print(r)) {
      out += static_cast<char>(r);
      return;
    }
  } else if (fn::is_print(r)) {
    fn::append_rune(out, r);
    return;
  }
  switch (r) {
    case '\a':
      out += "\\a";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\v':
      out += "\\v";
      return;
    default:
      break;
  }
  if (r < ' ' || r == 0x7F) {
    out += "\\x";
    out += hex[(r >> 4) & 0xF];
    out += hex[r & 0xF];
  } else if (r < 0x10000) {
    out += "\\u";
    for (int s = 12; s >= 0; s -= 4) out += hex[(r >> s) & 0xF];
  } else {
    out += "\\U";
    for (int s = 28; s >= 0; s -= 4) out += hex[(r >> s) & 0xF];
  }
}

std::string quote_with(std::string_view s, bool ascii) {
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    auto [r, w] = fn::decode_rune(s.substr(i));
    if (w == 1 && r == fn::kRuneError) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    } else {
      append_escaped_rune(out, r, w, ascii);
    }
    i += w;
  }
  out += '"';
  return out;
}

}  // namespace

std::string go_format_float(double d, char fmt, int prec) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  bool neg = std::signbit(d);
  double a = std::fabs(d);
  char lower = static_cast<char>(fmt | 0x20);
  if (fmt == 'b') {
    // Mantissa and binary exponent: 6755399441055744p-52.
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    int64_t exp = static_cast<int64_t>((bits >> 52) & 0x7FF);
    uint64_t mant = bits & ((uint64_t{1} << 52) - 1);
    if (exp == 0)
      exp++;
    else
      mant |= uint64_t{1} << 52;
    exp += -1023 - 52;
    return (neg ? "-" : "") + std::to_string(mant) + "p" + (exp >= 0 ? "+" : "-") + std::to_string(exp < 0 ? -exp : exp);
  }
  if (lower == 'x') {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, a, std::chars_format::hex);
    std::string s(buf, r.ptr);
    auto p = s.find('p');
    std::string exp = s.substr(p + 1);
    char sign = exp[0] == '-' ? '-' : '+';
    if (exp[0] == '-' || exp[0] == '+') exp.erase(0, 1);
    if (exp.size() < 2) exp = "0" + exp;
    std::string out = (neg ? "-0x" : "0x") + s.substr(0, p) + "p" + sign + exp;
    if (fmt == 'X')
      for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
  }
  if (lower == 'e') {
    if (prec < 0) {
      Digits digs = float_digits(a, -1);
      return fmt_e(neg, digs, std::max(static_cast<int>(digs.d.size()) - 1, 0), fmt);
    }
    Digits digs = float_digits(a, prec + 1);
    return fmt_e(neg, digs, prec, fmt);
  }
  if (lower == 'f') {
    if (prec < 0) {
      Digits digs = float_digits(a, -1);
      return fmt_f(neg, digs, std::max(static_cast<int>(digs.d.size()) - digs.dp, 0));
    }
    char buf[512];
    auto r = std::to_chars(buf, buf + sizeof buf, a, std::chars_format::fixed, prec);
    return (neg ? "-" : "") + std::string(buf, r.ptr);
  }
  // 'g' / 'G'
  bool shortest = prec < 0;
  if (prec == 0) prec = 1;
  Digits digs = float_digits(a, shortest ? -1 : prec);
  int nd = static_cast<int>(digs.d.size());
  if (shortest) prec = nd;
  int eprec = prec;
  if (eprec > nd && nd >= digs.dp) eprec = nd;
  if (shortest) eprec = 6;
  int exp = digs.dp - 1;
  if (nd == 0) exp = -1;  // zero prints as "0"
  if (exp < -4 || exp >= eprec) {
    if (prec > nd) prec = nd;
    return fmt_e(neg, digs, std::max(prec - 1, 0), fmt == 'G' ? 'E' : 'e');
  }
  if (prec > digs.dp) prec = nd;
  return fmt_f(neg, digs, std::max(prec - digs.dp, 0));
}

std::string go_quote_string(std::string_view s) { return quote_with(s, false); }
std::string go_quote_ascii(std::string_view s) { return quote_with(s, true); }
// Go's time layouts live with the date functions (values/functions/go_time.h).
std::string time_string(const Time& t) { return fn::format_time_string(t); }

std::string time_rfc3339(const Time& t) { return fn::format_time_rfc3339_nano(t); }

}  // namespace utask::values

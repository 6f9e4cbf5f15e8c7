// fmt's half of values/go_format.h: a port of fmt/print.go and fmt/format.go (the `pp` and
// `fmt` types) over Value, for Print, Println and Printf.

#include <charconv>
#include <cmath>
#include <cstring>

#include "values/functions/go_unicode.h"
#include "values/go_format.h"

namespace utask::values {
namespace {

constexpr const char* kLower = "0123456789abcdefx";
constexpr const char* kUpper = "0123456789ABCDEFX";

size_t rune_count(std::string_view s) { return fn::rune_count(s); }

// ---- fmt's formatter state ----

struct Flags {
  bool plus = false, minus = false, sharp = false, space = false, zero = false;
  bool plus_v = false, sharp_v = false;
  bool wid_present = false, prec_present = false;
  int wid = 0, prec = 0;
};

class Printer {
 public:
  std::string buf;
  Flags f;

  void clear_flags() { f = Flags(); }

  void write_padding(int n) {
    if (n <= 0) return;
    buf.append(static_cast<size_t>(n), f.zero ? '0' : ' ');
  }
  void pad(std::string_view b) {
    if (!f.wid_present || f.wid == 0) {
      buf += b;
      return;
    }
    int width = f.wid - static_cast<int>(rune_count(b));
    if (!f.minus) {
      write_padding(width);
      buf += b;
    } else {
      buf += b;
      write_padding(width);
    }
  }

  std::string truncate(std::string_view s) const {
    if (f.prec_present) {
      int n = f.prec;
      size_t i = 0;
      while (i < s.size()) {
        if (--n < 0) return std::string(s.substr(0, i));
        i += fn::decode_rune(s.substr(i)).second;
      }
    }
    return std::string(s);
  }

  void fmt_s(std::string_view s) { pad(truncate(s)); }

  void fmt_boolean(bool v) { pad(v ? "true" : "false"); }

  void fmt_integer(uint64_t u, int base, bool is_signed, char verb, const char* digits) {
    bool negative = is_signed && static_cast<int64_t>(u) < 0;
    if (negative) u = -u;
    int prec = 0;
    if (f.prec_present) {
      prec = f.prec;
      if (prec == 0 && u == 0) {
        bool old = f.zero;
        f.zero = false;
        write_padding(f.wid);
        f.zero = old;
        return;
      }
    } else if (f.zero && f.wid_present) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    std::string rev;  // digits in reverse
    do {
      rev += digits[u % base];
      u /= base;
    } while (u > 0);
    while (static_cast<int>(rev.size()) < prec) rev += '0';
    if (f.sharp) {
      if (base == 2) {
        rev += 'b';
        rev += '0';
      } else if (base == 8) {
        if (rev.back() != '0') rev += '0';
      } else if (base == 16) {
        rev += digits[16];
        rev += '0';
      }
    }
    if (verb == 'O') {
      rev += 'o';
      rev += '0';
    }
    if (negative)
      rev += '-';
    else if (f.plus)
      rev += '+';
    else if (f.space)
      rev += ' ';
    std::string s(rev.rbegin(), rev.rend());
    bool old = f.zero;
    f.zero = false;
    pad(s);
    f.zero = old;
  }

  void fmt_unicode(uint64_t u) {
    int prec = 4;
    if (f.prec_present && f.prec > 4) prec = f.prec;
    std::string hex;
    uint64_t x = u;
    do {
      hex.insert(hex.begin(), kUpper[x & 0xF]);
      x >>= 4;
    } while (x > 0);
    while (static_cast<int>(hex.size()) < prec) hex.insert(hex.begin(), '0');
    std::string s = "U+" + hex;
    if (f.sharp && u <= 0x10FFFF && fn::is_print(static_cast<char32_t>(u))) {
      s += " '";
      fn::append_rune(s, static_cast<char32_t>(u));
      s += "'";
    }
    bool old = f.zero;
    f.zero = false;
    pad(s);
    f.zero = old;
  }

  void fmt_c(uint64_t c) {
    std::string s;
    fn::append_rune(s, c > 0x10FFFF ? fn::kRuneError : static_cast<char32_t>(c));
    pad(s);
  }

  void fmt_qc(uint64_t c) {
    char32_t r = c > 0x10FFFF ? fn::kRuneError : static_cast<char32_t>(c);
    pad(f.plus ? quote_rune_impl(r, true) : quote_rune_impl(r, false));
  }

  void fmt_sbx(std::string_view s, const char* digits) {
    int length = static_cast<int>(s.size());
    if (f.prec_present && f.prec < length) length = f.prec;
    int width = 2 * length;
    if (width > 0) {
      if (f.space) {
        if (f.sharp) width *= 2;
        width += length - 1;
      } else if (f.sharp) {
        width += 2;
      }
    } else {
      if (f.wid_present) write_padding(f.wid);
      return;
    }
    if (f.wid_present && f.wid > width && !f.minus) write_padding(f.wid - width);
    if (f.sharp) {
      buf += '0';
      buf += digits[16];
    }
    for (int i = 0; i < length; i++) {
      if (f.space && i > 0) {
        buf += ' ';
        if (f.sharp) {
          buf += '0';
          buf += digits[16];
        }
      }
      unsigned char c = static_cast<unsigned char>(s[i]);
      buf += digits[c >> 4];
      buf += digits[c & 0xF];
    }
    if (f.wid_present && f.wid > width && f.minus) write_padding(f.wid - width);
  }

  void fmt_q(std::string_view s0) {
    std::string s = truncate(s0);
    if (f.sharp && can_backquote(s)) {
      pad("`" + s + "`");
      return;
    }
    pad(f.plus ? go_quote_ascii(s) : go_quote_string(s));
  }

  void fmt_float(double v, char verb, int prec) {
    if (f.prec_present) prec = f.prec;
    std::string num = "+" + format_float_signed(v, verb, prec);
    if (num[1] == '-' || num[1] == '+') num.erase(0, 1);
    if (f.space && num[0] == '+' && !f.plus) num[0] = ' ';
    if (num[1] == 'I' || num[1] == 'N') {
      bool old = f.zero;
      f.zero = false;
      if (num[1] == 'N' && !f.space && !f.plus) num.erase(0, 1);
      pad(num);
      f.zero = old;
      return;
    }
    if (f.sharp && verb != 'b') {
      int digits = 0;
      if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') {
        digits = prec;
        if (digits == -1) digits = 6;
      }
      std::string tail;
      bool has_point = false, saw_nonzero = false;
      for (size_t i = 1; i < num.size(); i++) {
        char c = num[i];
        if (c == '.') {
          has_point = true;
        } else if (c == 'p' || c == 'P') {
          tail = num.substr(i);
          num.resize(i);
          break;
        } else if ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X') {
          tail = num.substr(i);
          num.resize(i);
          break;
        } else {
          if (c != '0') saw_nonzero = true;
          if (saw_nonzero) digits--;
        }
      }
      if (!has_point) {
        if (num.size() == 2 && num[1] == '0') digits--;
        num += '.';
      }
      while (digits > 0) {
        num += '0';
        digits--;
      }
      num += tail;
    }
    if (f.plus || num[0] != '+') {
      if (f.zero && f.wid_present && f.wid > static_cast<int>(num.size())) {
        buf += num[0];
        write_padding(f.wid - static_cast<int>(num.size()));
        buf.append(num, 1);
        return;
      }
      pad(num);
      return;
    }
    pad(std::string_view(num).substr(1));
  }

  static std::string format_float_signed(double v, char verb, int prec) {
    if (verb == 'v') verb = 'g';
    return go_format_float(v, verb, prec);
  }

  static bool can_backquote(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
      auto [r, w] = fn::decode_rune(s.substr(i));
      if (w == 1 && r == fn::kRuneError) return false;
      if (r == '`' || r == 0xFEFF) return false;
      if (r < ' ' && r != '\t') return false;
      if (r == 0x7F) return false;
      i += w;
    }
    return true;
  }

  static std::string quote_rune_impl(char32_t r, bool ascii);

  // ---- fmt's print.go ----

  void bad_verb(char32_t verb, const Value* arg) {
    buf += "%!";
    fn::append_rune(buf, verb);
    buf += '(';
    if (arg && !arg->is(Value::Kind::missing) && !arg->is(Value::Kind::nil)) {
      buf += arg->go_type_name();
      buf += '=';
      Flags saved = f;
      print_arg_inner(*arg, 'v', true);
      f = saved;
    } else {
      buf += "<nil>";
    }
    buf += ')';
  }

  void fmt_string(std::string_view v, char32_t verb, const Value& arg, bool erroring) {
    switch (verb) {
      case 'v':
        if (f.sharp_v)
          fmt_q(v);
        else
          fmt_s(v);
        break;
      case 's':
        fmt_s(v);
        break;
      case 'x':
        fmt_sbx(v, kLower);
        break;
      case 'X':
        fmt_sbx(v, kUpper);
        break;
      case 'q':
        fmt_q(v);
        break;
      default:
        if (erroring) return;
        bad_verb(verb, &arg);
    }
  }

  void fmt_int(uint64_t v, bool is_signed, char32_t verb, const Value& arg) {
    switch (verb) {
      case 'v':
        if (f.sharp_v && !is_signed) {
          bool old = f.sharp;
          f.sharp = true;
          fmt_integer(v, 16, false, 'v', kLower);
          f.sharp = old;
        } else {
          fmt_integer(v, 10, is_signed, 'v', kLower);
        }
        break;
      case 'd':
        fmt_integer(v, 10, is_signed, 'd', kLower);
        break;
      case 'b':
        fmt_integer(v, 2, is_signed, 'b', kLower);
        break;
      case 'o':
      case 'O':
        fmt_integer(v, 8, is_signed, static_cast<char>(verb), kLower);
        break;
      case 'x':
        fmt_integer(v, 16, is_signed, 'x', kLower);
        break;
      case 'X':
        fmt_integer(v, 16, is_signed, 'X', kUpper);
        break;
      case 'c':
        fmt_c(v);
        break;
      case 'q':
        fmt_qc(v);
        break;
      case 'U':
        fmt_unicode(v);
        break;
      default:
        bad_verb(verb, &arg);
    }
  }

  void fmt_flt(double v, char32_t verb, const Value& arg) {
    switch (verb) {
      case 'v':
        fmt_float(v, 'g', -1);
        break;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        fmt_float(v, static_cast<char>(verb), -1);
        break;
      case 'f':
      case 'e':
      case 'E':
        fmt_float(v, static_cast<char>(verb), 6);
        break;
      case 'F':
        fmt_float(v, 'f', 6);
        break;
      default:
        bad_verb(verb, &arg);
    }
  }

  void fmt_bytes(const std::string& v, char32_t verb, const Value& arg) {
    switch (verb) {
      case 'v':
      case 'd':
        if (f.sharp_v) {
          buf += "[]byte{";
          for (size_t i = 0; i < v.size(); i++) {
            if (i > 0) buf += ", ";
            bool old = f.sharp;
            f.sharp = true;
            fmt_integer(static_cast<unsigned char>(v[i]), 16, false, 'v', kLower);
            f.sharp = old;
          }
          buf += '}';
        } else {
          buf += '[';
          for (size_t i = 0; i < v.size(); i++) {
            if (i > 0) buf += ' ';
            fmt_integer(static_cast<unsigned char>(v[i]), 10, false, static_cast<char>(verb), kLower);
          }
          buf += ']';
        }
        break;
      case 's':
        fmt_s(v);
        break;
      case 'x':
        fmt_sbx(v, kLower);
        break;
      case 'X':
        fmt_sbx(v, kUpper);
        break;
      case 'q':
        fmt_q(v);
        break;
      default: {
        // printValue of a []uint8: each element as an unsigned integer.
        buf += '[';
        for (size_t i = 0; i < v.size(); i++) {
          if (i > 0) buf += ' ';
          Value e = Value::integer(static_cast<unsigned char>(v[i])).with_go_type(Value::GoType::uint8);
          fmt_int(static_cast<unsigned char>(v[i]), false, verb, e);
        }
        buf += ']';
      }
    }
  }

  // printArg / printValue. `nested` is printValue at depth > 0.
  void print_arg_inner(const Value& v, char32_t verb, bool erroring = false) {
    switch (v.kind()) {
      case Value::Kind::missing:
      case Value::Kind::nil:
        // Only reached for elements of containers: printValue writes a nil interface as is.
        buf += f.sharp_v ? "interface {}(nil)" : "<nil>";
        return;
      case Value::Kind::boolean:
        if (verb == 't' || verb == 'v')
          fmt_boolean(v.as_bool());
        else
          bad_verb(verb, &v);
        return;
      case Value::Kind::integer:
        if (v.go_type() == Value::GoType::uint8 || v.go_type() == Value::GoType::uint)
          fmt_int(static_cast<uint64_t>(v.as_int()), false, verb, v);
        else
          fmt_int(static_cast<uint64_t>(v.as_int()), true, verb, v);
        return;
      case Value::Kind::unsigned_integer:
        fmt_int(v.as_uint(), false, verb, v);
        return;
      case Value::Kind::floating:
        fmt_flt(v.as_float(), verb, v);
        return;
      case Value::Kind::number:
        // json.Number: a Stringer for v s x X q; its string kind otherwise.
        if (f.sharp_v) {
          fmt_q(v.as_string());
          return;
        }
        fmt_string(v.as_string(), verb, v, erroring);
        return;
      case Value::Kind::string:
        fmt_string(v.as_string(), verb, v, erroring);
        return;
      case Value::Kind::bytes:
        fmt_bytes(v.as_string(), verb, v);
        return;
      case Value::Kind::time:
        if (verb == 'v' || verb == 's' || verb == 'x' || verb == 'X' || verb == 'q') {
          if (f.sharp_v) {
            fmt_s(time_string(v.as_time()));
            return;
          }
          fmt_string(time_string(v.as_time()), verb, v, erroring);
        } else {
          bad_verb(verb, &v);
        }
        return;
      case Value::Kind::list: {
        const List& items = v.as_list();
        if (f.sharp_v) {
          buf += v.go_type_name();
          buf += '{';
          for (size_t i = 0; i < items.size(); i++) {
            if (i > 0) buf += ", ";
            print_arg_inner(items[i], verb);
          }
          buf += '}';
        } else {
          buf += '[';
          for (size_t i = 0; i < items.size(); i++) {
            if (i > 0) buf += ' ';
            print_arg_inner(items[i], verb);
          }
          buf += ']';
        }
        return;
      }
      case Value::Kind::map: {
        const Map& entries = v.as_map();
        buf += f.sharp_v ? v.go_type_name() + "{" : "map[";
        bool first = true;
        for (const auto& [k, e] : entries) {
          if (!first) buf += f.sharp_v ? ", " : " ";
          first = false;
          Value key = Value::string(k);
          print_arg_inner(key, verb);
          buf += ':';
          print_arg_inner(e, verb);
        }
        buf += f.sharp_v ? '}' : ']';
        return;
      }
    }
  }

  void print_arg(const Value& v, char32_t verb) {
    if (v.is(Value::Kind::missing) || v.is(Value::Kind::nil)) {
      if (verb == 'T' || verb == 'v')
        pad("<nil>");
      else
        bad_verb(verb, nullptr);
      return;
    }
    if (verb == 'T') {
      fmt_s(v.go_type_name());
      return;
    }
    if (verb == 'p') {
      bad_verb(verb, &v);
      return;
    }
    print_arg_inner(v, verb);
  }
};

std::string Printer::quote_rune_impl(char32_t r, bool ascii) {
  std::string out = "'";
  if (r == '\'') {
    out += "\\'";
  } else if (r == '\\') {
    out += "\\\\";
  } else {
    std::string tmp;
    fn::append_rune(tmp, r);
    std::string q = ascii ? go_quote_ascii(tmp) : go_quote_string(tmp);
    std::string inner = q.substr(1, q.size() - 2);
    if (inner == "\\\"") inner = "\"";
    out += inner;
  }
  out += "'";
  return out;
}

bool too_large(int x) { return x > 1000000 || x < -1000000; }

// parsenum: digits at s[start:end).
bool parse_num(std::string_view s, size_t start, size_t end, int& num, size_t& newi) {
  num = 0;
  bool isnum = false;
  if (start >= end) {
    newi = end;
    return false;
  }
  for (newi = start; newi < end && s[newi] >= '0' && s[newi] <= '9'; newi++) {
    if (too_large(num)) {
      num = 0;
      newi = end;
      return false;
    }
    num = num * 10 + (s[newi] - '0');
    isnum = true;
  }
  return isnum;
}

bool int_from_arg(const std::vector<Value>& a, size_t& arg_num, int& num) {
  bool is_int = false;
  num = 0;
  if (arg_num < a.size()) {
    const Value& v = a[arg_num];
    if (v.is(Value::Kind::integer)) {
      int64_t n = v.as_int();
      if (n == static_cast<int64_t>(static_cast<int>(n))) {
        num = static_cast<int>(n);
        is_int = true;
      }
    } else if (v.is(Value::Kind::unsigned_integer)) {
      uint64_t n = v.as_uint();
      if (n <= static_cast<uint64_t>(INT32_MAX)) {
        num = static_cast<int>(n);
        is_int = true;
      }
    }
    arg_num++;
    if (too_large(num)) {
      num = 0;
      is_int = false;
    }
  }
  return is_int;
}

}  // namespace

std::string go_quote_rune(char32_t r) { return Printer::quote_rune_impl(r, false); }

std::string go_sprint_value(const Value& v) {
  Printer p;
  p.print_arg(v, 'v');
  return std::move(p.buf);
}

std::string go_sprint(const std::vector<Value>& args) {
  Printer p;
  bool prev_string = false;
  for (size_t i = 0; i < args.size(); i++) {
    const Value& a = args[i];
    bool is_string = a.is(Value::Kind::string) || a.is(Value::Kind::number);
    if (i > 0 && !is_string && !prev_string) p.buf += ' ';
    p.print_arg(a, 'v');
    prev_string = is_string;
  }
  return std::move(p.buf);
}

std::string go_sprintln(const std::vector<Value>& args) {
  Printer p;
  for (size_t i = 0; i < args.size(); i++) {
    if (i > 0) p.buf += ' ';
    p.print_arg(args[i], 'v');
  }
  p.buf += '\n';
  return std::move(p.buf);
}

std::string go_sprintf(std::string_view format, const std::vector<Value>& a) {
  Printer p;
  size_t end = format.size();
  size_t arg_num = 0;
  bool after_index = false;
  bool reordered = false;
  bool good_arg_num = true;

  // argNumber: an explicit [n] index.
  auto arg_number = [&](size_t i, bool& found) -> size_t {
    found = false;
    if (format.size() <= i || format[i] != '[') return i;
    reordered = true;
    std::string_view rest = format.substr(i);
    // parseArgNumber
    int index = 0;
    size_t wid = 1;
    bool ok = false;
    if (rest.size() >= 3) {
      for (size_t j = 1; j < rest.size(); j++) {
        if (rest[j] == ']') {
          int width = 0;
          size_t newi = 0;
          bool isnum = parse_num(rest, 1, j, width, newi);
          if (!isnum || newi != j) {
            wid = j + 1;
            ok = false;
          } else {
            index = width - 1;
            wid = j + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && index >= 0 && static_cast<size_t>(index) < a.size()) {
      arg_num = static_cast<size_t>(index);
      found = true;
      return i + wid;
    }
    good_arg_num = false;
    found = ok;
    return i + wid;
  };

  for (size_t i = 0; i < end;) {
    good_arg_num = true;
    size_t lasti = i;
    while (i < end && format[i] != '%') i++;
    if (i > lasti) p.buf.append(format.substr(lasti, i - lasti));
    if (i >= end) break;
    i++;
    p.clear_flags();
    bool simple_done = false;
    for (; i < end; i++) {
      char c = format[i];
      if (c == '#') {
        p.f.sharp = true;
      } else if (c == '0') {
        p.f.zero = !p.f.minus;
      } else if (c == '+') {
        p.f.plus = true;
      } else if (c == '-') {
        p.f.minus = true;
        p.f.zero = false;
      } else if (c == ' ') {
        p.f.space = true;
      } else {
        if (c >= 'a' && c <= 'z' && arg_num < a.size()) {
          if (c == 'v') {
            p.f.sharp_v = p.f.sharp;
            p.f.sharp = false;
            p.f.plus_v = p.f.plus;
            p.f.plus = false;
          }
          p.print_arg(a[arg_num], static_cast<unsigned char>(c));
          arg_num++;
          i++;
          simple_done = true;
        }
        break;
      }
    }
    if (simple_done) continue;

    i = arg_number(i, after_index);

    if (i < end && format[i] == '*') {
      i++;
      p.f.wid_present = int_from_arg(a, arg_num, p.f.wid);
      if (!p.f.wid_present) p.buf += "%!(BADWIDTH)";
      if (p.f.wid < 0) {
        p.f.wid = -p.f.wid;
        p.f.minus = true;
        p.f.zero = false;
      }
      after_index = false;
    } else {
      size_t newi = i;
      p.f.wid_present = parse_num(format, i, end, p.f.wid, newi);
      i = newi;
      if (after_index && p.f.wid_present) good_arg_num = false;
    }

    if (i + 1 < end && format[i] == '.') {
      i++;
      if (after_index) good_arg_num = false;
      i = arg_number(i, after_index);
      if (i < end && format[i] == '*') {
        i++;
        p.f.prec_present = int_from_arg(a, arg_num, p.f.prec);
        if (p.f.prec < 0) {
          p.f.prec = 0;
          p.f.prec_present = false;
        }
        if (!p.f.prec_present) p.buf += "%!(BADPREC)";
        after_index = false;
      } else {
        size_t newi = i;
        p.f.prec_present = parse_num(format, i, end, p.f.prec, newi);
        i = newi;
        if (!p.f.prec_present) {
          p.f.prec = 0;
          p.f.prec_present = true;
        }
      }
    }

    if (!after_index) i = arg_number(i, after_index);

    if (i >= end) {
      p.buf += "%!(NOVERB)";
      break;
    }

    auto [verb, size] = fn::decode_rune(format.substr(i));
    i += size;

    if (verb == '%') {
      p.buf += '%';
    } else if (!good_arg_num) {
      p.buf += "%!";
      fn::append_rune(p.buf, verb);
      p.buf += "(BADINDEX)";
    } else if (arg_num >= a.size()) {
      p.buf += "%!";
      fn::append_rune(p.buf, verb);
      p.buf += "(MISSING)";
    } else {
      if (verb == 'v') {
        p.f.sharp_v = p.f.sharp;
        p.f.sharp = false;
        p.f.plus_v = p.f.plus;
        p.f.plus = false;
      }
      p.print_arg(a[arg_num], verb);
      arg_num++;
    }
  }

  if (!reordered && arg_num < a.size()) {
    p.clear_flags();
    p.buf += "%!(EXTRA ";
    for (size_t i = arg_num; i < a.size(); i++) {
      if (i > arg_num) p.buf += ", ";
      const Value& arg = a[i];
      if (arg.is(Value::Kind::missing) || arg.is(Value::Kind::nil)) {
        p.buf += "<nil>";
      } else {
        p.buf += arg.go_type_name();
        p.buf += '=';
        p.print_arg(arg, 'v');
      }
    }
    p.buf += ')';
  }
  return std::move(p.buf);
}

}  // namespace utask::values

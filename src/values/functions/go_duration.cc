// time.ParseDuration and Duration.String (ports of Go's time package).

#include <map>

#include "values/functions/go_time.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

constexpr uint64_t kLimit = uint64_t(1) << 63;

// fmtFrac: the fraction of v / 10^prec without trailing zeros (and its dot), prepended.
void fmt_frac(std::string& out_rev, uint64_t& v, int prec) {
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    int digit = int(v % 10);
    print = print || digit != 0;
    if (print) out_rev += char('0' + digit);
    v /= 10;
  }
  if (print) out_rev += '.';
}

void fmt_int(std::string& out_rev, uint64_t v) {
  if (v == 0) {
    out_rev += '0';
    return;
  }
  while (v > 0) {
    out_rev += char('0' + v % 10);
    v /= 10;
  }
}

}  // namespace

std::string format_duration(int64_t d) {
  uint64_t u = uint64_t(d);
  bool neg = d < 0;
  if (neg) u = uint64_t(0) - u;
  std::string r;  // built reversed
  if (u < 1000000000ULL) {
    int prec;
    r += 's';
    if (u == 0) return "0s";
    if (u < 1000ULL) {
      prec = 0;
      r += 'n';
    } else if (u < 1000000ULL) {
      prec = 3;
      r += "\xB5\xC2";  // "µ" reversed
    } else {
      prec = 6;
      r += 'm';
    }
    fmt_frac(r, u, prec);
    fmt_int(r, u);
  } else {
    r += 's';
    fmt_frac(r, u, 9);
    fmt_int(r, u % 60);
    u /= 60;
    if (u > 0) {
      r += 'm';
      fmt_int(r, u % 60);
      u /= 60;
      if (u > 0) {
        r += 'h';
        fmt_int(r, u);
      }
    }
  }
  if (neg) r += '-';
  return std::string(r.rbegin(), r.rend());
}

Result<int64_t> parse_duration(std::string_view s) {
  const std::string orig(s);
  auto invalid = [&] { return call_error("time: invalid duration " + go_quote(orig)); };
  static const std::map<std::string, uint64_t, std::less<>> units = {
      {"ns", 1},           {"us", 1000},      {"\xC2\xB5s", 1000},  // U+00B5 micro sign
      {"\xCE\xBCs", 1000},                                          // U+03BC Greek mu
      {"ms", 1000000},     {"s", 1000000000}, {"m", 60000000000ULL}, {"h", 3600000000000ULL},
  };
  uint64_t d = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return int64_t(0);
  if (s.empty()) return invalid();
  while (!s.empty()) {
    uint64_t v = 0, f = 0;
    double scale = 1;
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) return invalid();
    size_t pl = s.size();
    // leadingInt
    size_t i = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (v > (kLimit - 1) / 10) return invalid();
      v = v * 10 + uint64_t(s[i] - '0');
      if (v > kLimit - 1) return invalid();
    }
    s.remove_prefix(i);
    bool pre = pl != s.size();
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t pl2 = s.size();
      bool overflow = false;
      size_t j = 0;
      for (; j < s.size() && s[j] >= '0' && s[j] <= '9'; ++j) {
        if (overflow) continue;
        if (f > (kLimit - 1) / 10) {
          overflow = true;
          continue;
        }
        uint64_t y = f * 10 + uint64_t(s[j] - '0');
        if (y > kLimit) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s.remove_prefix(j);
      post = pl2 != s.size();
    }
    if (!pre && !post) return invalid();
    size_t k = 0;
    for (; k < s.size(); ++k) {
      if (s[k] == '.' || (s[k] >= '0' && s[k] <= '9')) break;
    }
    if (k == 0) return call_error("time: missing unit in duration " + go_quote(orig));
    std::string_view u = s.substr(0, k);
    s.remove_prefix(k);
    auto it = units.find(u);
    if (it == units.end()) {
      return call_error("time: unknown unit " + go_quote(u) + " in duration " + go_quote(orig));
    }
    uint64_t unit = it->second;
    if (v > kLimit / unit) return invalid();
    v *= unit;
    if (f > 0) {
      v += uint64_t(double(f) * (double(unit) / scale));
      if (v > kLimit) return invalid();
    }
    d += v;
    if (d > kLimit) return invalid();
  }
  if (neg) return int64_t(uint64_t(0) - d);
  if (d > kLimit - 1) return invalid();
  return int64_t(d);
}

}  // namespace utask::values::fn

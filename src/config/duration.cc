#include "config/duration.h"

#include <cstdint>
#include <utility>

namespace utask::config {
namespace {

constexpr uint64_t kMaxMagnitude = uint64_t{1} << 63;  // |INT64_MIN|

uint64_t unit_nanos(std::string_view u) {
  if (u == "ns") return 1;
  if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") return 1000;  // us, µs (U+00B5), μs (U+03BC)
  if (u == "ms") return 1000000;
  if (u == "s") return 1000000000;
  if (u == "m") return 60 * uint64_t{1000000000};
  if (u == "h") return 3600 * uint64_t{1000000000};
  return 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text) {
  auto fail = [&](const char* why) {
    return Error::invalid_input("invalid duration \"" + std::string(text) + "\": " + why);
  };
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds(0);
  if (s.empty()) return fail("empty");
  uint64_t total = 0;
  while (!s.empty()) {
    if (!is_digit(s[0]) && s[0] != '.') return fail("expected a number");
    uint64_t v = 0;
    size_t i = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      if (v > (kMaxMagnitude - 1) / 10) return fail("out of range");
      v = v * 10 + static_cast<uint64_t>(s[i] - '0');
      if (v > kMaxMagnitude) return fail("out of range");
    }
    bool pre = i > 0;
    s.remove_prefix(i);
    uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t j = 0;
      bool overflow = false;
      for (; j < s.size() && is_digit(s[j]); ++j) {
        if (overflow) continue;  // further digits cannot matter
        if (f > (kMaxMagnitude - 1) / 10) {
          overflow = true;
          continue;
        }
        f = f * 10 + static_cast<uint64_t>(s[j] - '0');
        scale *= 10;
      }
      post = j > 0;
      s.remove_prefix(j);
    }
    if (!pre && !post) return fail("expected a number");
    size_t u = 0;
    while (u < s.size() && !is_digit(s[u]) && s[u] != '.') ++u;
    if (u == 0) return fail("missing unit (ns, us, µs, ms, s, m or h)");
    uint64_t unit = unit_nanos(s.substr(0, u));
    if (unit == 0) return fail("unknown unit (use ns, us, µs, ms, s, m or h)");
    s.remove_prefix(u);
    if (v > kMaxMagnitude / unit) return fail("out of range");
    v *= unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kMaxMagnitude) return fail("out of range");
    }
    total += v;
    if (total > kMaxMagnitude) return fail("out of range");
  }
  if (neg) return std::chrono::nanoseconds(static_cast<int64_t>(0 - total));
  if (total > kMaxMagnitude - 1) return fail("out of range");
  return std::chrono::nanoseconds(static_cast<int64_t>(total));
}

std::string format_go_duration(std::chrono::nanoseconds d) {
  int64_t n = d.count();
  if (n == 0) return "0s";
  bool neg = n < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  // Fraction of `value` over 10^digits, without trailing zeros ("1.5", "2").
  auto frac = [](uint64_t value, int digits) {
    uint64_t pow = 1;
    for (int i = 0; i < digits; ++i) pow *= 10;
    std::string out = std::to_string(value / pow);
    uint64_t rest = value % pow;
    if (rest != 0) {
      std::string r = std::to_string(rest);
      r.insert(0, static_cast<size_t>(digits) - r.size(), '0');
      while (!r.empty() && r.back() == '0') r.pop_back();
      out += "." + r;
    }
    return out;
  };
  std::string out;
  if (u < 1000000000) {
    if (u < 1000) out = std::to_string(u) + "ns";
    else if (u < 1000000) out = frac(u, 3) + "\xC2\xB5s";
    else out = frac(u, 6) + "ms";
  } else {
    uint64_t secs_nanos = u % (60 * uint64_t{1000000000});
    uint64_t minutes = u / (60 * uint64_t{1000000000});
    out = frac(secs_nanos, 9) + "s";
    if (minutes > 0) {
      out = std::to_string(minutes % 60) + "m" + out;
      if (minutes >= 60) out = std::to_string(minutes / 60) + "h" + out;
    }
  }
  return neg ? "-" + out : out;
}

}  // namespace utask::config

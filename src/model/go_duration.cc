#include "model/go_duration.h"

#include <cstdint>
#include <string>

namespace utask::model {
namespace {

constexpr uint64_t kMaxMagnitude = uint64_t{1} << 63;

Error invalid(std::string_view orig) {
  return Error::invalid_input("time: invalid duration \"" + std::string(orig) + "\"");
}

uint64_t unit_ns(std::string_view u) {
  if (u == "ns") return 1;
  if (u == "us" || u == "\u00b5s" || u == "\u03bcs") return 1000;
  if (u == "ms") return 1000000;
  if (u == "s") return 1000000000;
  if (u == "m") return 60ULL * 1000000000;
  if (u == "h") return 3600ULL * 1000000000;
  return 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "<integer part>[.<fraction without trailing zeros>]" of v / 10^digits.
std::string fixed(uint64_t v, int digits) {
  std::string frac;
  for (int i = 0; i < digits; ++i) {
    frac.insert(frac.begin(), static_cast<char>('0' + v % 10));
    v /= 10;
  }
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return std::to_string(v) + (frac.empty() ? "" : "." + frac);
}

}  // namespace

Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds(0);
  if (s.empty()) return invalid(text);
  uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || is_digit(s[0]))) return invalid(text);
    uint64_t whole = 0;
    std::size_t i = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      if (whole > (kMaxMagnitude - 1) / 10) return invalid(text);
      whole = whole * 10 + static_cast<uint64_t>(s[i] - '0');
      if (whole > kMaxMagnitude) return invalid(text);
    }
    bool pre = i > 0;
    s.remove_prefix(i);
    uint64_t frac = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      std::size_t j = 0;
      bool overflow = false;
      for (; j < s.size() && is_digit(s[j]); ++j) {
        if (overflow) continue;
        if (frac > (kMaxMagnitude - 1) / 10) {
          overflow = true;  // Go drops the digits it cannot hold
          continue;
        }
        uint64_t next = frac * 10 + static_cast<uint64_t>(s[j] - '0');
        if (next > kMaxMagnitude - 1) {
          overflow = true;
          continue;
        }
        frac = next;
        scale *= 10;
      }
      post = j > 0;
      s.remove_prefix(j);
    }
    if (!pre && !post) return invalid(text);
    std::size_t k = 0;
    while (k < s.size() && s[k] != '.' && !is_digit(s[k])) ++k;
    if (k == 0) {
      return Error::invalid_input("time: missing unit in duration \"" + std::string(text) + "\"");
    }
    std::string_view unit_text = s.substr(0, k);
    s.remove_prefix(k);
    uint64_t unit = unit_ns(unit_text);
    if (unit == 0) {
      return Error::invalid_input("time: unknown unit \"" + std::string(unit_text) +
                                     "\" in duration \"" + std::string(text) + "\"");
    }
    if (whole > kMaxMagnitude / unit) return invalid(text);
    whole *= unit;
    if (frac > 0) {
      whole += static_cast<uint64_t>(static_cast<double>(frac) * (static_cast<double>(unit) / scale));
      if (whole > kMaxMagnitude) return invalid(text);
    }
    total += whole;
    if (total > kMaxMagnitude) return invalid(text);
  }
  if (negative) return std::chrono::nanoseconds(total == kMaxMagnitude ? INT64_MIN : -static_cast<int64_t>(total));
  if (total > kMaxMagnitude - 1) return invalid(text);
  return std::chrono::nanoseconds(static_cast<int64_t>(total));
}


std::string format_go_duration(std::chrono::nanoseconds d) {
  const int64_t ns = d.count();
  if (ns == 0) return "0s";
  const bool negative = ns < 0;
  const uint64_t u = negative ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  std::string out;
  if (u < 1000) {
    out = std::to_string(u) + "ns";
  } else if (u < 1000'000) {
    out = fixed(u, 3) + "µs";
  } else if (u < 1000'000'000) {
    out = fixed(u, 6) + "ms";
  } else {
    const uint64_t total_s = u / 1000'000'000;
    const uint64_t h = total_s / 3600, m = (total_s / 60) % 60;
    const std::string s = fixed(u % 60'000'000'000, 9) + "s";
    if (h) out = std::to_string(h) + "h" + std::to_string(m) + "m" + s;
    else if (m) out = std::to_string(m) + "m" + s;
    else out = s;
  }
  return negative ? "-" + out : out;
}

}  // namespace utask::model

// Go's time.Duration text, for messages about durations (`execution_delay`).

#include <cstdint>
#include <string>

#include "model/lint_internal.h"

namespace utask::model::lint_detail {
namespace {

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

std::string format_go_duration(int64_t ns) {
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

}  // namespace utask::model::lint_detail

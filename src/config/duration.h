#pragma once
// Durations in Go's `time.ParseDuration` syntax, as every duration field of the configuration
// uses: an optional sign, then one or more `<decimal number><unit>` groups with units ns, us,
// µs (or μs), ms, s, m, h — "720h", "1m30s", "0.5s", "-1h". "0" alone is allowed. No days.

#include <chrono>
#include <string>
#include <string_view>

#include "model/error.h"

namespace utask::config {

// Fails (invalid_input, message `invalid duration "<text>"` plus the reason) on empty text,
// a missing or unknown unit, or a value outside the int64 nanosecond range.
Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text);

// Go's Duration.String(): "720h0m0s", "1m30s", "500ms", "0s".
std::string format_go_duration(std::chrono::nanoseconds d);

}  // namespace utask::config

#pragma once
// Durations in Go's syntax (time.ParseDuration / Duration.String), used by templates
// (`execution_delay`, `expression_timeout`), configuration (`completed_task_expiration`, ...)
// and sprig's duration functions: one implementation for all of them.
// Syntax: an optional sign, then one or more `<decimal number><unit>` groups, units ns, us,
// µs (U+00B5 or U+03BC), ms, s, m, h; "0" alone is allowed. No days.

#include <chrono>
#include <string>
#include <string_view>

#include "model/error.h"

namespace utask::model {

// Fails (invalid_input) with Go's texts: `time: invalid duration "x"`,
// `time: missing unit in duration "10"`, `time: unknown unit "d" in duration "1d"`; values past
// the int64 nanosecond range are invalid.
Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text);

// Go's Duration.String(): "720h0m0s", "1m30s", "1.5s", "500ms", "10µs", "12ns", "0s".
std::string format_go_duration(std::chrono::nanoseconds d);

}  // namespace utask::model

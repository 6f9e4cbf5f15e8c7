#pragma once
// Go's time package as sprig's date functions use it: layouts ("2006-01-02 15:04:05"), zones
// from the system tz database, Time.String(), RFC 3339, durations.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "model/error.h"
#include "values/value.h"

namespace utask::values::fn {

// Go's zero Time, 0001-01-01 00:00:00 UTC (what a failed toDate gives).
Time zero_time();

// A loaded *time.Location.
class Location;
using LocationPtr = std::shared_ptr<const Location>;
LocationPtr utc_location();
LocationPtr local_location();  // $TZ, else /etc/localtime (Go's time.Local)
// time.LoadLocation: "" and "UTC" give UTC, "Local" the local zone, others are read from
// /usr/share/zoneinfo; nullptr when unknown.
LocationPtr load_location(std::string_view name);

// The time at unix (seconds, nanoseconds) seen in loc (offset and abbreviation applied).
Time time_in(int64_t unix_seconds, int32_t nanos, const Location& loc);
Time time_in(const Time& t, const Location& loc);
Time now_in(const Location& loc);

inline int64_t unix_seconds(const Time& t) { return t.unix_seconds; }
inline int32_t nanosecond(const Time& t) { return t.nanos; }

std::string format_time(const Time& t, std::string_view layout);  // Time.Format
std::string format_time_string(const Time& t);                    // Time.String()
std::string format_time_rfc3339_nano(const Time& t);              // MarshalJSON's text

// time.ParseInLocation; the error text is Go's ParseError.
Result<Time> parse_time(std::string_view layout, std::string_view value, const Location& loc);

// time.ParseDuration (nanoseconds) and Duration.String().
Result<int64_t> parse_duration(std::string_view s);
std::string format_duration(int64_t nanos);

// t.Add(nanos).
Time add_duration(const Time& t, int64_t nanos);

}  // namespace utask::values::fn

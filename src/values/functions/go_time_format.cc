// Time.Format with Go layouts (a port of Go's time/format.go).

#include <cstdio>

#include "values/functions/go_time.h"
#include "values/functions/go_time_layout.h"
#include "values/functions/support.h"

namespace utask::values::fn {

using namespace layout;  // NOLINT: the layout vocabulary is this file's subject

std::string format_time(const Time& t, std::string_view layout) {
  int64_t sec = wrap_add(unix_seconds(t), t.utc_offset_seconds);
  int64_t days = floor_div(sec, 86400);
  int64_t secs_of_day = sec - days * 86400;
  int64_t year;
  int month, day;
  civil(days, year, month, day);
  int yday = int(days - days_from_civil(year, 1, 1)) + 1;
  int hour = int(secs_of_day / 3600), min = int(secs_of_day / 60 % 60), s = int(secs_of_day % 60);
  int weekday = int(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  int offset = t.utc_offset_seconds;
  std::string b;
  while (!layout.empty()) {
    Chunk c = next_chunk(layout);
    b += c.prefix;
    if (c.std == kNone) break;
    layout = c.suffix;
    switch (c.std) {
      case kYear: append_int(b, (year < 0 ? -year : year) % 100, 2); break;
      case kLongYear: append_int(b, year, 4); break;
      case kMonth: b += std::string_view(kLongMonths[month - 1]).substr(0, 3); break;
      case kLongMonth: b += kLongMonths[month - 1]; break;
      case kNumMonth: append_int(b, month, 0); break;
      case kZeroMonth: append_int(b, month, 2); break;
      case kWeekDay: b += std::string_view(kLongDays[weekday]).substr(0, 3); break;
      case kLongWeekDay: b += kLongDays[weekday]; break;
      case kDay: append_int(b, day, 0); break;
      case kUnderDay:
        if (day < 10) b += ' ';
        append_int(b, day, 0);
        break;
      case kZeroDay: append_int(b, day, 2); break;
      case kUnderYearDay:
        if (yday < 100) {
          b += ' ';
          if (yday < 10) b += ' ';
        }
        append_int(b, yday, 0);
        break;
      case kZeroYearDay: append_int(b, yday, 3); break;
      case kHour: append_int(b, hour, 2); break;
      case kHour12: append_int(b, hour % 12 == 0 ? 12 : hour % 12, 0); break;
      case kZeroHour12: append_int(b, hour % 12 == 0 ? 12 : hour % 12, 2); break;
      case kMinute: append_int(b, min, 0); break;
      case kZeroMinute: append_int(b, min, 2); break;
      case kSecond: append_int(b, s, 0); break;
      case kZeroSecond: append_int(b, s, 2); break;
      case kPM: b += hour >= 12 ? "PM" : "AM"; break;
      case kpm: b += hour >= 12 ? "pm" : "am"; break;
      case kISO8601TZ:
      case kISO8601ColonTZ:
      case kISO8601SecondsTZ:
      case kISO8601ShortTZ:
      case kISO8601ColonSecondsTZ:
      case kNumTZ:
      case kNumColonTZ:
      case kNumSecondsTz:
      case kNumShortTZ:
      case kNumColonSecondsTZ: {
        bool iso = c.std == kISO8601TZ || c.std == kISO8601ColonTZ || c.std == kISO8601SecondsTZ ||
                   c.std == kISO8601ShortTZ || c.std == kISO8601ColonSecondsTZ;
        if (offset == 0 && iso) {
          b += 'Z';
          break;
        }
        int zone = offset / 60;
        int absoffset = offset;
        if (zone < 0) {
          b += '-';
          zone = -zone;
          absoffset = -absoffset;
        } else {
          b += '+';
        }
        append_int(b, zone / 60, 2);
        if (c.std == kISO8601ColonTZ || c.std == kNumColonTZ || c.std == kISO8601ColonSecondsTZ ||
            c.std == kNumColonSecondsTZ) {
          b += ':';
        }
        if (c.std != kNumShortTZ && c.std != kISO8601ShortTZ) append_int(b, zone % 60, 2);
        if (c.std == kISO8601SecondsTZ || c.std == kNumSecondsTz || c.std == kNumColonSecondsTZ ||
            c.std == kISO8601ColonSecondsTZ) {
          if (c.std == kNumColonSecondsTZ || c.std == kISO8601ColonSecondsTZ) b += ':';
          append_int(b, absoffset % 60, 2);
        }
        break;
      }
      case kTZ: {
        if (!t.zone_name.empty()) {
          b += t.zone_name;
          break;
        }
        int zone = offset / 60;
        if (zone < 0) {
          b += '-';
          zone = -zone;
        } else {
          b += '+';
        }
        append_int(b, zone / 60, 2);
        append_int(b, zone % 60, 2);
        break;
      }
      case kFracSecond0:
      case kFracSecond9: {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%09d", nanosecond(t));
        int n = c.frac_digits > 9 ? 9 : c.frac_digits;
        if (c.std == kFracSecond9) {
          while (n > 0 && buf[n - 1] == '0') --n;
          if (n == 0) break;
        }
        b += c.frac_sep;
        b.append(buf, size_t(n));
        break;
      }
      case kNone: break;
    }
  }
  return b;
}

std::string format_time_string(const Time& t) { return format_time(t, "2006-01-02 15:04:05.999999999 -0700 MST"); }

std::string format_time_rfc3339_nano(const Time& t) { return format_time(t, "2006-01-02T15:04:05.999999999Z07:00"); }

}  // namespace utask::values::fn

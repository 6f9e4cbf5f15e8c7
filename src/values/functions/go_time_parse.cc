// time.Parse / ParseInLocation with Go layouts, errors worded as Go's ParseError (a port of
// Go's time/format.go).

#include "values/functions/go_time.h"
#include "values/functions/go_time_layout.h"
#include "values/functions/support.h"

namespace utask::values::fn {

using namespace layout;  // NOLINT: the layout vocabulary is this file's subject

namespace {

// The time package's quote(): ASCII printable kept, others escaped.
std::string time_quote(std::string_view s) { return go_quote(s); }

bool match_fold(std::string_view a, std::string_view b) {
  for (size_t i = 0; i < a.size(); ++i) {
    char c1 = a[i], c2 = b[i];
    if (c1 != c2) {
      c1 |= 0x20;
      c2 |= 0x20;
      if (c1 != c2 || c1 < 'a' || c1 > 'z') return false;
    }
  }
  return true;
}

bool lookup_name(const char* const* tab, int n, size_t len_limit, std::string_view& val, int& idx) {
  for (int i = 0; i < n; ++i) {
    std::string_view v = tab[i];
    if (len_limit) v = v.substr(0, len_limit);
    if (val.size() >= v.size() && match_fold(val.substr(0, v.size()), v)) {
      idx = i;
      val.remove_prefix(v.size());
      return true;
    }
  }
  return false;
}

bool getnum(std::string_view& s, bool fixed, int& out) {
  if (!is_digit_at(s, 0)) return false;
  if (!is_digit_at(s, 1)) {
    if (fixed) return false;
    out = s[0] - '0';
    s.remove_prefix(1);
    return true;
  }
  out = (s[0] - '0') * 10 + (s[1] - '0');
  s.remove_prefix(2);
  return true;
}

bool getnum3(std::string_view& s, bool fixed, int& out) {
  int n = 0;
  size_t i = 0;
  for (; i < 3 && is_digit_at(s, i); ++i) n = n * 10 + (s[i] - '0');
  if (i == 0 || (fixed && i != 3)) return false;
  out = n;
  s.remove_prefix(i);
  return true;
}

// Go's atoi: optional sign then decimal digits.
bool atoi_go(std::string_view s, int& out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  int64_t x = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    x = x * 10 + (c - '0');
    if (x > (int64_t(1) << 31)) return false;
  }
  out = int(neg ? -x : x);
  return true;
}

std::string_view cutspace(std::string_view s) {
  while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  return s;
}

bool skip(std::string_view& value, std::string_view prefix) {
  while (!prefix.empty()) {
    if (prefix[0] == ' ') {
      if (!value.empty() && value[0] != ' ') return false;
      prefix = cutspace(prefix);
      value = cutspace(value);
      continue;
    }
    if (value.empty() || value[0] != prefix[0]) return false;
    prefix.remove_prefix(1);
    value.remove_prefix(1);
  }
  return true;
}

size_t parse_signed_offset(std::string_view v) {
  if (v.empty() || (v[0] != '-' && v[0] != '+')) return 0;
  size_t i = 1;
  int64_t x = 0;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
    x = x * 10 + (v[i] - '0');
    if (x > 1000) break;
    ++i;
  }
  if (i == 1 || x > 23) return 0;
  return i;
}

bool parse_time_zone(std::string_view v, size_t& len) {
  if (v.size() < 3) return false;
  if (v.size() >= 4 && (v.substr(0, 4) == "ChST" || v.substr(0, 4) == "MeST")) {
    len = 4;
    return true;
  }
  if (v.substr(0, 3) == "GMT") {
    len = v.size() == 3 ? 3 : 3 + parse_signed_offset(v.substr(3));
    return true;
  }
  if (v[0] == '+' || v[0] == '-') {
    len = parse_signed_offset(v);
    return len > 0;
  }
  size_t n = 0;
  for (; n < 6 && n < v.size(); ++n) {
    if (v[n] < 'A' || v[n] > 'Z') break;
  }
  switch (n) {
    case 5:
      if (v[4] == 'T') {
        len = 5;
        return true;
      }
      return false;
    case 4:
      if (v[3] == 'T' || v.substr(0, 4) == "WITA") {
        len = 4;
        return true;
      }
      return false;
    case 3: len = 3; return true;
    default: return false;
  }
}

bool parse_nanos(std::string_view value, size_t nbytes, int& ns) {
  if (value.empty() || (value[0] != '.' && value[0] != ',')) return false;
  if (nbytes > 10) nbytes = 10;
  if (!atoi_go(value.substr(1, nbytes - 1), ns)) return false;
  for (size_t i = 0; i < 10 - nbytes; ++i) ns *= 10;
  return true;
}

int days_in(int month, int64_t year) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap(year)) return 29;
  return d[month - 1];
}

// Go's time.Date normalisation for in-range fields, as unix seconds in UTC.
int64_t date_seconds(int64_t year, int month, int day, int hour, int min, int sec) {
  return days_from_civil(year, month, 1) * 86400 + int64_t(day - 1) * 86400 + hour * 3600 + min * 60 + sec;
}

}  // namespace

Result<Time> parse_time(std::string_view layout, std::string_view value, const Location& loc) {
  const std::string alayout(layout), avalue(value);
  auto perr = [&](std::string_view lelem, std::string_view velem, std::string msg) -> Error {
    if (msg.empty()) {
      return call_error("parsing time " + time_quote(avalue) + " as " + time_quote(alayout) + ": cannot parse " +
                        time_quote(velem) + " as " + time_quote(lelem));
    }
    return call_error("parsing time " + time_quote(avalue) + msg);
  };
  bool am = false, pm = false;
  int64_t year = 0;
  int month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0;
  bool z_utc = false;
  int zone_offset = -1;
  bool have_offset = false;
  std::string zone_name;
  static const char* const kShortDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  while (true) {
    Chunk c = next_chunk(layout);
    std::string_view stdstr = layout.substr(c.prefix.size(), layout.size() - c.prefix.size() - c.suffix.size());
    if (!skip(value, c.prefix)) return perr(c.prefix, value, "");
    if (c.std == kNone) {
      if (!value.empty()) return perr("", value, ": extra text: " + time_quote(value));
      break;
    }
    layout = c.suffix;
    bool ok = true;
    std::string range;
    std::string_view hold = value;
    switch (c.std) {
      case kYear: {
        if (value.size() < 2) {
          ok = false;
          break;
        }
        int y;
        if (!atoi_go(value.substr(0, 2), y)) {
          ok = false;
          break;
        }
        value.remove_prefix(2);
        year = y >= 69 ? y + 1900 : y + 2000;
        break;
      }
      case kLongYear: {
        int y;
        if (value.size() < 4 || !is_digit_at(value, 0) || !atoi_go(value.substr(0, 4), y)) {
          ok = false;
          break;
        }
        value.remove_prefix(4);
        year = y;
        break;
      }
      case kMonth: ok = lookup_name(kLongMonths, 12, 3, value, month), ++month; break;
      case kLongMonth: ok = lookup_name(kLongMonths, 12, 0, value, month), ++month; break;
      case kNumMonth:
      case kZeroMonth:
        ok = getnum(value, c.std == kZeroMonth, month);
        if (ok && (month <= 0 || month > 12)) range = "month";
        break;
      case kWeekDay: {
        int ignored;
        ok = lookup_name(kShortDays, 7, 0, value, ignored);
        break;
      }
      case kLongWeekDay: {
        int ignored;
        ok = lookup_name(kLongDays, 7, 0, value, ignored);
        break;
      }
      case kDay:
      case kUnderDay:
      case kZeroDay:
        if (c.std == kUnderDay && !value.empty() && value[0] == ' ') value.remove_prefix(1);
        ok = getnum(value, c.std == kZeroDay, day);
        break;
      case kUnderYearDay:
      case kZeroYearDay:
        for (int i = 0; i < 2; ++i) {
          if (c.std == kUnderYearDay && !value.empty() && value[0] == ' ') value.remove_prefix(1);
        }
        ok = getnum3(value, c.std == kZeroYearDay, yday);
        break;
      case kHour:
        ok = getnum(value, false, hour);
        if (hour < 0 || hour >= 24) range = "hour";
        break;
      case kHour12:
      case kZeroHour12:
        ok = getnum(value, c.std == kZeroHour12, hour);
        if (hour < 0 || hour > 12) range = "hour";
        break;
      case kMinute:
      case kZeroMinute:
        ok = getnum(value, c.std == kZeroMinute, min);
        if (min < 0 || min >= 60) range = "minute";
        break;
      case kSecond:
      case kZeroSecond: {
        ok = getnum(value, c.std == kZeroSecond, sec);
        if (!ok) break;
        if (sec < 0 || sec >= 60) {
          range = "second";
          break;
        }
        if (value.size() >= 2 && (value[0] == '.' || value[0] == ',') && is_digit_at(value, 1)) {
          Std next = next_chunk(layout).std;
          if (next == kFracSecond0 || next == kFracSecond9) break;
          size_t n = 2;
          while (n < value.size() && is_digit_at(value, n)) ++n;
          ok = parse_nanos(value, n, nsec);
          value.remove_prefix(n);
        }
        break;
      }
      case kPM:
      case kpm: {
        if (value.size() < 2) {
          ok = false;
          break;
        }
        std::string_view p = value.substr(0, 2);
        value.remove_prefix(2);
        if (p == (c.std == kPM ? "PM" : "pm")) {
          pm = true;
        } else if (p == (c.std == kPM ? "AM" : "am")) {
          am = true;
        } else {
          ok = false;
        }
        break;
      }
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
        if ((c.std == kISO8601TZ || c.std == kISO8601ShortTZ || c.std == kISO8601ColonTZ) && !value.empty() &&
            value[0] == 'Z') {
          value.remove_prefix(1);
          z_utc = true;
          break;
        }
        std::string_view sign, hh, mm, ss = "00";
        if (c.std == kISO8601ColonTZ || c.std == kNumColonTZ) {
          if (value.size() < 6 || value[3] != ':') {
            ok = false;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(4, 2);
          value.remove_prefix(6);
        } else if (c.std == kNumShortTZ || c.std == kISO8601ShortTZ) {
          if (value.size() < 3) {
            ok = false;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = "00";
          value.remove_prefix(3);
        } else if (c.std == kISO8601ColonSecondsTZ || c.std == kNumColonSecondsTZ) {
          if (value.size() < 9 || value[3] != ':' || value[6] != ':') {
            ok = false;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(4, 2), ss = value.substr(7, 2);
          value.remove_prefix(9);
        } else if (c.std == kISO8601SecondsTZ || c.std == kNumSecondsTz) {
          if (value.size() < 7) {
            ok = false;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(3, 2), ss = value.substr(5, 2);
          value.remove_prefix(7);
        } else {
          if (value.size() < 5) {
            ok = false;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(3, 2);
          value.remove_prefix(5);
        }
        int h = 0, m = 0, s = 0;
        ok = atoi_go(hh, h) && atoi_go(mm, m) && atoi_go(ss, s);
        zone_offset = (h * 60 + m) * 60 + s;
        have_offset = true;
        if (sign[0] == '-') {
          zone_offset = -zone_offset;
        } else if (sign[0] != '+') {
          ok = false;
        }
        break;
      }
      case kTZ: {
        if (value.size() >= 3 && value.substr(0, 3) == "UTC") {
          z_utc = true;
          value.remove_prefix(3);
          break;
        }
        size_t n = 0;
        if (!parse_time_zone(value, n)) {
          ok = false;
          break;
        }
        zone_name = std::string(value.substr(0, n));
        value.remove_prefix(n);
        break;
      }
      case kFracSecond0: {
        size_t ndigit = 1 + size_t(c.frac_digits);
        if (value.size() < ndigit) {
          ok = false;
          break;
        }
        ok = parse_nanos(value, ndigit, nsec);
        value.remove_prefix(ndigit);
        break;
      }
      case kFracSecond9: {
        if (value.size() < 2 || (value[0] != '.' && value[0] != ',') || value[1] < '0' || value[1] > '9') break;
        size_t i = 0;
        while (i < 9 && i + 1 < value.size() && value[i + 1] >= '0' && value[i + 1] <= '9') ++i;
        ok = parse_nanos(value, 1 + i, nsec);
        value.remove_prefix(1 + i);
        break;
      }
      case kNone: break;
    }
    if (!range.empty()) return perr(stdstr, value, ": " + range + " out of range");
    if (!ok) {
      if (c.std == kYear) value = hold;
      return perr(stdstr, value, "");
    }
  }
  if (pm && hour < 12) {
    hour += 12;
  } else if (am && hour == 12) {
    hour = 0;
  }
  if (yday >= 0) {
    static const int before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};
    int d = 0, m = 0;
    if (is_leap(year)) {
      if (yday == 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) {
        --yday;
      }
    }
    if (yday < 1 || yday > 365) return perr("", value, ": day-of-year out of range");
    if (m == 0) {
      m = (yday - 1) / 31 + 1;
      if (before[m] < yday) ++m;
      d = yday - before[m - 1];
    }
    if (month >= 0 && month != m) return perr("", value, ": day-of-year does not match month");
    month = m;
    if (day >= 0 && day != d) return perr("", value, ": day-of-year does not match day");
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > days_in(month, year)) return perr("", value, ": day out of range");
  int64_t secs = date_seconds(year, month, day, hour, min, sec);
  if (z_utc) return time_in(secs, nsec, *utc_location());
  if (have_offset) {
    int64_t u = secs - zone_offset;
    Time local = time_in(u, nsec, loc);
    if (local.utc_offset_seconds == zone_offset && (zone_name.empty() || local.zone_name == zone_name)) return local;
    Time t = time_in(u, nsec, *utc_location());
    t.utc_offset_seconds = zone_offset;
    t.zone_name = zone_name;
    return t;
  }
  if (!zone_name.empty()) {
    // Go looks the abbreviation up in the location; then GMT+h; else an unknown zone at +0.
    for (int64_t probe : {secs}) {
      Time local = time_in(probe, nsec, loc);
      if (local.zone_name == zone_name) {
        Time t = time_in(secs - local.utc_offset_seconds, nsec, loc);
        return t;
      }
    }
    int offset = 0;
    if (zone_name.size() > 3 && zone_name.substr(0, 3) == "GMT") {
      int h = 0;
      atoi_go(zone_name.substr(3), h);
      offset = h * 3600;
    }
    Time t = time_in(secs, nsec, *utc_location());
    t.utc_offset_seconds = offset;
    t.zone_name = zone_name;
    return t;
  }
  // Local time in loc: find the offset in effect (Go's Date resolves the wall clock).
  const Time guess = time_in(secs, nsec, loc);
  Time t = time_in(secs - guess.utc_offset_seconds, nsec, loc);
  if (t.utc_offset_seconds != guess.utc_offset_seconds) {
    Time t2 = time_in(secs - t.utc_offset_seconds, nsec, loc);
    if (t2.utc_offset_seconds == t.utc_offset_seconds) t = t2;
  }
  return t;
}

}  // namespace utask::values::fn

#pragma once
// Go's time layout elements (the std chunks of time/format.go), shared by Time.Format and
// time.Parse, and the civil-calendar arithmetic behind them. Internal to values/functions/.

#include <cstdint>
#include <string>
#include <string_view>

namespace utask::values::fn::layout {

enum Std {
  kNone,
  kLongMonth,
  kMonth,
  kNumMonth,
  kZeroMonth,
  kLongWeekDay,
  kWeekDay,
  kDay,
  kUnderDay,
  kZeroDay,
  kUnderYearDay,
  kZeroYearDay,
  kHour,
  kHour12,
  kZeroHour12,
  kMinute,
  kZeroMinute,
  kSecond,
  kZeroSecond,
  kLongYear,
  kYear,
  kPM,
  kpm,
  kTZ,
  kISO8601TZ,
  kISO8601SecondsTZ,
  kISO8601ShortTZ,
  kISO8601ColonTZ,
  kISO8601ColonSecondsTZ,
  kNumTZ,
  kNumSecondsTz,
  kNumShortTZ,
  kNumColonTZ,
  kNumColonSecondsTZ,
  kFracSecond0,
  kFracSecond9,
};

struct Chunk {
  std::string_view prefix;
  Std std = kNone;
  int frac_digits = 0;
  char frac_sep = '.';
  std::string_view suffix;
};

inline bool starts_lower(std::string_view s) { return !s.empty() && s[0] >= 'a' && s[0] <= 'z'; }
inline bool is_digit_at(std::string_view s, size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

inline Chunk next_chunk(std::string_view layout) {
  auto at = [&](size_t i, std::string_view w) { return layout.substr(i, w.size()) == w; };
  for (size_t i = 0; i < layout.size(); ++i) {
    auto make = [&](Std s, size_t len) { return Chunk{layout.substr(0, i), s, 0, '.', layout.substr(i + len)}; };
    switch (layout[i]) {
      case 'J':
        if (at(i, "Jan")) {
          if (at(i, "January")) return make(kLongMonth, 7);
          if (!starts_lower(layout.substr(i + 3))) return make(kMonth, 3);
        }
        break;
      case 'M':
        if (at(i, "Mon")) {
          if (at(i, "Monday")) return make(kLongWeekDay, 6);
          if (!starts_lower(layout.substr(i + 3))) return make(kWeekDay, 3);
        }
        if (at(i, "MST")) return make(kTZ, 3);
        break;
      case '0':
        if (i + 1 < layout.size() && layout[i + 1] >= '1' && layout[i + 1] <= '6') {
          static const Std zx[] = {kZeroMonth, kZeroDay, kZeroHour12, kZeroMinute, kZeroSecond, kYear};
          return make(zx[layout[i + 1] - '1'], 2);
        }
        if (at(i, "002")) return make(kZeroYearDay, 3);
        break;
      case '1':
        if (at(i, "15")) return make(kHour, 2);
        return make(kNumMonth, 1);
      case '2':
        if (at(i, "2006")) return make(kLongYear, 4);
        return make(kDay, 1);
      case '_':
        if (at(i, "_2")) {
          if (at(i, "_2006")) return Chunk{layout.substr(0, i + 1), kLongYear, 0, '.', layout.substr(i + 5)};
          return make(kUnderDay, 2);
        }
        if (at(i, "__2")) return make(kUnderYearDay, 3);
        break;
      case '3': return make(kHour12, 1);
      case '4': return make(kMinute, 1);
      case '5': return make(kSecond, 1);
      case 'P':
        if (at(i, "PM")) return make(kPM, 2);
        break;
      case 'p':
        if (at(i, "pm")) return make(kpm, 2);
        break;
      case '-':
        if (at(i, "-070000")) return make(kNumSecondsTz, 7);
        if (at(i, "-07:00:00")) return make(kNumColonSecondsTZ, 9);
        if (at(i, "-0700")) return make(kNumTZ, 5);
        if (at(i, "-07:00")) return make(kNumColonTZ, 6);
        if (at(i, "-07")) return make(kNumShortTZ, 3);
        break;
      case 'Z':
        if (at(i, "Z070000")) return make(kISO8601SecondsTZ, 7);
        if (at(i, "Z07:00:00")) return make(kISO8601ColonSecondsTZ, 9);
        if (at(i, "Z0700")) return make(kISO8601TZ, 5);
        if (at(i, "Z07:00")) return make(kISO8601ColonTZ, 6);
        if (at(i, "Z07")) return make(kISO8601ShortTZ, 3);
        break;
      case '.':
      case ',':
        if (i + 1 < layout.size() && (layout[i + 1] == '0' || layout[i + 1] == '9')) {
          char ch = layout[i + 1];
          size_t j = i + 1;
          while (j < layout.size() && layout[j] == ch) ++j;
          if (!is_digit_at(layout, j)) {
            return Chunk{layout.substr(0, i), ch == '0' ? kFracSecond0 : kFracSecond9, int(j - (i + 1)), layout[i],
                         layout.substr(j)};
          }
        }
        break;
    }
  }
  return Chunk{layout, kNone, 0, '.', {}};
}

inline const char* const kLongMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};
inline const char* const kLongDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

// Howard Hinnant's civil-from-days.
inline void civil(int64_t days, int64_t& y, int& m, int& d) {
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  d = int(doy - (153 * mp + 2) / 5 + 1);
  m = int(mp < 10 ? mp + 3 : mp - 9);
  if (m <= 2) ++y;
}

inline int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

inline bool is_leap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

inline void append_int(std::string& b, int64_t x, int width) {
  if (x < 0) {
    b += '-';
    x = -x;
  }
  std::string digits = std::to_string(x);
  for (int i = int(digits.size()); i < width; ++i) b += '0';
  b += digits;
}

inline int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace utask::values::fn::layout

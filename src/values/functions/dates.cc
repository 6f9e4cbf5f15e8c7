// sprig's date functions (date.go) with Go's layouts ("2006-01-02 15:04:05"), zones from the
// system tz database and Go's duration texts.

#include "values/functions/families.h"
#include "values/functions/go_time.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

constexpr int64_t kSecond = 1000000000;

// The time a date argument stands for: a time, or Unix seconds given as int/int64 (int32 too
// where sprig accepts it); anything else means now.
Time date_arg(const Value& v, bool accept_int32) {
  if (v.is(Value::Kind::time)) return v.as_time();
  if (v.is(Value::Kind::integer)) {
    Value::GoType g = v.go_type();
    if (g == Value::GoType::standard || g == Value::GoType::int64 || (accept_int32 && g == Value::GoType::int32)) {
      return time_in(v.as_int(), 0, *local_location());
    }
  }
  return now_in(*local_location());
}

std::string date_in_zone(const std::string& layout, const Value& date, const std::string& zone) {
  Time t = date_arg(date, true);
  LocationPtr loc = load_location(zone);
  if (!loc) loc = utc_location();
  return format_time(time_in(t, *loc), layout);
}

int64_t since(const Time& t) {
  Time now = now_in(*utc_location());
  int64_t sec;
  // Go's Sub saturates at the Duration range.
  if (__builtin_sub_overflow(unix_seconds(now), unix_seconds(t), &sec))
    return unix_seconds(t) < 0 ? INT64_MAX : INT64_MIN;
  int64_t ns = int64_t(nanosecond(now)) - nanosecond(t);
  if (sec > 9223372035) return INT64_MAX;
  if (sec < -9223372035) return INT64_MIN;
  return sec * kSecond + ns;
}

int64_t round_duration(int64_t d, int64_t m) {
  auto less_than_half = [](int64_t x, int64_t y) { return uint64_t(x) + uint64_t(x) < uint64_t(y); };
  int64_t r = d % m;
  if (d < 0) {
    r = -r;
    if (less_than_half(r, m)) return d + r;
    int64_t d1 = wrap_add(wrap_sub(d, m), r);
    return d1 < d ? d1 : INT64_MIN;
  }
  if (less_than_half(r, m)) return d - r;
  int64_t d1 = wrap_sub(wrap_add(d, m), r);
  return d1 > d ? d1 : INT64_MAX;
}

// strconv.ParseInt(s, 10, 64) as sprig's duration ignores its error (a range error keeps the
// clamped value).
int64_t parse_int10(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return 0;
  unsigned __int128 acc = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    if (acc < ((unsigned __int128)1 << 70)) acc = acc * 10 + unsigned(c - '0');
  }
  if (neg) return acc > (unsigned __int128)INT64_MAX + 1 ? INT64_MIN : int64_t(-(__int128)acc);
  return acc > (unsigned __int128)INT64_MAX ? INT64_MAX : int64_t(acc);
}

std::string duration_round(const Value& v) {
  int64_t d = 0;
  if (v.is(Value::Kind::string)) {
    auto p = parse_duration(v.as_string());
    d = p ? *p : 0;
  } else if (v.is(Value::Kind::integer) && v.go_type() == Value::GoType::int64) {
    d = v.as_int();
  } else if (v.is(Value::Kind::time)) {
    d = since(v.as_time());
  }
  uint64_t u = uint64_t(d);
  if (d < 0) u = uint64_t(0) - u;
  const uint64_t second = 1000000000ULL, minute = 60 * second, hour = 60 * minute, day = 24 * hour, month = 30 * day,
                 year = 365 * day;
  if (u > year) return std::to_string(u / year) + "y";
  if (u > month) return std::to_string(u / month) + "mo";
  if (u > day) return std::to_string(u / day) + "d";
  if (u > hour) return std::to_string(u / hour) + "h";
  if (u > minute) return std::to_string(u / minute) + "m";
  if (u > second) return std::to_string(u / second) + "s";
  return "0s";
}

Value time_value(Time t) { return Value::time(std::move(t)); }

}  // namespace

void add_date_functions(FunctionTable& t) {
  t.add(row("now", "func() time.Time", "The current time (local zone).", R"({{ now | date "2006" | len }})",
            [](FunctionCall&) -> Result<Value> { return time_value(now_in(*local_location())); }));
  t.add(row("ago", "func(date interface{}) string", "Time elapsed since date, rounded to the second.",
            R"({{ ago now }})", [](FunctionCall& c) -> Result<Value> {
              Value v = arg(c, 0);
              Time when = now_in(*utc_location());
              if (v.is(Value::Kind::time)) {
                when = v.as_time();
              } else if (v.is(Value::Kind::integer) &&
                         (v.go_type() == Value::GoType::standard || v.go_type() == Value::GoType::int64)) {
                when = time_in(v.as_int(), 0, *utc_location());
              }
              return Value::string(format_duration(round_duration(since(when), kSecond)));
            }));
  auto date = [](FunctionCall& c) -> Result<Value> {
    return Value::string(date_in_zone(arg_string(c, 0), arg(c, 1), "Local"));
  };
  t.add(row("date", "func(fmt string, date interface{}) string",
            "Formats a time (or Unix seconds) with a Go layout, in the local zone.", R"({{ date "2006-01-02" 0 }})",
            date));
  auto in_zone = [](FunctionCall& c) -> Result<Value> {
    return Value::string(date_in_zone(arg_string(c, 0), arg(c, 1), arg_string(c, 2)));
  };
  t.add(row("dateInZone", "func(fmt string, date interface{}, zone string) string",
            "Formats a time in a zone (unknown zones mean UTC).", R"({{ dateInZone "2006-01-02 15:04 MST" 0 "UTC" }})",
            in_zone));
  t.add(row("date_in_zone", "func(fmt string, date interface{}, zone string) string", "Alias of dateInZone.",
            R"({{ date_in_zone "15:04" 0 "UTC" }})", in_zone));
  t.add(row(
      "htmlDate", "func(date interface{}) string", "The date as 2006-01-02 (local zone).", R"({{ htmlDate 0 }})",
      [](FunctionCall& c) -> Result<Value> { return Value::string(date_in_zone("2006-01-02", arg(c, 0), "Local")); }));
  t.add(row("htmlDateInZone", "func(date interface{}, zone string) string", "The date as 2006-01-02 in a zone.",
            R"({{ htmlDateInZone 0 "UTC" }})", [](FunctionCall& c) -> Result<Value> {
              return Value::string(date_in_zone("2006-01-02", arg(c, 0), arg_string(c, 1)));
            }));
  auto modify = [](bool must) {
    return [must](FunctionCall& c) -> Result<Value> {
      auto d = parse_duration(arg_string(c, 0));
      if (!d) {
        if (must) return d.error();
        return c.args.size() > 1 ? c.args[1] : time_value(zero_time());
      }
      return time_value(add_duration(c.args.size() > 1 ? c.args[1].as_time() : zero_time(), *d));
    };
  };
  t.add(row("dateModify", "func(fmt string, date time.Time) time.Time",
            "Adds a Go duration (\"-1.5h\", \"30m\") to a time; a bad duration leaves it unchanged.",
            R"({{ toDate "2006-01-02" "2020-01-01" | dateModify "36h" | date "2006-01-02 15:04" }})", modify(false)));
  t.add(row("date_modify", "func(fmt string, date time.Time) time.Time", "Alias of dateModify.",
            R"({{ toDate "2006-01-02" "2020-01-01" | date_modify "1h" | date "15:04" }})", modify(false)));
  t.add(row("mustDateModify", "func(fmt string, date time.Time) (time.Time, error)",
            "dateModify, failing on a bad duration.",
            R"({{ toDate "2006-01-02" "2020-01-01" | mustDateModify "1h" | date "15:04" }})", modify(true)));
  t.add(row("must_date_modify", "func(fmt string, date time.Time) (time.Time, error)", "Alias of mustDateModify.",
            R"({{ toDate "2006-01-02" "2020-01-01" | must_date_modify "1h" | date "15:04" }})", modify(true)));
  t.add(row("duration", "func(sec interface{}) string",
            "Seconds (an int64 or a decimal string; other types count as 0) as a Go duration text.",
            R"({{ duration "95" }})", [](FunctionCall& c) -> Result<Value> {
              Value v = arg(c, 0);
              int64_t n = 0;
              if (v.is(Value::Kind::string)) {
                n = parse_int10(v.as_string());
              } else if (v.is(Value::Kind::integer) && v.go_type() == Value::GoType::int64) {
                n = v.as_int();
              }
              return Value::string(format_duration(int64_t(uint64_t(n) * uint64_t(kSecond))));
            }));
  t.add(row("durationRound", "func(duration interface{}) string",
            "A duration (Go text, int64 nanoseconds, or the time since a date) rounded to its largest unit.",
            R"({{ durationRound "2h10m5s" }})",
            [](FunctionCall& c) -> Result<Value> { return Value::string(duration_round(arg(c, 0))); }));
  auto to_date = [](bool must) {
    return [must](FunctionCall& c) -> Result<Value> {
      auto r = parse_time(arg_string(c, 0), arg_string(c, 1), *local_location());
      if (!r) {
        if (must) return r.error();
        return time_value(zero_time());
      }
      return time_value(*r);
    };
  };
  t.add(row("toDate", "func(fmt string, str string) time.Time",
            "Parses a date with a Go layout (local zone); the zero time when it does not parse.",
            R"({{ toDate "2006-01-02" "2017-12-31" | date "02/01/2006" }})", to_date(false)));
  t.add(row("mustToDate", "func(fmt string, str string) (time.Time, error)", "toDate, failing when it does not parse.",
            R"({{ mustToDate "2006-01-02" "2017-12-31" | date "02/01/2006" }})", to_date(true)));
  t.add(row("unixEpoch", "func(date time.Time) string", "Unix seconds of a time.",
            R"({{ toDate "2006-01-02" "2020-01-01" | unixEpoch }})", [](FunctionCall& c) -> Result<Value> {
              return Value::string(std::to_string(unix_seconds(c.args.empty() ? zero_time() : c.args[0].as_time())));
            }));
}

}  // namespace utask::values::fn

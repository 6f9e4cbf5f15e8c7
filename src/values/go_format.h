#pragma once
// Go's fmt and strconv as text/template output needs them: `%v` of every value kind, Print /
// Println operand spacing, Printf with all verbs, flags, widths, precisions, argument indexes
// and Go's in-band error forms (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA int=1)`), Go's float
// formatting (shortest round-trip digits) and time.Time's String/RFC 3339 forms.

#include <string>
#include <string_view>
#include <vector>

#include "values/value.h"

namespace utask::values {

// fmt.Sprint(v): `%v`. A missing value prints as Go prints a nil interface: `<nil>`.
std::string go_sprint_value(const Value& v);
// fmt.Sprint / fmt.Sprintln / fmt.Sprintf over several operands.
std::string go_sprint(const std::vector<Value>& args);
std::string go_sprintln(const std::vector<Value>& args);
std::string go_sprintf(std::string_view format, const std::vector<Value>& args);

// strconv.FormatFloat(d, fmt, prec, 64) for fmt in "eEfgG" (prec -1: shortest).
std::string go_format_float(double d, char fmt, int prec);
// strconv.Quote and strconv.QuoteToASCII.
std::string go_quote_string(std::string_view s);
std::string go_quote_ascii(std::string_view s);
// strconv.QuoteRune.
std::string go_quote_rune(char32_t r);

// time.Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST".
std::string time_string(const Time& t);
// time.Time.MarshalJSON's text: RFC 3339 with nanoseconds ("2006-01-02T15:04:05.999999999Z07:00").
std::string time_rfc3339(const Time& t);

}  // namespace utask::values

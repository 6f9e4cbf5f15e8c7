#include "values/methods.h"

#include <cerrno>
#include <cstdlib>
#include <map>

#include "values/functions/go_time.h"
#include "values/go_format.h"

namespace utask::values {
namespace {

// Go's json.Number methods (the only methods of data values).
const FunctionTable& number_methods() {
  static const FunctionTable* t = [] {
    auto* table = new FunctionTable();
    table->add(FunctionRow{"String", "func() string", "", "",
                           [](FunctionCall& c) -> Result<Value> { return Value::string(c.args[0].as_string()); }});
    table->add(FunctionRow{"Int64", "func() (int64, error)", "", "", [](FunctionCall& c) -> Result<Value> {
                             const std::string& s = c.args[0].as_string();
                             errno = 0;
                             char* end = nullptr;
                             long long v = std::strtoll(s.c_str(), &end, 10);
                             if (s.empty() || end != s.c_str() + s.size() || s[0] == '+')
                               return Error::invalid_template("strconv.ParseInt: parsing " + go_quote_string(s) +
                                                              ": invalid syntax");
                             if (errno == ERANGE)
                               return Error::invalid_template("strconv.ParseInt: parsing " + go_quote_string(s) +
                                                              ": value out of range");
                             return Value::integer(v);
                           }});
    table->add(FunctionRow{"Float64", "func() (float64, error)", "", "", [](FunctionCall& c) -> Result<Value> {
                             const std::string& s = c.args[0].as_string();
                             char* end = nullptr;
                             double v = std::strtod(s.c_str(), &end);
                             if (s.empty() || end != s.c_str() + s.size())
                               return Error::invalid_template("strconv.ParseFloat: parsing " + go_quote_string(s) +
                                                              ": invalid syntax");
                             return Value::floating(v);
                           }});
    return table;
  }();
  return *t;
}

// time.Time's methods that templates use (`(now).Unix`, `(toDate ...).Format "2006"`).
const FunctionTable& time_methods() {
  static const FunctionTable* t = [] {
    auto* table = new FunctionTable();
    auto field = [table](const char* name, const char* layout) {
      std::string l = layout;
      table->add(FunctionRow{name, "func() int", "", "", [l](FunctionCall& c) -> Result<Value> {
                               return Value::integer(std::stoll(fn::format_time(c.args[0].as_time(), l)));
                             }});
    };
    field("Year", "2006");
    field("Day", "2");
    field("Hour", "15");
    field("Minute", "4");
    field("Second", "5");
    field("YearDay", "002");
    table->add(FunctionRow{"Nanosecond", "func() int", "", "", [](FunctionCall& c) -> Result<Value> {
                             return Value::integer(c.args[0].as_time().nanos);
                           }});
    table->add(FunctionRow{"Unix", "func() int64", "", "", [](FunctionCall& c) -> Result<Value> {
                             return Value::integer(c.args[0].as_time().unix_seconds);
                           }});
    table->add(FunctionRow{"UnixMilli", "func() int64", "", "", [](FunctionCall& c) -> Result<Value> {
                             const Time& tm = c.args[0].as_time();
                             return Value::integer(tm.unix_seconds * 1000 + tm.nanos / 1000000);
                           }});
    table->add(FunctionRow{"UnixNano", "func() int64", "", "", [](FunctionCall& c) -> Result<Value> {
                             const Time& tm = c.args[0].as_time();
                             return Value::integer(tm.unix_seconds * 1000000000 + tm.nanos);
                           }});
    table->add(FunctionRow{"Format", "func(layout string) string", "", "", [](FunctionCall& c) -> Result<Value> {
                             return Value::string(fn::format_time(c.args[0].as_time(), c.args[1].as_string()));
                           }});
    table->add(FunctionRow{"String", "func() string", "", "", [](FunctionCall& c) -> Result<Value> {
                             return Value::string(time_string(c.args[0].as_time()));
                           }});
    table->add(FunctionRow{"UTC", "func() time.Time", "", "", [](FunctionCall& c) -> Result<Value> {
                             return Value::time(fn::time_in(c.args[0].as_time(), *fn::utc_location()));
                           }});
    table->add(FunctionRow{"Local", "func() time.Time", "", "", [](FunctionCall& c) -> Result<Value> {
                             return Value::time(fn::time_in(c.args[0].as_time(), *fn::local_location()));
                           }});
    return table;
  }();
  return *t;
}

}  // namespace

const FunctionRow* find_method(const Value& v, const std::string& name, const GoSignature** sig) {
  static const auto* sigs = new std::map<const FunctionRow*, GoSignature>([] {
    std::map<const FunctionRow*, GoSignature> m;
    for (const auto* table : {&number_methods(), &time_methods()})
      for (const auto& row : table->rows()) m.emplace(&row, parse_go_signature(row.signature));
    return m;
  }());
  const FunctionRow* row = nullptr;
  if (v.is(Value::Kind::number)) row = number_methods().find(name);
  if (v.is(Value::Kind::time)) row = time_methods().find(name);
  if (row) *sig = &sigs->at(row);
  return row;
}

}  // namespace utask::values

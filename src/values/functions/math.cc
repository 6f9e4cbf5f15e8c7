// sprig's integer and float arithmetic (functions.go, numeric.go). Integer functions convert
// with cast.ToInt64 (unparsable → 0) and wrap on overflow like Go's int64; the float
// functions add/sub/mul/div through exact decimals as sprig does with shopspring/decimal.

#include <sodium.h>

#include <boost/multiprecision/cpp_int.hpp>
#include <charconv>
#include <cmath>
#include <limits>

#include "values/functions/families.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

using boost::multiprecision::cpp_int;

// A decimal mantissa × 10^exp, built from a double's shortest digits (decimal.NewFromFloat).
struct Decimal {
  cpp_int mantissa = 0;
  int exp = 0;
};

Decimal from_double(double d) {
  Decimal out;
  if (d == 0 || !std::isfinite(d)) return out;
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  bool neg = sci[0] == '-';
  if (neg) sci.erase(0, 1);
  size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  int exp10 = std::stoi(sci.substr(e + 1));
  std::string mant;
  for (char c : digits) {
    if (c != '.') mant += c;
  }
  out.mantissa = cpp_int(mant);
  if (neg) out.mantissa = -out.mantissa;
  out.exp = exp10 - int(mant.size() - 1);
  return out;
}

cpp_int pow10(int n) {
  cpp_int r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

void align(Decimal& a, Decimal& b) {
  if (a.exp > b.exp) {
    a.mantissa *= pow10(a.exp - b.exp);
    a.exp = b.exp;
  } else if (b.exp > a.exp) {
    b.mantissa *= pow10(b.exp - a.exp);
    b.exp = a.exp;
  }
}

Decimal add(Decimal a, Decimal b) {
  align(a, b);
  return {a.mantissa + b.mantissa, a.exp};
}
Decimal sub(Decimal a, Decimal b) {
  align(a, b);
  return {a.mantissa - b.mantissa, a.exp};
}
Decimal mul(const Decimal& a, const Decimal& b) { return {a.mantissa * b.mantissa, a.exp + b.exp}; }

// DivRound(b, 16): the quotient rounded half away from zero to 16 decimal places.
Result<Decimal> div(const Decimal& a, const Decimal& b) {
  if (b.mantissa == 0) return call_error("decimal division by 0");
  constexpr int kPrecision = 16;
  int k = a.exp - b.exp + kPrecision;
  cpp_int num = abs(a.mantissa), den = abs(b.mantissa);
  if (k >= 0) {
    num *= pow10(k);
  } else {
    den *= pow10(-k);
  }
  cpp_int q = num / den, r = num % den;
  if (2 * r >= den) q += 1;
  if ((a.mantissa < 0) != (b.mantissa < 0)) q = -q;
  return Decimal{q, -kPrecision};
}

double to_double(const Decimal& d) {
  std::string s = d.mantissa.str() + "e" + std::to_string(d.exp);
  return std::strtod(s.c_str(), nullptr);  // correctly rounded, as big.Rat's Float64
}

using DecimalOp = Result<Decimal> (*)(const Decimal&, const Decimal&);

Result<Value> decimal_fold(const Value& first, const std::vector<Value>& rest, DecimalOp op) {
  auto checked = [](const Value& v) -> Result<Decimal> {
    double d = to_float64(v);
    if (std::isnan(d)) return call_error("Cannot create a Decimal from NaN");
    if (std::isinf(d)) return call_error(std::string("Cannot create a Decimal from ") + (d > 0 ? "+Inf" : "-Inf"));
    return from_double(d);
  };
  auto acc = checked(first);
  if (!acc) return acc.error();
  Decimal result = *acc;
  for (const Value& v : rest) {
    auto x = checked(v);
    if (!x) return x.error();
    auto r = op(result, *x);
    if (!r) return r.error();
    result = *r;
  }
  return Value::floating(to_double(result));
}

Result<Decimal> op_add(const Decimal& a, const Decimal& b) { return add(a, b); }
Result<Decimal> op_sub(const Decimal& a, const Decimal& b) { return sub(a, b); }
Result<Decimal> op_mul(const Decimal& a, const Decimal& b) { return mul(a, b); }
Result<Decimal> op_div(const Decimal& a, const Decimal& b) { return div(a, b); }

int64_t wrap_mul(int64_t a, int64_t b) { return int64_t(uint64_t(a) * uint64_t(b)); }

Value i64(int64_t v) { return Value::integer(v); }

std::vector<Value> tail(const FunctionCall& c, size_t from) {
  return from < c.args.size() ? std::vector<Value>(c.args.begin() + long(from), c.args.end()) : std::vector<Value>{};
}

// untilStep; bounded so a template cannot exhaust memory.
constexpr int64_t kMaxSteps = int64_t(1) << 20;

Result<std::vector<int64_t>> until_step(int64_t start, int64_t stop, int64_t step) {
  std::vector<int64_t> v;
  auto push = [&](int64_t i) -> bool {
    if (int64_t(v.size()) >= kMaxSteps) return false;
    v.push_back(i);
    return true;
  };
  if (stop < start) {
    if (step >= 0) return v;
    for (int64_t i = start; i > stop; i += step) {
      if (!push(i)) return call_error("untilStep: too many elements");
      if (__builtin_add_overflow(i, step, &i)) break;
      i -= step;
    }
    return v;
  }
  if (step <= 0) return v;
  for (int64_t i = start; i < stop; i += step) {
    if (!push(i)) return call_error("untilStep: too many elements");
    if (__builtin_add_overflow(i, step, &i)) break;
    i -= step;
  }
  return v;
}

Value int_list(const std::vector<int64_t>& v) {
  List out;
  for (int64_t i : v) out.push_back(Value::integer(i));
  return Value::list(std::move(out)).with_go_type(Value::GoType::int_slice);
}

Result<Value> seq(const std::vector<Value>& params) {
  std::vector<int64_t> p;
  for (const Value& v : params) p.push_back(to_int64(v));
  Result<std::vector<int64_t>> r = std::vector<int64_t>{};
  switch (p.size()) {
    case 1: {
      int64_t start = 1, end = p[0], inc = end < start ? -1 : 1;
      r = until_step(start, wrap_add(end, inc), inc);
      break;
    }
    case 2: {
      int64_t start = p[0], end = p[1], step = end < start ? -1 : 1;
      r = until_step(start, wrap_add(end, step), step);
      break;
    }
    case 3: {
      int64_t start = p[0], end = p[2], step = p[1], inc = 1;
      if (end < start) {
        inc = -1;
        if (step > 0) return Value::string("");
      }
      r = until_step(start, wrap_add(end, inc), step);
      break;
    }
    default: return Value::string("");
  }
  if (!r) return r.error();
  std::string out;
  for (size_t i = 0; i < r->size(); ++i) {
    if (i) out += ' ';
    out += std::to_string((*r)[i]);
  }
  return Value::string(out);
}

Error divide_by_zero() { return call_error("runtime error: integer divide by zero"); }

}  // namespace

void add_math_functions(FunctionTable& t) {
  t.add(row("add1", "func(i interface{}) int64", "i + 1.", R"({{ add1 41 }})",
            [](FunctionCall& c) -> Result<Value> { return i64(wrap_add(to_int64(arg(c, 0)), 1)); }));
  t.add(row("add", "func(i ...interface{}) int64", "Sum of the arguments as integers (unparsable → 0).",
            R"({{ add 1 "2" 3 }})", [](FunctionCall& c) -> Result<Value> {
              int64_t a = 0;
              for (const Value& v : c.args) a = wrap_add(a, to_int64(v));
              return i64(a);
            }));
  t.add(row("sub", "func(a interface{}, b interface{}) int64", "a - b.", R"({{ sub 10 3 }})",
            [](FunctionCall& c) -> Result<Value> {
              return i64(int64_t(uint64_t(to_int64(arg(c, 0))) - uint64_t(to_int64(arg(c, 1)))));
            }));
  t.add(row("div", "func(a interface{}, b interface{}) int64", "Integer division (truncated).", R"({{ div 10 3 }})",
            [](FunctionCall& c) -> Result<Value> {
              int64_t a = to_int64(arg(c, 0)), b = to_int64(arg(c, 1));
              if (b == 0) return divide_by_zero();
              if (b == -1) return i64(int64_t(uint64_t(0) - uint64_t(a)));
              return i64(a / b);
            }));
  t.add(row("mod", "func(a interface{}, b interface{}) int64", "Remainder of the integer division.",
            R"({{ mod 10 3 }})", [](FunctionCall& c) -> Result<Value> {
              int64_t a = to_int64(arg(c, 0)), b = to_int64(arg(c, 1));
              if (b == 0) return divide_by_zero();
              if (b == -1) return i64(0);
              return i64(a % b);
            }));
  t.add(row("mul", "func(a interface{}, v ...interface{}) int64", "Product of the arguments as integers.",
            R"({{ mul 2 3 4 }})", [](FunctionCall& c) -> Result<Value> {
              int64_t a = to_int64(arg(c, 0));
              for (size_t i = 1; i < c.args.size(); ++i) a = wrap_mul(a, to_int64(c.args[i]));
              return i64(a);
            }));
  t.add(row("randInt", "func(min int, max int) int", "A random integer in [min, max).", R"({{ randInt 1 2 }})",
            [](FunctionCall& c) -> Result<Value> {
              int64_t lo = arg_int(c, 0), hi = arg_int(c, 1);
              int64_t n = int64_t(uint64_t(hi) - uint64_t(lo));
              if (n <= 0) return call_error("invalid argument to Intn");
              uint64_t r;
              randombytes_buf(&r, sizeof r);
              return Value::integer(int64_t(r % uint64_t(n)) + lo);
            }));
  t.add(row("until", "func(count int) []int", "0, 1, ... count-1 (counting down for a negative count).",
            R"({{ until 5 }})", [](FunctionCall& c) -> Result<Value> {
              int64_t n = arg_int(c, 0);
              auto r = until_step(0, n, n < 0 ? -1 : 1);
              if (!r) return r.error();
              return int_list(*r);
            }));
  t.add(row("untilStep", "func(start int, stop int, step int) []int", "start, start+step, ... up to stop (excluded).",
            R"({{ untilStep 0 10 3 }})", [](FunctionCall& c) -> Result<Value> {
              auto r = until_step(arg_int(c, 0), arg_int(c, 1), arg_int(c, 2));
              if (!r) return r.error();
              return int_list(*r);
            }));
  t.add(row("seq", "func(params ...int) string", "Like Unix seq: [start [step]] end, as space-separated text.",
            R"({{ seq 1 2 9 }})", [](FunctionCall& c) { return seq(c.args); }));
  t.add(row("add1f", "func(i interface{}) float64", "i + 1 as a float.", R"({{ add1f 1.5 }})",
            [](FunctionCall& c) -> Result<Value> { return decimal_fold(arg(c, 0), {Value::integer(1)}, op_add); }));
  t.add(row("addf", "func(i ...interface{}) float64", "Sum as floats (exact decimal arithmetic).",
            R"({{ addf 1.5 2 }})",
            [](FunctionCall& c) -> Result<Value> { return decimal_fold(Value::floating(0), c.args, op_add); }));
  t.add(row("subf", "func(a interface{}, v ...interface{}) float64", "a minus the others, as floats.",
            R"({{ subf 1.5 0.5 }})",
            [](FunctionCall& c) -> Result<Value> { return decimal_fold(arg(c, 0), tail(c, 1), op_sub); }));
  t.add(row("divf", "func(a interface{}, v ...interface{}) float64", "a divided by the others (16 decimal places).",
            R"({{ divf 10 4 }})",
            [](FunctionCall& c) -> Result<Value> { return decimal_fold(arg(c, 0), tail(c, 1), op_div); }));
  t.add(row("mulf", "func(a interface{}, v ...interface{}) float64", "Product as floats.", R"({{ mulf 1.5 2 }})",
            [](FunctionCall& c) -> Result<Value> { return decimal_fold(arg(c, 0), tail(c, 1), op_mul); }));
  auto imax = [](FunctionCall& c) -> Result<Value> {
    int64_t a = to_int64(arg(c, 0));
    for (size_t i = 1; i < c.args.size(); ++i) a = std::max(a, to_int64(c.args[i]));
    return i64(a);
  };
  t.add(row("biggest", "func(a interface{}, i ...interface{}) int64", "Alias of max.", R"({{ biggest 1 5 3 }})", imax));
  t.add(row("max", "func(a interface{}, i ...interface{}) int64", "Largest integer.", R"({{ max 1 5 3 }})", imax));
  t.add(row("min", "func(a interface{}, i ...interface{}) int64", "Smallest integer.", R"({{ min 1 5 3 }})",
            [](FunctionCall& c) -> Result<Value> {
              int64_t a = to_int64(arg(c, 0));
              for (size_t i = 1; i < c.args.size(); ++i) a = std::min(a, to_int64(c.args[i]));
              return i64(a);
            }));
  t.add(row("maxf", "func(a interface{}, i ...interface{}) float64", "Largest float (math.Max).",
            R"({{ maxf 1.5 2.5 }})", [](FunctionCall& c) -> Result<Value> {
              double a = to_float64(arg(c, 0));
              for (size_t i = 1; i < c.args.size(); ++i) {
                double b = to_float64(c.args[i]);
                if (std::isinf(a) && a > 0) continue;
                if (std::isinf(b) && b > 0) {
                  a = b;
                } else if (std::isnan(a) || std::isnan(b)) {
                  a = std::nan("");
                } else if (a == 0 && b == 0) {
                  a = std::signbit(a) ? b : a;
                } else if (b > a) {
                  a = b;
                }
              }
              return Value::floating(a);
            }));
  t.add(row("minf", "func(a interface{}, i ...interface{}) float64", "Smallest float (math.Min).",
            R"({{ minf 1.5 2.5 }})", [](FunctionCall& c) -> Result<Value> {
              double a = to_float64(arg(c, 0));
              for (size_t i = 1; i < c.args.size(); ++i) {
                double b = to_float64(c.args[i]);
                if (std::isinf(a) && a < 0) continue;
                if (std::isinf(b) && b < 0) {
                  a = b;
                } else if (std::isnan(a) || std::isnan(b)) {
                  a = std::nan("");
                } else if (a == 0 && b == 0) {
                  a = std::signbit(a) ? a : b;
                } else if (b < a) {
                  a = b;
                }
              }
              return Value::floating(a);
            }));
  t.add(row("ceil", "func(a interface{}) float64", "Rounds up.", R"({{ ceil 1.2 }})",
            [](FunctionCall& c) -> Result<Value> { return Value::floating(std::ceil(to_float64(arg(c, 0)))); }));
  t.add(row("floor", "func(a interface{}) float64", "Rounds down.", R"({{ floor 1.8 }})",
            [](FunctionCall& c) -> Result<Value> { return Value::floating(std::floor(to_float64(arg(c, 0)))); }));
  t.add(row("round", "func(a interface{}, p int, rOpt ...float64) float64",
            "Rounds to p decimal places; a fraction >= rOpt (default .5) rounds up.", R"({{ round 3.14159 2 }})",
            [](FunctionCall& c) -> Result<Value> {
              double round_on = c.args.size() > 2 ? to_float64(c.args[2]) : .5;
              double val = to_float64(arg(c, 0));
              double pow = std::pow(10.0, double(arg_int(c, 1)));
              double digit = pow * val;
              double ip;
              double frac = std::modf(digit, &ip);
              double r = frac >= round_on ? std::ceil(digit) : std::floor(digit);
              return Value::floating(r / pow);
            }));
}

}  // namespace utask::values::fn

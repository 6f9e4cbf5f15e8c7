#include "values/functions/go_json.h"

#include <cmath>

#include "model/json.h"  // format_json_double
#include "values/functions/go_time.h"
#include "values/functions/go_unicode.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

void write_string(std::string& out, std::string_view s, bool escape_html) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  while (!s.empty()) {
    unsigned char b = static_cast<unsigned char>(s[0]);
    if (b < 0x80) {
      s.remove_prefix(1);
      if (b >= 0x20 && b != '"' && b != '\\' && !(escape_html && (b == '<' || b == '>' || b == '&'))) {
        out += char(b);
        continue;
      }
      switch (b) {
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          out += "\\u00";
          out += hex[b >> 4];
          out += hex[b & 15];
      }
      continue;
    }
    auto [r, n] = decode_rune(s);
    if (r == kRuneError && n == 1) {
      out += "\\ufffd";
    } else if (r == 0x2028 || r == 0x2029) {
      out += r == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out += s.substr(0, size_t(n));
    }
    s.remove_prefix(size_t(n));
  }
  out += '"';
}

// encoding/json's isValidNumber.
bool valid_number(std::string_view s) {
  if (s.empty()) return false;
  size_t i = 0;
  if (s[i] == '-') {
    if (++i == s.size()) return false;
  }
  auto digit = [&](size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (digit(i)) ++i;
  } else {
    return false;
  }
  if (i + 1 < s.size() && s[i] == '.' && digit(i + 1)) {
    i += 2;
    while (digit(i)) ++i;
  }
  if (i + 1 < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (s[i] == '+' || s[i] == '-') {
      if (++i == s.size()) return false;
    }
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == s.size();
}

std::string base64(const std::string& in) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = uint32_t(uint8_t(in[i])) << 16 | uint32_t(uint8_t(in[i + 1])) << 8 | uint8_t(in[i + 2]);
    out += {tbl[n >> 18], tbl[(n >> 12) & 63], tbl[(n >> 6) & 63], tbl[n & 63]};
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint32_t(uint8_t(in[i])) << 16;
    out += {tbl[n >> 18], tbl[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t n = uint32_t(uint8_t(in[i])) << 16 | uint32_t(uint8_t(in[i + 1])) << 8;
    out += {tbl[n >> 18], tbl[(n >> 12) & 63], tbl[(n >> 6) & 63], '='};
  }
  return out;
}

class Encoder {
 public:
  explicit Encoder(JsonStyle style) : style_(style) {}

  Result<void> encode(const Value& v, int depth) {
    switch (v.kind()) {
      case Value::Kind::missing:
      case Value::Kind::nil: out_ += "null"; return {};
      case Value::Kind::boolean: out_ += v.as_bool() ? "true" : "false"; return {};
      case Value::Kind::integer: out_ += std::to_string(v.as_int()); return {};
      case Value::Kind::unsigned_integer: out_ += std::to_string(v.as_uint()); return {};
      case Value::Kind::floating: {
        double d = v.as_float();
        if (std::isnan(d) || std::isinf(d)) {
          return call_error("json: unsupported value: " + sprint(v));
        }
        out_ += format_json_double(d);
        return {};
      }
      case Value::Kind::number: {
        const std::string& s = v.as_string();
        if (s.empty()) {
          out_ += "0";
          return {};
        }
        if (!valid_number(s)) return call_error("json: invalid number literal " + go_quote(s));
        out_ += s;
        return {};
      }
      case Value::Kind::string: write_string(out_, v.as_string(), style_.escape_html); return {};
      case Value::Kind::bytes: write_string(out_, base64(v.as_string()), false); return {};
      case Value::Kind::time: {
        int64_t sec = unix_seconds(v.as_time()) + v.as_time().utc_offset_seconds;
        // Years 0..9999 only, as Time.MarshalJSON.
        if (sec < -62167219200 || sec >= 253402300800) {
          return call_error(
              "json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]");
        }
        write_string(out_, format_time_rfc3339_nano(v.as_time()), false);
        return {};
      }
      case Value::Kind::list: {
        const List& l = v.as_list();
        out_ += '[';
        if (l.empty()) {
          out_ += ']';
          return {};
        }
        bool first = true;
        for (const Value& item : l) {
          if (!first) out_ += ',';
          first = false;
          newline(depth + 1);
          auto r = encode(item, depth + 1);
          if (!r) return r;
        }
        newline(depth);
        out_ += ']';
        return {};
      }
      case Value::Kind::map: {
        const Map& m = v.as_map();
        out_ += '{';
        if (m.empty()) {
          out_ += '}';
          return {};
        }
        bool first = true;
        for (const auto& [k, item] : m) {
          if (!first) out_ += ',';
          first = false;
          newline(depth + 1);
          write_string(out_, k, style_.escape_html);
          out_ += style_.indent ? ": " : ":";
          auto r = encode(item, depth + 1);
          if (!r) return r;
        }
        newline(depth);
        out_ += '}';
        return {};
      }
    }
    return {};
  }

  std::string take() { return std::move(out_); }

 private:
  void newline(int depth) {
    if (!style_.indent) return;
    out_ += '\n';
    for (int i = 0; i < depth; ++i) out_ += "  ";
  }

  JsonStyle style_;
  std::string out_;
};

}  // namespace

Result<std::string> go_json_marshal(const Value& v, JsonStyle style) {
  Encoder e(style);
  auto r = e.encode(v, 0);
  if (!r) return r.error();
  return e.take();
}

}  // namespace utask::values::fn

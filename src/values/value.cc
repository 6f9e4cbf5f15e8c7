#include "values/value.h"

#include <cstdlib>

#include "model/json.h"
#include "values/go_format.h"

namespace utask::values {
namespace {

const std::string& empty_string() {
  static const std::string* s = new std::string();
  return *s;
}
const List& empty_list() {
  static const List* l = new List();
  return *l;
}
const Map& empty_map() {
  static const Map* m = new Map();
  return *m;
}

}  // namespace

Value::Value() : kind_(Kind::missing) {}
Value Value::missing() { return Value(); }

Value Value::nil() {
  Value v;
  v.kind_ = Kind::nil;
  return v;
}

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = Kind::boolean;
  v.b_ = b;
  return v;
}

Value Value::integer(int64_t i) {
  Value v;
  v.kind_ = Kind::integer;
  v.i_ = i;
  return v;
}

Value Value::unsigned_integer(uint64_t u) {
  Value v;
  v.kind_ = Kind::unsigned_integer;
  v.u_ = u;
  return v;
}

Value Value::floating(double d) {
  Value v;
  v.kind_ = Kind::floating;
  v.d_ = d;
  return v;
}

Value Value::number(std::string literal) {
  Value v;
  v.kind_ = Kind::number;
  v.s_ = std::make_shared<const std::string>(std::move(literal));
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.kind_ = Kind::string;
  v.s_ = std::make_shared<const std::string>(std::move(s));
  return v;
}

Value Value::list(List items) {
  Value v;
  v.kind_ = Kind::list;
  v.list_ = std::make_shared<const List>(std::move(items));
  return v;
}

Value Value::map(Map entries) {
  Value v;
  v.kind_ = Kind::map;
  v.map_ = std::make_shared<const Map>(std::move(entries));
  return v;
}

Value Value::time(Time t) {
  Value v;
  v.kind_ = Kind::time;
  v.time_ = std::make_shared<const Time>(std::move(t));
  return v;
}

Value Value::bytes(std::string raw) {
  Value v;
  v.kind_ = Kind::bytes;
  v.s_ = std::make_shared<const std::string>(std::move(raw));
  return v;
}

Value Value::with_go_type(GoType t) const {
  Value v = *this;
  v.go_type_ = t;
  return v;
}

Value Value::from_json(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
      return nil();
    case Json::value_t::boolean:
      return boolean(j.get<bool>());
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return number(json_number_text(j));
    case Json::value_t::string:
      return string(j.get<std::string>());
    case Json::value_t::array: {
      List items;
      items.reserve(j.size());
      for (const auto& e : j) items.push_back(from_json(e));
      return list(std::move(items));
    }
    case Json::value_t::object: {
      Map entries;
      for (const auto& [k, e] : j.items()) entries.emplace(k, from_json(e));
      return map(std::move(entries));
    }
    default:
      return nil();
  }
}

Json Value::to_json() const {
  switch (kind_) {
    case Kind::missing:
    case Kind::nil:
      return nullptr;
    case Kind::boolean:
      return b_;
    case Kind::integer:
      return i_;
    case Kind::unsigned_integer:
      return u_;
    case Kind::floating:
      return Json(JsonFloat(d_));
    case Kind::number:
      return json_number_from_literal(*s_);
    case Kind::string:
      return *s_;
    case Kind::bytes: {
      // Go's encoding/json writes []byte as standard base64.
      static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      const std::string& in = *s_;
      std::string out;
      size_t i = 0;
      for (; i + 2 < in.size(); i += 3) {
        uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
        out += {tbl[n >> 18], tbl[(n >> 12) & 63], tbl[(n >> 6) & 63], tbl[n & 63]};
      }
      if (i + 1 == in.size()) {
        uint32_t n = uint8_t(in[i]) << 16;
        out += {tbl[n >> 18], tbl[(n >> 12) & 63], '=', '='};
      } else if (i + 2 == in.size()) {
        uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
        out += {tbl[n >> 18], tbl[(n >> 12) & 63], tbl[(n >> 6) & 63], '='};
      }
      return out;
    }
    case Kind::list: {
      Json out = Json::array();
      for (const auto& e : *list_) out.push_back(e.to_json());
      return out;
    }
    case Kind::map: {
      Json out = Json::object();
      for (const auto& [k, e] : *map_) out[k] = e.to_json();
      return out;
    }
    case Kind::time:
      return time_rfc3339(*time_);
  }
  return nullptr;
}

bool Value::as_bool() const { return kind_ == Kind::boolean && b_; }

int64_t Value::as_int() const {
  switch (kind_) {
    case Kind::integer:
      return i_;
    case Kind::unsigned_integer:
      return static_cast<int64_t>(u_);
    case Kind::floating:
      return static_cast<int64_t>(d_);
    case Kind::number:
      return std::strtoll(s_->c_str(), nullptr, 10);
    default:
      return 0;
  }
}

uint64_t Value::as_uint() const {
  switch (kind_) {
    case Kind::integer:
      return static_cast<uint64_t>(i_);
    case Kind::unsigned_integer:
      return u_;
    case Kind::floating:
      return static_cast<uint64_t>(d_);
    case Kind::number:
      return std::strtoull(s_->c_str(), nullptr, 10);
    default:
      return 0;
  }
}

double Value::as_float() const {
  switch (kind_) {
    case Kind::integer:
      return static_cast<double>(i_);
    case Kind::unsigned_integer:
      return static_cast<double>(u_);
    case Kind::floating:
      return d_;
    case Kind::number:
      return std::strtod(s_->c_str(), nullptr);
    default:
      return 0;
  }
}

const std::string& Value::as_string() const {
  if ((kind_ == Kind::string || kind_ == Kind::number || kind_ == Kind::bytes) && s_) return *s_;
  return empty_string();
}

const List& Value::as_list() const { return kind_ == Kind::list && list_ ? *list_ : empty_list(); }
const Map& Value::as_map() const { return kind_ == Kind::map && map_ ? *map_ : empty_map(); }

const Time& Value::as_time() const {
  static const Time* zero = new Time();
  return kind_ == Kind::time && time_ ? *time_ : *zero;
}

std::string Value::go_type_name() const {
  switch (go_type_) {
    case GoType::int64:
      return "int64";
    case GoType::int32:
      return "int32";
    case GoType::uint8:
      return "uint8";
    case GoType::uint:
      return "uint";
    case GoType::float32:
      return "float32";
    case GoType::string_slice:
      return "[]string";
    case GoType::int_slice:
      return "[]int";
    case GoType::int64_slice:
      return "[]int64";
    case GoType::float64_slice:
      return "[]float64";
    case GoType::string_map:
      return "map[string]string";
    case GoType::standard:
      break;
  }
  switch (kind_) {
    case Kind::missing:
    case Kind::nil:
      return "<nil>";
    case Kind::boolean:
      return "bool";
    case Kind::integer:
      return "int";
    case Kind::unsigned_integer:
      return "uint64";
    case Kind::floating:
      return "float64";
    case Kind::number:
      return "json.Number";
    case Kind::string:
      return "string";
    case Kind::list:
      return "[]interface {}";
    case Kind::map:
      return "map[string]interface {}";
    case Kind::time:
      return "time.Time";
    case Kind::bytes:
      return "[]uint8";
  }
  return "<nil>";
}

}  // namespace utask::values

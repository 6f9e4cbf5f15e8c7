#include "model/go_duration.h"
#include "model/template_loader_decode.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/template_loader.h"

namespace utask::model::loader_detail {
namespace {

bool equal_fold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string describe(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case Json::value_t::string: return to_json_text(v);
    case Json::value_t::array: return "a list";
    case Json::value_t::object: return "a mapping";
    default: return v.is_number() ? json_number_text(v) : to_json_text(v);
  }
}

std::string strip_base(const std::string& path, std::string_view base) {
  if (base.empty()) return path;
  if (path.size() > base.size() && path.compare(0, base.size(), base) == 0 && path[base.size()] == '.') {
    return path.substr(base.size() + 1);
  }
  return path;
}

}  // namespace

std::string join_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, std::size_t i) {
  return parent + "[" + std::to_string(i) + "]";
}

Error Decoder::error(const std::string& path, const std::string& message) const {
  std::string where(file_.empty() ? "<yaml>" : file_);
  YamlPosition pos = doc_.position_of(path);
  if (pos.line > 0) where += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
  std::string prefix = path.empty() ? "" : path + ": ";
  return Error::invalid_template(where + ": " + prefix + message, path);
}

Error Decoder::shape_error(const std::string& path, std::string_view what, const Json& got) const {
  return error(path, "expected " + std::string(what) + ", got " + describe(got));
}

Result<std::string> Decoder::string(const Json& v, const std::string& path) const {
  if (v.is_null()) return std::string();
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return yaml_scalar_as_string(v);
  return shape_error(path, "a string", v);
}

Result<bool> Decoder::boolean(const Json& v, const std::string& path) const {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  return shape_error(path, "a boolean", v);
}

Result<int64_t> Decoder::integer(const Json& v, const std::string& path) const {
  if (v.is_null()) return int64_t{0};
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return static_cast<int64_t>(v.get<uint64_t>());
    }
  } else if (v.is_number_integer()) {
    return v.get<int64_t>();
  } else if (v.is_number_float()) {
    // The original re-encodes YAML floats, so `2.0` reaches its int fields as `2`.
    double d = v.get<double>();
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
  }
  return shape_error(path, "an integer", v);
}

Result<std::vector<std::string>> Decoder::string_list(const Json& v, const std::string& path) const {
  std::vector<std::string> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return shape_error(path, "a list of strings", v);
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto s = string(v[i], index_path(path, i));
    if (!s) return s.error();
    out.push_back(std::move(*s));
  }
  return out;
}

Result<std::map<std::string, std::string>> Decoder::string_map(const Json& v,
                                                               const std::string& path) const {
  std::map<std::string, std::string> out;
  if (v.is_null()) return out;
  if (!v.is_object()) return shape_error(path, "a mapping", v);
  for (auto it = v.begin(); it != v.end(); ++it) {
    auto s = string(it.value(), join_path(path, it.key()));
    if (!s) return s.error();
    out[it.key()] = std::move(*s);
  }
  return out;
}

Result<std::vector<Json>> Decoder::list(const Json& v, const std::string& path) const {
  std::vector<Json> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return shape_error(path, "a list", v);
  for (const auto& item : v) out.push_back(item);
  return out;
}

Result<int64_t> Decoder::duration_ns(const Json& v, const std::string& path) const {
  if (v.is_string()) {
    auto d = parse_go_duration(v.get<std::string>());
    if (!d) return error(path, d.error().message);
    return d->count();
  }
  if (v.is_null() || v.is_number()) {
    auto i = integer(v, path);
    if (i) return i;
  }
  return shape_error(path, "a duration (nanoseconds or a text like \"1s\")", v);
}

StructReader::StructReader(const Decoder& d, const Json& object, std::string path)
    : d_(d), object_(&object), path_(std::move(path)) {
  if (!object.is_object() && !object.is_null()) error_ = d.shape_error(path_, "a mapping", object);
}

const Json* StructReader::get(std::string_view name) {
  if (!object_->is_object()) return nullptr;
  auto exact = object_->find(std::string(name));
  if (exact != object_->end()) {
    used_.emplace_back(name);
    return &*exact;
  }
  for (auto it = object_->begin(); it != object_->end(); ++it) {
    if (equal_fold(it.key(), name) && std::find(used_.begin(), used_.end(), it.key()) == used_.end()) {
      used_.push_back(it.key());
      return &it.value();
    }
  }
  return nullptr;
}

const Json* StructReader::field(std::string_view name) {
  const Json* v = get(name);
  if (error_ || v == nullptr || v->is_null()) return nullptr;
  return v;
}

std::string StructReader::path(std::string_view name) const { return join_path(path_, name); }

void StructReader::read(std::string_view name, std::string& out) {
  if (const Json* v = field(name)) {
    auto r = d_.string(*v, path(name));
    if (check(r)) out = std::move(*r);
  }
}

void StructReader::read(std::string_view name, std::optional<std::string>& out) {
  if (const Json* v = field(name)) {
    auto r = d_.string(*v, path(name));
    if (check(r)) out = std::move(*r);
  }
}

void StructReader::read(std::string_view name, bool& out) {
  if (const Json* v = field(name)) {
    auto r = d_.boolean(*v, path(name));
    if (check(r)) out = *r;
  }
}

void StructReader::read(std::string_view name, int64_t& out) {
  if (const Json* v = field(name)) {
    auto r = d_.integer(*v, path(name));
    if (check(r)) out = *r;
  }
}

void StructReader::read(std::string_view name, std::optional<int64_t>& out) {
  if (const Json* v = field(name)) {
    auto r = d_.integer(*v, path(name));
    if (check(r)) out = *r;
  }
}

void StructReader::read(std::string_view name, std::vector<std::string>& out) {
  if (const Json* v = field(name)) {
    auto r = d_.string_list(*v, path(name));
    if (check(r)) out = std::move(*r);
  }
}

void StructReader::read(std::string_view name, std::map<std::string, std::string>& out) {
  if (const Json* v = field(name)) {
    auto r = d_.string_map(*v, path(name));
    if (check(r)) out = std::move(*r);
  }
}

void StructReader::read(std::string_view name, std::vector<Json>& out) {
  if (const Json* v = field(name)) {
    auto r = d_.list(*v, path(name));
    if (check(r)) out = std::move(*r);
  }
}

void StructReader::read(std::string_view name, std::optional<Json>& out) {
  if (const Json* v = field(name)) out = *v;
}

void StructReader::read_raw(std::string_view name, Json& out) {
  const Json* v = get(name);
  if (!error_ && v != nullptr) out = *v;
}

void StructReader::read_duration(std::string_view name, int64_t& ns) {
  if (const Json* v = field(name)) {
    auto r = d_.duration_ns(*v, path(name));
    if (check(r)) ns = *r;
  }
}

void StructReader::collect_unknown(std::vector<std::string>& out, std::string_view base) const {
  if (!object_->is_object()) return;
  for (auto it = object_->begin(); it != object_->end(); ++it) {
    if (std::find(used_.begin(), used_.end(), it.key()) == used_.end()) {
      out.push_back(strip_base(join_path(path_, it.key()), base));
    }
  }
}

Result<Action> decode_action(const Decoder& d, const Json& v, const std::string& path,
                             std::vector<std::string>& unknown, std::string_view base) {
  StructReader r(d, v, path);
  Action action;
  r.read("type", action.type);
  r.read("base_configuration", action.base_configuration);
  r.read_raw("configuration", action.configuration);
  if (const Json* out = r.get("output"); out && !out->is_null() && !r.failed()) {
    StructReader o(d, *out, r.path("output"));
    OutputSpec spec;
    o.read("strategy", spec.strategy);
    o.read_raw("format", spec.format);
    if (o.failed()) return o.error();
    const auto& st = spec.strategy;
    if (!st.empty() && st != "none" && st != "merge" && st != "template") {
      return d.error(o.path("strategy"),
                     "unknown output strategy \"" + st + "\" (expected none, merge or template)");
    }
    o.collect_unknown(unknown, base);
    action.output = std::move(spec);
  }
  std::optional<Json> base_output;
  r.read("base_output", base_output);
  if (base_output) action.output = OutputSpec{"merge", std::move(*base_output)};
  if (r.failed()) return r.error();
  r.collect_unknown(unknown, base);
  return action;
}

namespace {

Result<Assert> decode_assert(const Decoder& d, const Json& v, const std::string& path,
                             std::vector<std::string>& unknown, std::string_view base) {
  StructReader r(d, v, path);
  Assert a;
  r.read("value", a.value);
  r.read("operator", a.op);
  r.read("expected", a.expected);
  r.read("list_separator", a.list_separator);
  r.read("message", a.message);
  if (r.failed()) return r.error();
  if (a.list_separator.empty()) a.list_separator = ",";
  r.collect_unknown(unknown, base);
  return a;
}

Result<Condition> decode_condition(const Decoder& d, const Json& v, const std::string& path,
                                   std::vector<std::string>& unknown, std::string_view base) {
  StructReader r(d, v, path);
  Condition c;
  r.read("type", c.type);
  r.read("foreach", c.foreach);
  r.read("message", c.message);
  r.read("final", c.final);
  r.read("then", c.then);
  std::vector<Json> ifs;
  r.read("if", ifs);
  for (std::size_t i = 0; i < ifs.size() && !r.failed(); ++i) {
    auto a = decode_assert(d, ifs[i], index_path(r.path("if"), i), unknown, base);
    if (r.check(a)) c.if_.push_back(std::move(*a));
  }
  if (r.failed()) return r.error();
  r.collect_unknown(unknown, base);
  return c;
}

}  // namespace

Result<std::vector<Condition>> decode_conditions(const Decoder& d, const Json& v,
                                                 const std::string& path,
                                                 std::vector<std::string>& unknown,
                                                 std::string_view base) {
  std::vector<Condition> out;
  auto items = d.list(v, path);
  if (!items) return items.error();
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto c = decode_condition(d, (*items)[i], index_path(path, i), unknown, base);
    if (!c) return c.error();
    out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace utask::model::loader_detail

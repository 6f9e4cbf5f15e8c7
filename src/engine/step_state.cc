#include "engine/step_state.h"

#include <cstdio>
#include <ctime>

namespace utask::engine {
namespace {

Json string_list(const std::vector<std::string>& v) {
  Json out = Json::array();
  for (const auto& s : v) out.push_back(s);
  return out;
}

Json action_json(const model::Action& a) {
  Json out = Json::object();
  out["type"] = a.type;
  if (!a.base_configuration.empty()) out["base_configuration"] = a.base_configuration;
  out["configuration"] = a.configuration;
  out["output"] = a.output ? Json{{"strategy", a.output->strategy}, {"format", a.output->format}}
                           : Json(nullptr);
  return out;
}

Json condition_json(const model::Condition& c) {
  Json ifs = Json::array();
  for (const auto& a : c.if_) {
    ifs.push_back(Json{{"value", a.value},
                       {"operator", a.op},
                       {"expected", a.expected},
                       {"list_separator", a.list_separator},
                       {"message", a.message}});
  }
  Json then = Json::object();
  for (const auto& [k, v] : c.then) then[k] = v;
  return Json{{"type", c.type},       {"if", std::move(ifs)},   {"then", std::move(then)},
              {"final", c.final},     {"foreach", c.foreach}, {"message", c.message}};
}

// A reader of the §6.5 shape: the first wrongly typed field is kept as the error.
class Reader {
 public:
  explicit Reader(const Json& obj, std::string path) : obj_(obj), path_(std::move(path)) {}

  const Json* get(const char* key) const {
    if (!obj_.is_object()) return nullptr;
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  void str(const char* key, std::string& out) {
    if (const Json* v = get(key)) {
      if (v->is_string()) out = v->get<std::string>();
      else fail(key, "a string");
    }
  }
  void boolean(const char* key, bool& out) {
    if (const Json* v = get(key)) {
      if (v->is_boolean()) out = v->get<bool>();
      else fail(key, "a boolean");
    }
  }
  void integer(const char* key, int64_t& out) {
    if (const Json* v = get(key)) {
      if (v->is_number_integer()) out = v->get<int64_t>();
      else fail(key, "an integer");
    }
  }
  void strings(const char* key, std::vector<std::string>& out) {
    if (const Json* v = get(key)) {
      if (!v->is_array()) return fail(key, "a list of strings");
      for (const auto& e : *v) {
        if (!e.is_string()) return fail(key, "a list of strings");
        out.push_back(e.get<std::string>());
      }
    }
  }
  void string_map(const char* key, std::map<std::string, std::string>& out) {
    if (const Json* v = get(key)) {
      if (!v->is_object()) return fail(key, "an object of strings");
      for (const auto& [k, e] : v->items()) {
        if (!e.is_string()) return fail(key, "an object of strings");
        out[k] = e.get<std::string>();
      }
    }
  }
  void raw(const char* key, Json& out) {
    if (const Json* v = get(key)) out = *v;
  }
  void fail(const std::string& key, const char* what) {
    if (!error_) error_ = Error::invalid_input(path_ + "." + key + ": expected " + what, path_ + "." + key);
  }
  const std::string& path() const { return path_; }
  std::optional<Error>& error() { return error_; }

 private:
  const Json& obj_;
  std::string path_;
  std::optional<Error> error_;
};

void read_action(Reader& parent, const Json& v, const std::string& key, model::Action& out) {
  Reader r(v, parent.path() + "." + key);
  if (!v.is_object()) return parent.fail(key, "an object");
  r.str("type", out.type);
  r.str("base_configuration", out.base_configuration);
  r.raw("configuration", out.configuration);
  if (const Json* o = r.get("output")) {
    Reader ro(*o, r.path() + ".output");
    model::OutputSpec spec;
    ro.str("strategy", spec.strategy);
    ro.raw("format", spec.format);
    if (ro.error() && !parent.error()) parent.error() = ro.error();
    out.output = std::move(spec);
  }
  if (const Json* b = r.get("base_output")) out.output = model::OutputSpec{"merge", *b};
  if (r.error() && !parent.error()) parent.error() = r.error();
}

void read_conditions(Reader& parent, const Json& v, std::vector<model::Condition>& out) {
  if (!v.is_array()) return parent.fail("conditions", "a list");
  for (size_t i = 0; i < v.size(); ++i) {
    Reader r(v[i], parent.path() + ".conditions[" + std::to_string(i) + "]");
    model::Condition c;
    r.str("type", c.type);
    r.boolean("final", c.final);
    r.str("foreach", c.foreach);
    r.str("message", c.message);
    r.string_map("then", c.then);
    if (const Json* ifs = r.get("if")) {
      if (!ifs->is_array()) r.fail("if", "a list");
      else
        for (const auto& a : *ifs) {
          Reader ra(a, r.path() + ".if");
          model::Assert as;
          ra.str("value", as.value);
          ra.str("operator", as.op);
          ra.str("expected", as.expected);
          ra.str("list_separator", as.list_separator);
          if (as.list_separator.empty()) as.list_separator = ",";
          ra.str("message", as.message);
          if (ra.error() && !r.error()) r.error() = ra.error();
          c.if_.push_back(std::move(as));
        }
    }
    if (r.error() && !parent.error()) parent.error() = r.error();
    out.push_back(std::move(c));
  }
}

}  // namespace

StepState step_from_template(const model::Step& step) {
  StepState s;
  s.definition = step;
  s.definition.forbidden_fields.clear();
  s.definition.unknown_fields.clear();
  return s;
}

Json step_to_json(const StepState& step) {
  const model::Step& d = step.definition;
  Json out = Json::object();
  out["name"] = d.name;
  out["description"] = d.description;
  out["idempotent"] = d.idempotent;
  out["action"] = action_json(d.action);
  if (d.pre_hook) out["pre_hook"] = action_json(*d.pre_hook);
  if (d.json_schema) out["json_schema"] = *d.json_schema;
  if (!step.output.is_null()) out["output"] = step.output;
  if (!step.metadata.is_null()) out["metadata"] = step.metadata;
  if (!step.children.is_null()) out["children"] = step.children;
  if (!step.error.empty()) out["error"] = step.error;
  if (!step.state.empty()) out["state"] = step.state;
  if (!d.retry_pattern.empty()) out["retry_pattern"] = d.retry_pattern;
  if (step.try_count != 0) out["try_count"] = step.try_count;
  if (d.max_retries != 0) out["max_retries"] = d.max_retries;
  out["last_run"] = step.last_run ? format_time(*step.last_run) : "0001-01-01T00:00:00Z";
  if (d.execution_delay_ns != 0) out["execution_delay"] = d.execution_delay_ns;
  if (!d.dependencies.empty()) out["dependencies"] = string_list(d.dependencies);
  if (!d.custom_states.empty()) out["custom_states"] = string_list(d.custom_states);
  if (!d.conditions.empty()) {
    Json cs = Json::array();
    for (const auto& c : d.conditions) cs.push_back(condition_json(c));
    out["conditions"] = std::move(cs);
  }
  if (!d.foreach.empty()) out["foreach"] = d.foreach;
  out["foreach_strategy"] = d.foreach_strategy;
  if (!step.children_steps.empty()) out["children_steps"] = string_list(step.children_steps);
  if (!step.children_steps_map.empty()) {
    Json m = Json::object();
    for (const auto& [k, v] : step.children_steps_map) m[k] = v;
    out["children_steps_map"] = std::move(m);
  }
  if (step.is_child) out["item"] = step.item;
  out["resources"] = d.resources.empty() ? Json(nullptr) : string_list(d.resources);
  if (step.tags.empty()) {
    out["tags"] = nullptr;
  } else {
    Json t = Json::object();
    for (const auto& [k, v] : step.tags) t[k] = v;
    out["tags"] = std::move(t);
  }
  return out;
}

Result<StepState> step_from_json(const Json& json) {
  if (!json.is_object()) return Error::invalid_input("step: expected an object");
  StepState s;
  model::Step& d = s.definition;
  Reader r(json, "step");
  r.str("name", d.name);
  r.str("description", d.description);
  r.boolean("idempotent", d.idempotent);
  if (const Json* a = r.get("action")) read_action(r, *a, "action", d.action);
  if (const Json* a = r.get("pre_hook")) {
    model::Action hook;
    read_action(r, *a, "pre_hook", hook);
    d.pre_hook = std::move(hook);
  }
  if (const Json* v = r.get("json_schema")) d.json_schema = *v;
  r.raw("output", s.output);
  r.raw("metadata", s.metadata);
  r.raw("children", s.children);
  r.str("error", s.error);
  r.str("state", s.state);
  if (s.state.empty()) s.state = "TODO";
  r.str("retry_pattern", d.retry_pattern);
  r.integer("try_count", s.try_count);
  r.integer("max_retries", d.max_retries);
  if (const Json* v = r.get("last_run")) {
    if (!v->is_string()) {
      r.fail("last_run", "a timestamp");
    } else if (auto t = parse_time(v->get<std::string>()); !t) {
      r.fail("last_run", "an RFC 3339 timestamp");
    } else if (t->time_since_epoch().count() > 0 ||
               v->get<std::string>().rfind("0001-", 0) != 0) {
      s.last_run = *t;
    }
  }
  r.integer("execution_delay", d.execution_delay_ns);
  r.strings("dependencies", d.dependencies);
  r.strings("custom_states", d.custom_states);
  if (const Json* v = r.get("conditions")) read_conditions(r, *v, d.conditions);
  r.str("foreach", d.foreach);
  r.str("foreach_strategy", d.foreach_strategy);
  r.strings("children_steps", s.children_steps);
  if (const Json* v = r.get("children_steps_map")) {
    if (!v->is_object()) r.fail("children_steps_map", "an object of booleans");
    else
      for (const auto& [k, b] : v->items()) s.children_steps_map[k] = b.is_boolean() && b.get<bool>();
  }
  if (json.contains("item")) {
    s.is_child = true;
    s.item = json["item"];
  }
  r.strings("resources", d.resources);
  r.string_map("tags", s.tags);
  if (r.error()) return *r.error();
  return s;
}

std::string format_time(Time t) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(t);
  const auto micros = (t - secs).count();
  const std::time_t tt = secs.time_since_epoch().count();
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out(buf, n);
  if (micros != 0) {
    // Go's RFC3339Nano: fraction without trailing zeros.
    char frac[16];
    std::snprintf(frac, sizeof frac, "%06lld", static_cast<long long>(micros));
    std::string f(frac);
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out + "Z";
}

Result<Time> parse_time(std::string_view text) {
  int y, mo, d, h, mi, s, consumed = 0;
  const std::string str(text);
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6) {
    return Error::invalid_input("invalid timestamp '" + str + "'");
  }
  size_t pos = static_cast<size_t>(consumed);
  int64_t micros = 0;
  if (pos < str.size() && str[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < str.size() && std::isdigit(static_cast<unsigned char>(str[pos]))) {
      if (digits < 6) micros = micros * 10 + (str[pos] - '0');
      ++digits;
      ++pos;
    }
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  int offset = 0;
  if (pos < str.size() && (str[pos] == '+' || str[pos] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(str.c_str() + pos + 1, "%2d:%2d", &oh, &om) != 2) {
      return Error::invalid_input("invalid timestamp '" + str + "'");
    }
    offset = (oh * 3600 + om * 60) * (str[pos] == '-' ? -1 : 1);
    pos += 6;
  } else if (pos < str.size() && str[pos] == 'Z') {
    ++pos;
  } else {
    return Error::invalid_input("invalid timestamp '" + str + "'");
  }
  if (pos != str.size()) return Error::invalid_input("invalid timestamp '" + str + "'");
  using namespace std::chrono;
  const sys_days date = year{y} / month{static_cast<unsigned>(mo)} / day{static_cast<unsigned>(d)};
  return Time(duration_cast<microseconds>(date.time_since_epoch()) + hours(h) + minutes(mi) +
              seconds(s) - seconds(offset) + microseconds(micros));
}

}  // namespace utask::engine

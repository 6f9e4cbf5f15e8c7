// sprig's semver and semverCompare over a port of Masterminds/semver v3 (versions, the
// constraint grammar with ranges, wildcards, ~ and ^, and its prerelease rules).

#include <optional>

#include "values/functions/families.h"
#include "values/functions/go_regexp.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

constexpr std::string_view kSemVer =
    R"(v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?)";
constexpr std::string_view kCv =
    R"(v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?)";
constexpr std::string_view kOps = R"(=||!=|>|<|>=|=>|<=|=<|~|~>|\^)";

struct Version {
  uint64_t major = 0, minor = 0, patch = 0;
  std::string pre, metadata, original;

  std::string str() const {
    std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
    if (!pre.empty()) s += "-" + pre;
    if (!metadata.empty()) s += "+" + metadata;
    return s;
  }
};

// FindStringSubmatch with a constant pattern.
std::optional<std::vector<std::string>> regexp_submatch(const std::string& pattern, std::string_view s) {
  auto r = compile_regexp(pattern);
  if (!r) return std::nullopt;
  return regexp_find_submatch(**r, s);
}

bool contains_only(std::string_view s, std::string_view set) {
  for (char c : s) {
    if (set.find(c) == std::string_view::npos) return false;
  }
  return true;
}

constexpr std::string_view kNum = "0123456789";
constexpr std::string_view kAllowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

std::vector<std::string> split_dots(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    out.emplace_back(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

std::optional<uint64_t> parse_u64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    if (v > (UINT64_MAX - uint64_t(c - '0')) / 10) return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  return v;
}

Result<Version> new_version(const std::string& v) {
  auto m = regexp_submatch("^" + std::string(kSemVer) + "$", v);
  if (!m) return call_error("Invalid Semantic Version");
  const auto& g = *m;
  Version sv;
  sv.metadata = g[8];
  sv.pre = g[5];
  sv.original = v;
  auto seg = [](const std::string& s) -> Result<uint64_t> {
    std::string digits = s.empty() || s[0] != '.' ? s : s.substr(1);
    auto n = parse_u64(digits);
    if (!n) {
      return call_error("Error parsing version segment: strconv.ParseUint: parsing " + go_quote(digits) +
                        ": value out of range");
    }
    return *n;
  };
  auto major = seg(g[1]);
  if (!major) return major.error();
  sv.major = *major;
  if (!g[2].empty()) {
    auto minor = seg(g[2]);
    if (!minor) return minor.error();
    sv.minor = *minor;
  }
  if (!g[3].empty()) {
    auto patch = seg(g[3]);
    if (!patch) return patch.error();
    sv.patch = *patch;
  }
  if (!sv.pre.empty()) {
    for (const auto& p : split_dots(sv.pre)) {
      if (contains_only(p, kNum)) {
        if (p.size() > 1 && p[0] == '0') return call_error("Version segment starts with 0");
      } else if (!contains_only(p, kAllowed)) {
        return call_error("Invalid Prerelease string");
      }
    }
  }
  if (!sv.metadata.empty()) {
    for (const auto& p : split_dots(sv.metadata)) {
      if (!contains_only(p, kAllowed)) return call_error("Invalid Metadata string");
    }
  }
  return sv;
}

int compare_pre_part(const std::string& s, const std::string& o) {
  if (s == o) return 0;
  if (s.empty()) return o.empty() ? 1 : -1;
  if (o.empty()) return 1;
  auto oi = parse_u64(o);
  auto si = parse_u64(s);
  if (!oi && !si) return s > o ? 1 : -1;
  if (!oi) return -1;
  if (!si) return 1;
  return *si > *oi ? 1 : -1;
}

int compare_prerelease(const std::string& v, const std::string& o) {
  auto sp = split_dots(v), op = split_dots(o);
  size_t l = std::max(sp.size(), op.size());
  for (size_t i = 0; i < l; ++i) {
    int d = compare_pre_part(i < sp.size() ? sp[i] : "", i < op.size() ? op[i] : "");
    if (d != 0) return d;
  }
  return 0;
}

int compare(const Version& v, const Version& o) {
  auto seg = [](uint64_t a, uint64_t b) { return a < b ? -1 : a > b ? 1 : 0; };
  if (int d = seg(v.major, o.major)) return d;
  if (int d = seg(v.minor, o.minor)) return d;
  if (int d = seg(v.patch, o.patch)) return d;
  if (v.pre.empty() && o.pre.empty()) return 0;
  if (v.pre.empty()) return 1;
  if (o.pre.empty()) return -1;
  return compare_prerelease(v.pre, o.pre);
}

struct Constraint {
  Version con;
  std::string orig, op;
  bool minor_dirty = false, dirty = false, patch_dirty = false;
};

bool is_x(const std::string& s) { return s == "x" || s == "*" || s == "X"; }

Result<Constraint> parse_constraint(const std::string& c) {
  Constraint cs;
  if (c.empty()) {
    cs.dirty = true;
    return cs;
  }
  auto m = regexp_submatch(R"(^\s*()" + std::string(kOps) + R"()\s*()" + std::string(kCv) + R"()\s*$)", c);
  if (!m) return call_error("improper constraint: " + c);
  const auto& g = *m;
  cs.orig = g[2];
  cs.op = g[1];
  std::string ver = g[2];
  auto trim_dot = [](const std::string& s) { return !s.empty() && s[0] == '.' ? s.substr(1) : s; };
  if (is_x(g[3]) || g[3].empty()) {
    ver = "0.0.0" + g[6];
    cs.dirty = true;
  } else if (is_x(trim_dot(g[4])) || g[4].empty()) {
    cs.minor_dirty = cs.dirty = true;
    ver = g[3] + ".0.0" + g[6];
  } else if (is_x(trim_dot(g[5])) || g[5].empty()) {
    cs.dirty = cs.patch_dirty = true;
    ver = g[3] + g[4] + ".0" + g[6];
  }
  auto con = new_version(ver);
  if (!con) return call_error("constraint Parser Error");
  cs.con = *con;
  return cs;
}

bool release_only(const Version& v, const Constraint& c) { return !v.pre.empty() && c.con.pre.empty(); }

bool check_tilde(const Version& v, const Constraint& c) {
  if (release_only(v, c)) return false;
  if (compare(v, c.con) < 0) return false;
  if (c.con.major == 0 && c.con.minor == 0 && c.con.patch == 0 && !c.minor_dirty && !c.patch_dirty) return true;
  if (v.major != c.con.major) return false;
  if (v.minor != c.con.minor && !c.minor_dirty) return false;
  return true;
}

bool check(const Version& v, const Constraint& c) {
  const std::string& op = c.op;
  if (op.empty() || op == "=") {
    if (release_only(v, c)) return false;
    if (c.dirty) return check_tilde(v, c);
    return compare(v, c.con) == 0;
  }
  if (op == "!=") {
    if (c.dirty) {
      if (!v.pre.empty() && c.con.pre.empty()) return false;
      if (c.con.major != v.major) return true;
      if (c.con.minor != v.minor && !c.minor_dirty) return true;
      if (c.minor_dirty) return false;
      if (c.con.patch != v.patch && !c.patch_dirty) return true;
      if (c.patch_dirty) {
        if (!v.pre.empty() || !c.con.pre.empty()) return compare_prerelease(v.pre, c.con.pre) != 0;
        return false;
      }
    }
    return compare(v, c.con) != 0;
  }
  if (op == ">") {
    if (release_only(v, c)) return false;
    if (!c.dirty) return compare(v, c.con) == 1;
    if (v.major > c.con.major) return true;
    if (v.major < c.con.major) return false;
    if (c.minor_dirty) return false;
    if (c.patch_dirty) return v.minor > c.con.minor;
    return compare(v, c.con) == 1;
  }
  if (op == "<") {
    if (release_only(v, c)) return false;
    return compare(v, c.con) < 0;
  }
  if (op == ">=" || op == "=>") {
    if (release_only(v, c)) return false;
    return compare(v, c.con) >= 0;
  }
  if (op == "<=" || op == "=<") {
    if (release_only(v, c)) return false;
    if (!c.dirty) return compare(v, c.con) <= 0;
    if (v.major > c.con.major) return false;
    if (v.major == c.con.major && v.minor > c.con.minor && !c.minor_dirty) return false;
    return true;
  }
  if (op == "~" || op == "~>") return check_tilde(v, c);
  // "^"
  if (release_only(v, c)) return false;
  if (compare(v, c.con) < 0) return false;
  if (c.con.major > 0 || c.minor_dirty) return v.major == c.con.major;
  if (c.con.major == 0 && v.major > 0) return false;
  if (c.con.minor > 0 || c.patch_dirty) return v.minor == c.con.minor;
  if (c.con.minor == 0 && v.minor > 0) return false;
  return c.con.patch == v.patch;
}

// rewriteRange: "1.2 - 1.4" → ">= 1.2, <= 1.4".
Result<std::string> rewrite_range(const std::string& in) {
  std::string range = R"(\s*()" + std::string(kCv) + R"()\s+-\s+()" + std::string(kCv) + R"()\s*)";
  auto re_range = compile_regexp(range);
  if (!re_range) return re_range.error();
  std::string out = in;
  auto all = regexp_find_all(**re_range, in, -1);
  for (const std::string& whole : all) {
    auto g = regexp_submatch(range, whole);
    if (!g) continue;
    std::string t = ">= " + (*g)[1] + ", <= " + (*g)[11];
    size_t at = out.find(whole);
    if (at != std::string::npos) out.replace(at, whole.size(), t);
  }
  return out;
}

Result<bool> semver_compare(const std::string& constraint, const std::string& version) {
  auto rewritten = rewrite_range(constraint);
  if (!rewritten) return rewritten.error();
  std::vector<std::vector<Constraint>> ors;
  std::string ops(kOps), cv(kCv);
  const std::string valid =
      R"(^(\s*()" + ops + R"()\s*()" + cv + R"()\s*)((?:\s+|,\s*)()" + ops + R"()\s*()" + cv + R"()\s*)*$)";
  const std::string find = "(" + ops + R"()\s*()" + cv + ")";
  auto re_valid = compile_regexp(valid);
  auto re_find = compile_regexp(find);
  if (!re_valid || !re_find) return call_error("constraint Parser Error");
  std::string_view rest = *rewritten;
  while (true) {
    size_t bar = rest.find("||");
    std::string part(rest.substr(0, bar));
    if (!regexp_match(**re_valid, part)) return call_error("improper constraint: " + part);
    auto cs = regexp_find_all(**re_find, part, -1);
    if (cs.empty()) cs.push_back(part);
    std::vector<Constraint> group;
    for (const auto& s : cs) {
      auto pc = parse_constraint(s);
      if (!pc) return pc.error();
      group.push_back(*pc);
    }
    ors.push_back(std::move(group));
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 2);
  }
  auto v = new_version(version);
  if (!v) return v.error();
  for (const auto& group : ors) {
    bool joy = true;
    for (const auto& c : group) {
      if (!check(*v, c)) {
        joy = false;
        break;
      }
    }
    if (joy) return true;
  }
  return false;
}

}  // namespace

void add_semver_functions(FunctionTable& t) {
  t.add(row("semverCompare", "func(constraint string, version string) (bool, error)",
            "Whether version satisfies the constraint (Masterminds/semver v3 syntax).",
            R"({{ semverCompare ">=1.2.0 <2.0.0" "1.4.3" }})", [](FunctionCall& c) -> Result<Value> {
              auto r = semver_compare(arg_string(c, 0), arg_string(c, 1));
              if (!r) return r.error();
              return Value::boolean(*r);
            }));
  t.add(row("semver", "func(version string) (*semver.Version, error)",
            "Parses a version into Major, Minor, Patch, Prerelease, Metadata and Original.",
            R"({{ (semver "1.2.3-beta+build").Minor }})", [](FunctionCall& c) -> Result<Value> {
              auto v = new_version(arg_string(c, 0));
              if (!v) return v.error();
              Map m;
              m["Major"] = Value::unsigned_integer(v->major);
              m["Minor"] = Value::unsigned_integer(v->minor);
              m["Patch"] = Value::unsigned_integer(v->patch);
              m["Prerelease"] = Value::string(v->pre);
              m["Metadata"] = Value::string(v->metadata);
              m["Original"] = Value::string(v->original);
              return Value::map(std::move(m));
            }));
}

}  // namespace utask::values::fn

// Zones: TZif files of the system tz database, as Go's time.LoadLocation reads them.

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <vector>

#include "values/functions/go_time.h"

namespace utask::values::fn {

struct ZoneType {
  int32_t offset = 0;
  bool dst = false;
  std::string abbr;
};

class Location {
 public:
  std::string name;
  std::vector<ZoneType> types;
  std::vector<int64_t> transitions;  // unix seconds
  std::vector<uint8_t> index;        // type of each transition

  const ZoneType& lookup(int64_t sec) const {
    static const ZoneType utc{0, false, "UTC"};
    if (types.empty()) return utc;
    if (transitions.empty() || sec < transitions.front()) return first_type();
    size_t lo = 0, hi = transitions.size();
    while (hi - lo > 1) {
      size_t mid = (lo + hi) / 2;
      if (sec < transitions[mid]) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return types[index[lo]];
  }

 private:
  // Go's lookupFirstZone: the first standard-time type when the first transition is to DST.
  const ZoneType& first_type() const {
    if (!transitions.empty() && types[index[0]].dst) {
      for (int i = int(index[0]) - 1; i >= 0; --i) {
        if (!types[size_t(i)].dst) return types[size_t(i)];
      }
    }
    for (const auto& t : types) {
      if (!t.dst) return t;
    }
    return types[0];
  }
};

namespace {

int64_t be(const unsigned char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = v << 8 | p[i];
  if (n == 4) return int32_t(uint32_t(v));
  return int64_t(v);
}

std::shared_ptr<Location> parse_tzif(const std::string& data, std::string name) {
  auto u = reinterpret_cast<const unsigned char*>(data.data());
  size_t size = data.size();
  if (size < 44 || data.compare(0, 4, "TZif") != 0) return nullptr;
  auto header = [&](size_t at, int64_t counts[6]) {
    for (int i = 0; i < 6; ++i) counts[i] = be(u + at + 20 + 4 * i, 4);
  };
  int64_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  header(0, c);
  size_t at = 44;
  int tsize = 4;
  if (data[4] >= '2') {
    // Skip the version 1 block and read the 64-bit one.
    at += size_t(c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
    if (at + 44 > size) return nullptr;
    header(at, c);
    at += 44;
    tsize = 8;
  }
  size_t need = size_t(c[3] * tsize + c[3] + c[4] * 6 + c[5]);
  if (at + need > size) return nullptr;
  auto loc = std::make_shared<Location>();
  loc->name = std::move(name);
  for (int64_t i = 0; i < c[3]; ++i) loc->transitions.push_back(be(u + at + size_t(i) * tsize, tsize));
  at += size_t(c[3]) * tsize;
  for (int64_t i = 0; i < c[3]; ++i) loc->index.push_back(u[at + size_t(i)]);
  at += size_t(c[3]);
  std::vector<std::pair<int32_t, std::pair<bool, uint8_t>>> raw;
  for (int64_t i = 0; i < c[4]; ++i) {
    const unsigned char* p = u + at + size_t(i) * 6;
    raw.push_back({int32_t(be(p, 4)), {p[4] != 0, p[5]}});
  }
  at += size_t(c[4]) * 6;
  std::string chars = data.substr(at, size_t(c[5]));
  for (auto& [off, rest] : raw) {
    ZoneType t;
    t.offset = off;
    t.dst = rest.first;
    size_t ai = rest.second;
    t.abbr = ai < chars.size() ? std::string(chars.c_str() + ai) : std::string();
    loc->types.push_back(t);
  }
  for (uint8_t i : loc->index) {
    if (i >= loc->types.size()) return nullptr;
  }
  return loc;
}

std::shared_ptr<Location> read_zone_file(const std::string& path, std::string name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_tzif(ss.str(), std::move(name));
}

std::shared_ptr<Location> make_utc() {
  auto loc = std::make_shared<Location>();
  loc->name = "UTC";
  loc->types.push_back(ZoneType{0, false, "UTC"});
  return loc;
}

}  // namespace

LocationPtr utc_location() {
  static const LocationPtr utc = make_utc();
  return utc;
}

LocationPtr local_location() {
  static const LocationPtr local = [] {
    const char* tz = std::getenv("TZ");
    std::shared_ptr<Location> loc;
    if (tz == nullptr) {
      loc = read_zone_file("/etc/localtime", "Local");
    } else if (*tz != 0) {
      std::string name = tz[0] == ':' ? tz + 1 : tz;
      loc = name[0] == '/' ? read_zone_file(name, "Local") : read_zone_file("/usr/share/zoneinfo/" + name, "Local");
    }
    if (!loc) {
      loc = make_utc();
    }
    loc->name = "Local";
    return LocationPtr(loc);
  }();
  return local;
}

LocationPtr load_location(std::string_view name) {
  if (name.empty() || name == "UTC") return utc_location();
  if (name == "Local") return local_location();
  std::string n(name);
  if (n.find("..") != std::string::npos || n[0] == '/' || n[0] == '\\') return nullptr;
  static std::mutex mu;
  static std::map<std::string, LocationPtr> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  LocationPtr loc = read_zone_file("/usr/share/zoneinfo/" + n, n);
  cache.emplace(n, loc);
  return loc;
}

Time zero_time() {
  Time t;
  t.unix_seconds = -62135596800;
  return t;
}

Time time_in(int64_t sec, int32_t nanos, const Location& loc) {
  Time t;
  t.unix_seconds = sec;
  t.nanos = nanos;
  const ZoneType& z = loc.lookup(sec);
  t.utc_offset_seconds = z.offset;
  t.zone_name = z.abbr;
  return t;
}

Time time_in(const Time& t, const Location& loc) { return time_in(unix_seconds(t), nanosecond(t), loc); }

Time now_in(const Location& loc) {
  auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  int64_t sec = ns / 1000000000;
  return time_in(sec, int32_t(ns % 1000000000), loc);
}

Time add_duration(const Time& t, int64_t nanos) {
  Time out = t;
  int64_t sec = nanos / 1000000000;
  int64_t ns = int64_t(t.nanos) + nanos % 1000000000;
  if (ns < 0) {
    ns += 1000000000;
    --sec;
  } else if (ns >= 1000000000) {
    ns -= 1000000000;
    ++sec;
  }
  out.unix_seconds = int64_t(uint64_t(t.unix_seconds) + uint64_t(sec));
  out.nanos = int32_t(ns);
  return out;
}

}  // namespace utask::values::fn

#include "http/route_table.h"

#include <stdexcept>

namespace utask::http {
namespace {

// "/a/b/" → {"a", "b", ""}; "/" → {}.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path == "/") return out;
  if (path.front() == '/') path.remove_prefix(1);
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      out.push_back(path.substr(start));
      break;
    }
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// `{*rest}`: the rest of the path, any number of segments (the static UI's files).
bool is_rest(std::string_view segment) { return is_param(segment) && segment[1] == '*'; }

// Matches `path` against `pattern`; on success fills `params` and `literal_mask` (one flag per
// segment, true for a literal: used to prefer literal routes).
bool match_pattern(std::string_view pattern, const std::vector<std::string_view>& segments,
                   std::map<std::string, std::string>& params, std::vector<bool>& literal_mask) {
  const auto pattern_segments = split_path(pattern);
  const bool rest = !pattern_segments.empty() && is_rest(pattern_segments.back());
  const size_t fixed = rest ? pattern_segments.size() - 1 : pattern_segments.size();
  if (rest ? segments.size() < fixed : pattern_segments.size() != segments.size()) return false;
  params.clear();
  literal_mask.assign(segments.size(), false);
  if (rest) {
    std::string tail;
    for (size_t i = fixed; i < segments.size(); ++i) {
      if (i > fixed) tail += '/';
      tail += segments[i];
    }
    const auto p = pattern_segments.back();
    params[std::string(p.substr(2, p.size() - 3))] = std::move(tail);
  }
  for (size_t i = 0; i < fixed; ++i) {
    const auto p = pattern_segments[i];
    if (is_param(p)) {
      if (segments[i].empty()) return false;
      params[std::string(p.substr(1, p.size() - 2))] = std::string(segments[i]);
    } else {
      if (p != segments[i]) return false;
      literal_mask[i] = true;
    }
  }
  return true;
}

}  // namespace

void RouteTable::add(Route route) {
  for (const auto& r : routes_) {
    if (r.method == route.method && r.pattern == route.pattern) {
      throw std::logic_error("route registered twice: " + route.method + " " + route.pattern);
    }
  }
  routes_.push_back(std::move(route));
}

std::optional<RouteMatch> RouteTable::match(std::string_view method, std::string_view path) const {
  const auto segments = split_path(path);
  std::optional<RouteMatch> best;
  std::vector<bool> best_mask;
  std::map<std::string, std::string> params;
  std::vector<bool> mask;
  for (const auto& route : routes_) {
    if (route.method != method) continue;
    if (!match_pattern(route.pattern, segments, params, mask)) continue;
    // Literal segments win: compare the masks left to right (true > false).
    if (!best || mask > best_mask) {
      best = RouteMatch{&route, params};
      best_mask = mask;
    }
  }
  return best;
}

std::optional<std::string> RouteTable::redirect_target(std::string_view method,
                                                       std::string_view path) const {
  if (path.empty() || path == "/") return std::nullopt;
  std::string other(path);
  if (other.back() == '/') other.pop_back();
  else other.push_back('/');
  if (other.empty()) return std::nullopt;
  if (match(method, other)) return other;
  return std::nullopt;
}

}  // namespace utask::http

#pragma once
// Development identity items (spec config.md §4.4, §4.5): `basic-auth` (user → clear-text
// password) and `groups-auth` (group → users). Absent items give empty maps.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace utask::config {

inline constexpr const char* kBasicAuthItem = "basic-auth";
inline constexpr const char* kGroupsAuthItem = "groups-auth";

using BasicAuth = std::map<std::string, std::string>;  // passwords are secrets: never log them
using GroupsAuth = std::map<std::string, std::vector<std::string>>;

// A JSON object of strings. The error never quotes the value.
Result<BasicAuth> parse_basic_auth(std::string_view value);
// A JSON object of lists of strings.
Result<GroupsAuth> parse_groups_auth(std::string_view value);

// Groups that list `user`, sorted.
std::vector<std::string> groups_of(const GroupsAuth& groups, std::string_view user);

}  // namespace utask::config

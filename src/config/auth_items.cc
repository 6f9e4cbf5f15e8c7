#include "config/auth_items.h"

#include <algorithm>

#include "config/fields.h"

namespace utask::config {

using detail::Fields;

Result<BasicAuth> parse_basic_auth(std::string_view value) {
  auto json = detail::parse_item_json(kBasicAuthItem, value);
  if (!json) return json.error();
  try {
    if (!json->is_object())
      detail::fail("", std::string("expected a JSON object user → password, got ") + detail::type_name(*json));
    BasicAuth out;
    for (auto it = json->begin(); it != json->end(); ++it) {
      if (!it.value().is_string())
        detail::fail(it.key(), std::string("expected a password string, got ") + detail::type_name(it.value()));
      out[it.key()] = it.value().get<std::string>();
    }
    return out;
  } catch (const detail::FieldError& e) {
    return detail::item_error(kBasicAuthItem, e);
  }
}

Result<GroupsAuth> parse_groups_auth(std::string_view value) {
  auto json = detail::parse_item_json(kGroupsAuthItem, value);
  if (!json) return json.error();
  try {
    if (!json->is_object())
      detail::fail("", std::string("expected a JSON object group → [users], got ") + detail::type_name(*json));
    Fields f(*json, "");
    GroupsAuth out;
    for (auto it = json->begin(); it != json->end(); ++it) {
      if (!it.value().is_array())
        detail::fail(it.key(), std::string("expected a list of user names, got ") + detail::type_name(it.value()));
      out[it.key()] = f.strings(it.key());
    }
    return out;
  } catch (const detail::FieldError& e) {
    return detail::item_error(kGroupsAuthItem, e);
  }
}

std::vector<std::string> groups_of(const GroupsAuth& groups, std::string_view user) {
  std::vector<std::string> out;
  for (const auto& [group, users] : groups)
    if (std::find(users.begin(), users.end(), user) != users.end()) out.push_back(group);
  return out;
}

}  // namespace utask::config

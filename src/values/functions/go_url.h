#pragma once
// Go's net/url as sprig's urlParse/urlJoin use it: url.Parse (with its errors, e.g.
// `parse "http://[::1": missing ']' in host`) and URL.String with Go's escaping rules.

#include <string>
#include <string_view>

#include "model/error.h"

namespace utask::values::fn {

struct Url {
  std::string scheme, opaque, host, path, raw_path, raw_query, fragment, raw_fragment;
  bool has_user = false, password_set = false, force_query = false, omit_host = false;
  std::string username, password;

  std::string userinfo() const;          // Userinfo.String()
  std::string escaped_path() const;      // URL.EscapedPath()
  std::string escaped_fragment() const;  // URL.EscapedFragment()
  std::string hostname() const;          // URL.Hostname()
  std::string str() const;               // URL.String()
};

Result<Url> parse_url(std::string_view raw);  // url.Parse

}  // namespace utask::values::fn

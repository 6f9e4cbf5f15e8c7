#include "config/redact.h"

#include <regex>

namespace utask::config {

std::string redact_connection_string(std::string_view conn) {
  std::string s(conn);
  auto scheme = s.find("://");
  if (scheme != std::string::npos) {
    auto start = scheme + 3;
    auto at = s.find('@', start);
    auto slash = s.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      // The last '@' before the path ends the user info (a password may contain '@').
      auto last_at = s.rfind('@', slash == std::string::npos ? std::string::npos : slash);
      auto colon = s.find(':', start);
      if (colon != std::string::npos && colon < last_at)
        s.replace(colon + 1, last_at - colon - 1, "***");
    }
    // Query parameters may carry a password too.
    static const std::regex query_pw(R"(([?&]password=)[^&]*)", std::regex::icase);
    return std::regex_replace(s, query_pw, "$1***");
  }
  static const std::regex kv_pw(R"((\bpassword\s*=\s*)('([^'\\]|\\.)*'|\S*))", std::regex::icase);
  return std::regex_replace(s, kv_pw, "$1***");
}

}  // namespace utask::config

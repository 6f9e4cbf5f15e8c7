#include "actions/http/http_response.h"

#include <cctype>

#include "model/json.h"

namespace utask::actions {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Go's readSetCookies, reduced to what the metadata keeps: name and value of the first
// `name=value` pair, surrounding double quotes of the value removed; invalid pairs skipped.
void add_cookie(Json& cookies, std::string_view header) {
  std::string_view pair = trim(header.substr(0, header.find(';')));
  auto eq = pair.find('=');
  if (eq == std::string_view::npos) return;
  std::string_view name = trim(pair.substr(0, eq));
  std::string_view value = trim(pair.substr(eq + 1));
  if (name.empty()) return;
  for (char c : name) {
    if (std::iscntrl(static_cast<unsigned char>(c)) || std::string_view(" \t\"(),/:;<=>?@[\\]{}").find(c) != std::string_view::npos) {
      return;
    }
  }
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  cookies[std::string(name)] = std::string(value);
}

std::string content_type_of(const CurlResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (canonical_header_name(name) == "Content-Type") return value;
  }
  return "";
}

}  // namespace

Json http_metadata(const CurlResponse& response) {
  Json headers = Json::object();
  Json cookies = Json::object();
  for (const auto& [name, value] : response.headers) {
    const std::string key = canonical_header_name(name);
    if (!headers.contains(key)) headers[key] = value;
    if (key == "Set-Cookie") add_cookie(cookies, value);
  }
  return Json{{"HTTPStatus", response.status}, {"HTTPHeaders", headers}, {"HTTPCookies", cookies}};
}

ActionResult http_result(const CurlResponse& response, const std::string& body) {
  ActionResult result;
  result.metadata = http_metadata(response);
  const std::string content_type = content_type_of(response);
  const bool json = lower(trim(std::string_view(content_type).substr(0, content_type.find(';')))) == "application/json";
  if (json && !body.empty()) {
    auto parsed = parse_json(body);
    if (!parsed) {
      result.error = ActionError{ErrorKind::server, "can't unmarshal body: " + parsed.error().message};
      return result;
    }
    result.output = std::move(*parsed);
  } else {
    result.output = body;
  }
  const long status = response.status;
  if (status >= 200 && status < 300) return result;
  const std::string message = "failed api request: " + std::to_string(status) + ": " + body;
  if (status >= 400 && status < 500) {
    result.error = ActionError{ErrorKind::client, "Client error: " + message};
  } else {
    result.error = ActionError{ErrorKind::server, message};
  }
  return result;
}

}  // namespace utask::actions

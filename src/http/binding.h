#pragma once
// Request binding and error answers shared by every route module (api.md §1.2, §1.3, §1.6):
// bodies parsed as YAML 1.1 (JSON is a subset), query parameters converted with the original's
// messages, and utask::Error mapped to a status in one place.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_message.h"
#include "model/error.h"
#include "model/json.h"
#include "persistence/records.h"

namespace utask::http {

// The body as JSON: empty body → {}; integers kept exactly; parse failures and non-object
// bodies → invalid_input `binding error: error parsing request body: <detail>`.
Result<Json> bind_body(const HttpRequest& request);

// Field readers over a bound body, with the original's scalar coercion (a number or boolean
// where a string is declared becomes its text) and binding errors for wrong types
// (`binding error: error parsing request body: ...`). Absent or null → nullopt / empty.
Result<std::optional<std::string>> body_string(const Json& body, std::string_view field);
Result<std::vector<std::string>> body_string_list(const Json& body, std::string_view field);
Result<std::optional<Json>> body_object(const Json& body, std::string_view field);
Result<std::map<std::string, std::string>> body_string_map(const Json& body, std::string_view field);
Result<std::optional<bool>> body_bool(const Json& body, std::string_view field);

// Scalar query parameters: more than one value → `multiple values not supported`; conversion
// failures → `expected '<name>' to be of type <kind>` (uint64, bool, struct). All 400.
Result<std::optional<std::string>> query_string(const HttpRequest& request, std::string_view name);
Result<std::optional<uint64_t>> query_uint64(const HttpRequest& request, std::string_view name);
Result<std::optional<bool>> query_bool(const HttpRequest& request, std::string_view name);
Result<std::optional<persistence::Timestamp>> query_time(const HttpRequest& request,
                                                         std::string_view name);
// A list parameter (`tag`): every value, empty ones dropped.
std::vector<std::string> query_list(const HttpRequest& request, std::string_view name);

// utask::Error → status (api.md §1.6 and the table in service/task_service.h):
// invalid_input/invalid_template/invalid_config/conflict → 400, unauthorized → 401 with an
// empty body, forbidden → 403, not_found → 404, everything else → 500 with the message
// logged and not shown (internal details are not a client's business).
HttpResponse error_response(const Error& error);
int status_of(ErrorCode code);

// Pagination headers of api.md §1.7: X-Paging-PageSize always; Link when the page is full.
// `query` holds the parameters to carry (sorted here).
void add_paging_headers(HttpResponse& response, std::string_view path, size_t page_size,
                        size_t returned, std::vector<std::pair<std::string, std::string>> query);

}  // namespace utask::http

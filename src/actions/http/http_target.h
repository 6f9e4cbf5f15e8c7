#pragma once
// Building the request of the `http` action (actions.md §3 execution steps 1, 2, 4): the
// target URL from url or host + path, the query re-encoded as Go's url.Values does, and the
// Content-Type guessed from the body.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace utask::actions {

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

// `url` when non-empty, else scheme + authority of `host` with path + query of `path` (a
// missing leading '/' is added). A fragment is dropped. Then the query is parsed (Go's
// url.ParseQuery: pairs split on '&', "+" and %XX decoded, a pair with a bad escape or a ';'
// dropped), `extra` appended, and re-encoded (Go's Values.Encode: names sorted, stable for
// repeated names, form encoding with space as '+'). No '?' when the query ends up empty.
std::string http_target_url(const std::string& url, const std::string& host, const std::string& path,
                            const QueryParameters& extra);

// The authority (host[:port], no user info) of an absolute URL; empty when it has none.
std::string url_authority(std::string_view url);

// Go's url.QueryEscape.
std::string query_escape(std::string_view text);

// "application/json" when the body is one JSON value, "application/xml" when it holds a
// well-formed first XML element (as Go's xml.Unmarshal accepts it), nullopt otherwise.
std::optional<std::string> guess_content_type(std::string_view body);

}  // namespace utask::actions

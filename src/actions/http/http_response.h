#pragma once
// The original's `httputil` (actions.md §2): an HTTP response → the step's output, metadata
// and error, for every action that calls an HTTP API (http, apiovh).
//
// - metadata: exactly {HTTPStatus, HTTPHeaders, HTTPCookies}; header names in Go's canonical
//   form, first value only; cookies name → value from every Set-Cookie (attributes dropped,
//   the last of a name wins).
// - output: the body parsed as JSON when the media type of Content-Type is application/json
//   and the body is not empty, else the body as a string. The JSON must be exactly one value
//   (DECISIONS.md: trailing garbage is an error): a parse failure is a server error
//   `can't unmarshal body: <reason>` with a null output and the metadata kept.
// - error: 2xx none; 4xx client `Client error: failed api request: <status>: <body>`; any
//   other status server `failed api request: <status>: <body>`.

#include "actions/action.h"
#include "actions/http/curl_request.h"

namespace utask::actions {

// `body` is the response body after any prefix trimming (it replaces response.body).
ActionResult http_result(const CurlResponse& response, const std::string& body);

// Only the metadata object.
Json http_metadata(const CurlResponse& response);

}  // namespace utask::actions

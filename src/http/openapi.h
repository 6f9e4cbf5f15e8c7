#pragma once
// The OpenAPI 3.0.3 document of the API (api.md §5.8 /unsecured/spec.json), generated from the
// route table the server dispatches from, so it cannot drift: one operation per route not
// hidden from the spec, with its operationId and tag (api.md §7), its path and query
// parameters, its request body and responses, and the security schemes (HTTP basic and the
// trusted x-remote-user header) on authenticated routes.

#include "http/api_context.h"
#include "http/route_table.h"
#include "model/json.h"

namespace utask::http {

Json openapi_document(const RouteTable& routes, const ApiContext& api);

}  // namespace utask::http

#pragma once
// The route modules: each adds its routes (handler + guard + documentation) to the table.
// The server is started with the table they build together (server.h).

#include "http/api_context.h"
#include "http/route_table.h"

namespace utask::http {

void add_template_routes(RouteTable& table, const ApiContext& api);    // /template, /function
void add_task_routes(RouteTable& table, const ApiContext& api);        // /task, /batch
void add_comment_routes(RouteTable& table, const ApiContext& api);     // /task/{id}/comment
void add_resolution_routes(RouteTable& table, const ApiContext& api);  // /resolution...
void add_callback_routes(RouteTable& table, const ApiContext& api);    // /unsecured/callback
void add_admin_routes(RouteTable& table, const ApiContext& api);       // /meta, /key-rotate, /admin/*
// The static UI of api.md §5.10 (/ui/dashboard/, /ui/swagger/) from api.options.static_root,
// when its folders exist.
void add_static_ui_routes(RouteTable& table, const ApiContext& api);
// GET /, /unsecured/mon/ping, /unsecured/stats, /metrics, /unsecured/spec.json (generated
// from `table` as it is when the server starts).
void add_monitoring_routes(RouteTable& table, const ApiContext& api);

// Every module above, in one table.
RouteTable build_api_routes(const ApiContext& api);

}  // namespace utask::http

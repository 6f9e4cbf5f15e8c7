// Every route module in one table; monitoring last, so the OpenAPI document it serves
// describes all the others.

#include "http/routes.h"

namespace utask::http {

RouteTable build_api_routes(const ApiContext& api) {
  RouteTable table;
  add_template_routes(table, api);
  add_task_routes(table, api);
  add_comment_routes(table, api);
  add_resolution_routes(table, api);
  add_callback_routes(table, api);
  add_admin_routes(table, api);
  add_static_ui_routes(table, api);
  add_monitoring_routes(table, api);
  return table;
}

}  // namespace utask::http

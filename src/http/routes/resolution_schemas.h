#pragma once
// JSON schemas (OpenAPI 3 Schema Objects) of what the resolution, callback and admin routes
// take and return (api.md §6.3, §6.5, §6.9, §6.11 and the admin console's objects), for
// their RouteDocs. Kept next to the routes so a shape change and its documentation change
// together.

#include "model/json.h"

namespace utask::http::schemas {

Json resolution();                // §6.3
Json step();                      // §6.5
Json create_resolution_body();    // POST /resolution
Json update_resolution_body();    // PUT /resolution/{id}
Json step_state_body();           // PUT /resolution/{id}/step/{stepName}/state
Json callback_body();             // POST /unsecured/callback/{id}: any object
Json callback_answer();           // {"message": ...}
Json meta();                      // §6.11
Json maintenance();               // GET/PUT /admin/maintenance
Json key_rotation_status();       // GET /admin/key-rotation

}  // namespace utask::http::schemas

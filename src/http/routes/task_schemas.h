#pragma once
// JSON schemas (OpenAPI 3 Schema Objects) of the objects the template, function, task, batch
// and comment routes take and return (api.md §6), for their RouteDocs. Kept next to the
// routes so a shape change and its documentation change together.

#include "model/json.h"

namespace utask::http::schemas {

Json task();               // §6.1, single-task responses
Json task_list_item();     // §6.1 in GET /task: input null, no result
Json comment();            // §6.2
Json batch();              // §6.4
Json template_summary();   // §6.8 in GET /template
Json template_details();   // §6.8 in GET /template/{name}
Json function();           // §6.10

Json create_task_body();   // POST /task
Json update_task_body();   // PUT /task/{id}
Json create_batch_body();  // POST /batch
Json comment_body();       // POST, PUT of a comment

Json array_of(Json items);

}  // namespace utask::http::schemas

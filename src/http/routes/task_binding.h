#pragma once
// Requests of the task, batch and comment routes → the service's request structs (api.md
// §5.3–§5.5). Binding only: types and coercion (http/binding.h); every business rule and its
// message stays in service::TaskService.

#include <string>
#include <utility>
#include <vector>

#include "http/http_message.h"
#include "model/error.h"
#include "service/task_service.h"

namespace utask::http {

Result<service::CreateTaskRequest> bind_create_task(const HttpRequest& request);
Result<service::CreateBatchRequest> bind_create_batch(const HttpRequest& request);
Result<service::UpdateTaskRequest> bind_update_task(const HttpRequest& request);
// The `content` of a comment body (absent → empty, which the service refuses as too short).
Result<std::string> bind_comment_content(const HttpRequest& request);

// GET /task's query (§5.3.2): scalar parameters once at most, `page_size` a uint64, `after` and
// `before` RFC 3339, `tag` repeatable.
Result<service::ListTasksQuery> bind_list_tasks(const HttpRequest& request);

// The filters of a GET /task request to carry into its `Link` header, besides `last` and
// `page_size`: every filter given (DECISIONS: the original dropped template, tag, after and
// before), and `type` always.
std::vector<std::pair<std::string, std::string>> list_tasks_link_filters(const HttpRequest& request);

}  // namespace utask::http

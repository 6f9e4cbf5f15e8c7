#pragma once
// Tasks, batches and comments as users ask for them (api.md §5.3–§5.5): every check in the
// documented order with the original's messages, each write one store transaction.
//
// Errors are utask::Error; src/http maps their codes to statuses in one place:
//
//   code            status  examples
//   invalid_input   400     bad input, blocked template, reserved tag, comment length, tag filter
//   conflict        400     state refusals ("Task can't be deleted while in state ...")
//   invalid_template 400    a hot-fixed step that fails validation
//   not_found       404     task, template, batch, comment, page key
//   unauthorized    401     admin-guarded operations for non-admins (empty body)
//   forbidden       403     the §3.2 refusals with their messages
//   transient, internal, lease_lost  500
//
// Thread safety: stateless over the context; every method may be called concurrently.

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/error.h"
#include "model/json.h"
#include "persistence/records.h"
#include "persistence/task_filter.h"
#include "service/authorization.h"
#include "service/context.h"

namespace utask::service {

// POST /task body (api.md §5.3.1), and what subtask and batch ask for.
struct CreateTaskRequest {
  std::string template_name;
  Json input = Json::object();
  std::string comment;  // empty: none
  std::vector<std::string> watcher_usernames;
  std::vector<std::string> watcher_groups;
  std::vector<std::string> resolver_usernames;
  std::vector<std::string> resolver_groups;
  std::optional<std::string> delay;  // Go duration text; parsed only for an auto-run task
  persistence::Tags tags;
};

// POST /batch body (api.md §5.4).
struct CreateBatchRequest {
  std::string template_name;
  Json common_input = Json::object();
  std::vector<Json> inputs;
  std::string comment;
  std::vector<std::string> watcher_usernames;
  std::vector<std::string> watcher_groups;
  persistence::Tags tags;
};

// A task as one response shows it (api.md §6.1): input already masked for the viewer.
struct TaskDetails {
  persistence::TaskRecord task;
  std::vector<persistence::Comment> comments;
  std::vector<std::pair<std::string, std::string>> errors;  // BLOCKED: (step description, error)
  std::shared_ptr<const model::TaskTemplate> tmpl;

  Json to_json() const;  // task_json with comments, errors and the template's resolver inputs
};

struct BatchCreated {
  persistence::Batch batch;
  std::vector<persistence::TaskRecord> tasks;
};

// GET /task query parameters, as received (api.md §5.3.2).
struct ListTasksQuery {
  std::string type = "own";
  std::optional<std::string> state;
  std::optional<std::string> batch;
  std::optional<std::string> template_name;
  std::vector<std::string> tags;  // each "key=value"
  uint64_t page_size = 0;         // normalised: 0 → 1000, < 10 → 10, > 10000 → 10000
  std::string last;
  std::optional<persistence::Timestamp> after;
  std::optional<persistence::Timestamp> before;
};

// PUT /task/:id body: each absent member clears its attribute, except input (required).
struct UpdateTaskRequest {
  std::optional<Json> input;
  std::vector<std::string> watcher_usernames;
  std::vector<std::string> watcher_groups;
  persistence::Tags tags;
};

// §1.7's normalisation of page_size.
size_t normalize_page_size(uint64_t page_size);

// The parts of one task creation shared by POST /task, POST /batch and the actions.
struct TaskSpec {
  CreateTaskRequest request;
  std::optional<std::chrono::microseconds> delay;  // already parsed (actions); wins over text
  std::optional<std::string> parent_task_id;       // adds the reserved tag
  std::optional<std::string> batch_id;
};

class TaskService {
 public:
  explicit TaskService(const ServiceContext& context) : ctx_(context) {}

  // POST /task, in §5.3.1's order: template (404 `template "<name>" not found`), reserved tag
  // (400), resolver lists (403), blocked (400), inputs (400 `Failed to create new Task: ...`),
  // comment length (400), auto-run decision and delay (400 `delay: ...`); one transaction.
  // Wakes the runner when a resolution was created. The response input is in clear.
  Result<TaskDetails> create_task(const Caller& caller, const CreateTaskRequest& request);

  // POST /batch (§5.4): tags, template, each input merged with common_input
  // (400 `Conflicting keys in input maps`) and created as by create_task (no resolvers, no
  // delay); all or nothing.
  Result<BatchCreated> create_batch(const Caller& caller, const CreateBatchRequest& request);

  // The tasks of `specs` (one template) with `requester`'s identity in one transaction, joining
  // `batch` (created first when `create_batch`). Used by create_batch and ActionServices.
  Result<std::vector<persistence::TaskRecord>> create_tasks(
      const Caller& requester, const std::string& template_name, std::vector<TaskSpec> specs,
      const std::optional<persistence::Batch>& batch, bool create_batch);

  // GET /task/:id: 404, 403 `Can't display task details`; comments; BLOCKED errors; masking.
  Result<TaskDetails> get_task(const Caller& caller, const std::string& task_id);

  // GET /task: 400 on a bad type or tag, 404 on an unknown batch or `last`.
  Result<persistence::Page<persistence::TaskRecord>> list_tasks(const Caller& caller,
                                                                const ListTasksQuery& query);

  // PUT /task/:id (§5.3.4). The response has the comments as they were before the automatic
  // `manually edited task` comment, and the input in clear.
  Result<TaskDetails> update_task(const Caller& caller, const std::string& task_id,
                                  const UpdateTaskRequest& request);

  // POST /task/:id/wontfix (§5.3.5): state TODO required (checked first), then 403; wakes the
  // parent in the same transaction.
  Result<void> wontfix(const Caller& caller, const std::string& task_id);

  // DELETE /task/:id (§5.3.6): admin (401), 404, RUNNING/BLOCKED refused (400).
  Result<void> delete_task(const Caller& caller, const std::string& task_id);

  // Comments (§5.5). Content 3..100000 bytes.
  Result<persistence::Comment> add_comment(const Caller& caller, const std::string& task_id,
                                           const std::string& content);
  Result<std::vector<persistence::Comment>> list_comments(const Caller& caller,
                                                          const std::string& task_id);
  Result<persistence::Comment> get_comment(const Caller& caller, const std::string& task_id,
                                           const std::string& comment_id);
  Result<persistence::Comment> update_comment(const Caller& caller, const std::string& task_id,
                                              const std::string& comment_id,
                                              const std::string& content);
  Result<void> delete_comment(const Caller& caller, const std::string& task_id,
                              const std::string& comment_id);

 private:
  // The task with its template (for the role predicates).
  Result<std::pair<persistence::TaskRecord, std::shared_ptr<const model::TaskTemplate>>> load(
      const std::string& task_id);

  const ServiceContext& ctx_;
};

// The comment rule of §5.5: `Failed to create comment: task comment can't be shorter than 3
// characters` / `... longer than 100000 characters` (invalid_input).
Result<void> check_comment_length(const std::string& content);

}  // namespace utask::service

// TaskService: comments (api.md §5.5). A comment is always addressed with its task: one of
// another task is not found (the deliberate deviation of §5.5), so the original's
// `Comment and task don't match` cannot arise.

#include "persistence/store.h"
#include "service/task_service.h"

namespace utask::service {

Result<persistence::Comment> TaskService::add_comment(const Caller& caller,
                                                      const std::string& task_id,
                                                      const std::string& content) {
  auto loaded = load(task_id);
  if (!loaded) return loaded.error();
  if (!may_use_comments(caller, loaded->first, *loaded->second)) {
    return Error{ErrorCode::forbidden, "Can't create comment", {}};
  }
  auto length = check_comment_length(content);
  if (!length) return length.error();
  return ctx_.store->add_comment(loaded->first.id, persistence::NewComment{caller.username, content});
}

Result<std::vector<persistence::Comment>> TaskService::list_comments(const Caller& caller,
                                                                     const std::string& task_id) {
  auto loaded = load(task_id);
  if (!loaded) return loaded.error();
  if (!may_use_comments(caller, loaded->first, *loaded->second)) {
    return Error{ErrorCode::forbidden, "Can't list comment", {}};
  }
  return ctx_.store->list_comments(loaded->first.id);
}

Result<persistence::Comment> TaskService::get_comment(const Caller& caller,
                                                      const std::string& task_id,
                                                      const std::string& comment_id) {
  auto comment = ctx_.store->get_comment(task_id, comment_id);
  if (!comment) return comment.error();
  auto loaded = load(task_id);
  if (!loaded) return loaded.error();
  if (!may_use_comments(caller, loaded->first, *loaded->second)) {
    return Error{ErrorCode::forbidden, "Can't get comment", {}};
  }
  return comment;
}

Result<persistence::Comment> TaskService::update_comment(const Caller& caller,
                                                         const std::string& task_id,
                                                         const std::string& comment_id,
                                                         const std::string& content) {
  auto task = ctx_.store->get_task(task_id);
  if (!task) return task.error();
  auto comment = ctx_.store->get_comment(task_id, comment_id);
  if (!comment) return comment.error();
  if (!may_edit_comment(caller, *comment)) {
    return Error{ErrorCode::forbidden, "Not allowed to update comment", {}};
  }
  auto length = check_comment_length(content);
  if (!length) return length.error();
  return ctx_.store->update_comment(task_id, comment_id, content);
}

Result<void> TaskService::delete_comment(const Caller& caller, const std::string& task_id,
                                         const std::string& comment_id) {
  auto task = ctx_.store->get_task(task_id);
  if (!task) return task.error();
  auto comment = ctx_.store->get_comment(task_id, comment_id);
  if (!comment) return comment.error();
  if (!may_edit_comment(caller, *comment)) {
    return Error{ErrorCode::forbidden, "Not allowed to delete comment", {}};
  }
  return ctx_.store->delete_comment(task_id, comment_id);
}

}  // namespace utask::service

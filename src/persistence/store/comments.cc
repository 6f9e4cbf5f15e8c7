// Comments of a task: content encrypted (comment, content, <cid>), listed in creation order
// through the (task_id, id) index. A comment is always addressed with its task: one that
// belongs to another task is not found (api.md §5.5, the deliberate deviation).

#include "persistence/store/sql_store.h"
#include "persistence/store/task_rows.h"

namespace utask::persistence {

namespace {

constexpr const char* kCommentColumns =
    "c.public_id, t.public_id, c.username, c.created, c.updated, c.content";

Result<Comment> read_comment(const sql::Row& r, const Columns& columns) {
  Comment c{r.text(0), r.text(1), r.text(2), from_micros(r.integer(3)),
            from_micros(r.integer(4)), {}};
  auto content = columns.open(r, 5, comment_content_aad(c.id));
  if (!content) return content.error();
  c.content = std::move(*content);
  return c;
}

Error comment_not_found(const std::string& task_id, const std::string& comment_id) {
  return Error::not_found("comment " + comment_id + " of task " + task_id + " not found");
}

// The row id of the comment `comment_id` of task `task_id`; not_found otherwise.
Result<int64_t> comment_row_id(sql::Connection& conn, const std::string& task_id,
                               const std::string& comment_id) {
  if (!looks_like_uuid(task_id) || !looks_like_uuid(comment_id)) {
    return comment_not_found(task_id, comment_id);
  }
  auto rows = conn.query(
      "SELECT c.id FROM comment c JOIN task t ON t.id = c.task_id "
      "WHERE c.public_id = $1 AND t.public_id = $2",
      {lower_id(comment_id), lower_id(task_id)});
  if (!rows) return rows.error();
  if (rows->empty()) return comment_not_found(task_id, comment_id);
  return rows->front().integer(0);
}

Result<Comment> read_comment_by_row(sql::Connection& conn, const Columns& columns,
                                    int64_t row) {
  auto rows = conn.query(std::string("SELECT ") + kCommentColumns +
                             " FROM comment c JOIN task t ON t.id = c.task_id WHERE c.id = $1",
                         {row});
  if (!rows) return rows.error();
  if (rows->empty()) return Error::internal("comment row vanished inside its transaction");
  return read_comment(rows->front(), columns);
}

}  // namespace

Result<Comment> insert_comment(sql::Connection& conn, const Columns& columns, int64_t task_row,
                               const std::string& task_id, const NewComment& comment,
                               Timestamp now) {
  Comment c{new_public_id(), task_id, comment.username, now, now, comment.content};
  auto blob = columns.seal(comment.content, comment_content_aad(c.id));
  if (!blob) return blob.error();
  auto ins = conn.execute(
      "INSERT INTO comment (public_id, task_id, username, created, updated, content) "
      "VALUES ($1, $2, $3, $4, $4, $5)",
      {c.id, task_row, c.username, to_micros(now), std::move(*blob)});
  if (!ins) return ins.error();
  return c;
}

Result<Comment> SqlStore::add_comment(const std::string& task_id, const NewComment& comment) {
  std::optional<Comment> added;
  auto tx = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) {
    return guarded<void>("add_comment", [&]() -> Result<void> {
      auto task = task_row_id(conn, task_id);
      if (!task) return task.error();
      auto c = insert_comment(conn, columns_, *task, lower_id(task_id), comment, now());
      if (!c) return c.error();
      added = std::move(*c);
      return {};
    });
  });
  if (!tx) return tx.error();
  return std::move(*added);
}

Result<Comment> SqlStore::get_comment(const std::string& task_id,
                                      const std::string& comment_id) {
  std::optional<Comment> found;
  auto tx = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) {
    return guarded<void>("get_comment", [&]() -> Result<void> {
      auto row = comment_row_id(conn, task_id, comment_id);
      if (!row) return row.error();
      auto c = read_comment_by_row(conn, columns_, *row);
      if (!c) return c.error();
      found = std::move(*c);
      return {};
    });
  });
  if (!tx) return tx.error();
  return std::move(*found);
}

Result<std::vector<Comment>> SqlStore::list_comments(const std::string& task_id) {
  std::vector<Comment> out;
  auto tx = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) {
    out.clear();
    return guarded<void>("list_comments", [&]() -> Result<void> {
      auto task = task_row_id(conn, task_id);
      if (!task) return task.error();
      auto rows = conn.query(std::string("SELECT ") + kCommentColumns +
                                 " FROM comment c JOIN task t ON t.id = c.task_id "
                                 "WHERE c.task_id = $1 ORDER BY c.id",
                             {*task});
      if (!rows) return rows.error();
      for (const auto& r : *rows) {
        auto c = read_comment(r, columns_);
        if (!c) return c.error();
        out.push_back(std::move(*c));
      }
      return {};
    });
  });
  if (!tx) return tx.error();
  return out;
}

Result<Comment> SqlStore::update_comment(const std::string& task_id,
                                         const std::string& comment_id,
                                         const std::string& content) {
  std::optional<Comment> updated;
  auto tx = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) {
    return guarded<void>("update_comment", [&]() -> Result<void> {
      auto row = comment_row_id(conn, task_id, comment_id);
      if (!row) return row.error();
      auto blob = columns_.seal(content, comment_content_aad(lower_id(comment_id)));
      if (!blob) return blob.error();
      auto up = conn.execute("UPDATE comment SET content = $2, updated = $3 WHERE id = $1",
                             {*row, std::move(*blob), to_micros(now())});
      if (!up) return up.error();
      auto c = read_comment_by_row(conn, columns_, *row);
      if (!c) return c.error();
      updated = std::move(*c);
      return {};
    });
  });
  if (!tx) return tx.error();
  return std::move(*updated);
}

Result<void> SqlStore::delete_comment(const std::string& task_id,
                                      const std::string& comment_id) {
  return db_->transact(sql::TxKind::write, [&](sql::Connection& conn) {
    return guarded<void>("delete_comment", [&]() -> Result<void> {
      auto row = comment_row_id(conn, task_id, comment_id);
      if (!row) return row.error();
      auto del = conn.execute("DELETE FROM comment WHERE id = $1", {*row});
      if (!del) return del.error();
      return {};
    });
  });
}

}  // namespace utask::persistence

// SqlStore: resolutions — creation (POST /resolution), reads, operators' edits and wake-ups.
// The lease-holder's writes are in leases.cc; both go through write_resolution_change().

#include <utility>

#include "persistence/store/due_at.h"
#include "persistence/store/resolution_rows.h"
#include "persistence/store/sql_store.h"
#include "persistence/store/task_rows.h"
#include "persistence/store/wake.h"

namespace utask::persistence {

namespace {

Error resolution_not_found(const std::string& id) {
  return Error::not_found("resolution " + id + " not found");
}

// Appends `username` to the task's resolver_usernames (duplicates kept, as the original
// does) and to its principal rows (deduplicated).
Result<void> add_resolver(sql::Connection& conn, int64_t task_row_id, const std::string& username) {
  auto rows = conn.query("SELECT resolver_usernames FROM task WHERE id = $1", {task_row_id});
  if (!rows) return rows.error();
  auto json = guarded<std::string>("reading a task",
                                   [&]() -> Result<std::string> { return rows->front().text(0); });
  if (!json) return json.error();
  auto list = parse_string_list(*json);
  if (!list) return list.error();
  list->push_back(username);
  auto update = conn.execute("UPDATE task SET resolver_usernames = $1 WHERE id = $2",
                             {string_list_json(*list), task_row_id});
  if (!update) return update.error();
  auto principal = conn.execute(
      "INSERT INTO task_principal (role, name, task_id) VALUES ('resolver_user', $1, $2) "
      "ON CONFLICT DO NOTHING",
      {username, task_row_id});
  if (!principal) return principal.error();
  return {};
}

}  // namespace

Result<ResolutionRecord> SqlStore::create_resolution(const ResolutionCreation& creation) {
  const Timestamp t = now();
  const std::string task_id = lower_id(creation.resolution.task_id);
  std::string id;
  auto done = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    std::string lock = dialect() == sql::Dialect::postgres ? " FOR UPDATE" : "";
    auto task = conn.query("SELECT id, state FROM task WHERE public_id = $1" + lock, {task_id});
    if (!task) return task.error();
    if (task->empty()) return Error::not_found("task " + task_id + " not found");
    int64_t task_row = 0;
    std::string task_state;
    auto read = guarded<bool>("reading a task", [&]() -> Result<bool> {
      task_row = task->front().integer(0);
      task_state = task->front().text(1);
      return true;
    });
    if (!read) return read.error();
    if (!state_passes(task_state, creation.require_task_state)) {
      return state_conflict("task", task_id, task_state);
    }

    auto existing = load_task_resolution(conn, dialect(), task_row, /*lock=*/true, nullptr);
    if (!existing) return existing.error();
    if (*existing) {
      const ResolutionRow& old = **existing;
      if (!creation.start_over) {
        return Error{ErrorCode::conflict,
                     "task " + task_id + " already has resolution " + old.record.id, "resolution"};
      }
      if (!state_passes(old.record.state, *creation.start_over)) {
        return state_conflict("resolution", old.record.id, old.record.state);
      }
      // Deleting the row fences out any holder: its next write finds no row (lease_lost).
      auto gone = conn.execute("DELETE FROM resolution WHERE id = $1", {old.row_id});
      if (!gone) return gone.error();
    }

    if (creation.add_task_resolver) {
      auto added = add_resolver(conn, task_row, *creation.add_task_resolver);
      if (!added) return added;
    }
    auto inserted = insert_resolution(conn, columns_, task_row, creation.resolution, t);
    if (!inserted) return inserted.error();
    id = std::move(*inserted);
    return {};
  });
  if (!done) return done.error();
  return get_resolution(id, ResolutionView::with_steps);
}

Result<ResolutionRecord> SqlStore::get_resolution(const std::string& resolution_id,
                                                  ResolutionView view) {
  ResolutionRecord out;
  auto done = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) -> Result<void> {
    auto row = load_resolution(conn, dialect(), resolution_id, /*lock=*/false, &columns_);
    if (!row) return row.error();
    if (!*row) return resolution_not_found(resolution_id);
    out = std::move((*row)->record);
    if (view == ResolutionView::with_steps) {
      auto steps = load_steps(conn, columns_, (*row)->row_id, out.id);
      if (!steps) return steps.error();
      out.steps = std::move(*steps);
    }
    return {};
  });
  if (!done) return done.error();
  return out;
}

Result<std::pair<ResolutionRecord, TaskRecord>> SqlStore::get_resolution_and_task(
    const std::string& resolution_id) {
  std::pair<ResolutionRecord, TaskRecord> out;
  auto done = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) -> Result<void> {
    auto row = load_resolution(conn, dialect(), resolution_id, /*lock=*/false, &columns_);
    if (!row) return row.error();
    if (!*row) return resolution_not_found(resolution_id);
    out.first = std::move((*row)->record);
    auto steps = load_steps(conn, columns_, (*row)->row_id, out.first.id);
    if (!steps) return steps.error();
    out.first.steps = std::move(*steps);
    auto task = load_task_by_row(conn, columns_, (*row)->task_row_id);
    if (!task) return task.error();
    out.second = std::move(*task);
    return {};
  });
  if (!done) return done.error();
  return out;
}

Result<StepRecord> SqlStore::get_step(const std::string& resolution_id,
                                      const std::string& step_name) {
  const std::string rid = lower_id(resolution_id);
  StepRecord out;
  auto done = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) -> Result<void> {
    auto rows = conn.query(
        "SELECT r.id, s.state, s.body FROM resolution r "
        "LEFT JOIN step s ON s.resolution_id = r.id AND s.name = $2 WHERE r.public_id = $1",
        {rid, step_name});
    if (!rows) return rows.error();
    if (rows->empty()) return resolution_not_found(rid);
    const sql::Row& row = rows->front();
    if (row.is_null(1)) {
      return Error::not_found("step " + step_name + " not found in resolution " + rid);
    }
    auto body = columns_.open(row, 2, step_body_aad(rid, step_name));
    if (!body) return body.error();
    auto state = guarded<std::string>("reading a step",
                                      [&]() -> Result<std::string> { return row.text(1); });
    if (!state) return state.error();
    out = StepRecord{step_name, std::move(*state), std::move(*body)};
    return {};
  });
  if (!done) return done.error();
  return out;
}

Result<ResolutionRecord> SqlStore::update_resolution(const std::string& resolution_id,
                                                     const ResolutionChange& change) {
  const Timestamp t = now();
  auto done = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    auto row = load_resolution(conn, dialect(), resolution_id, /*lock=*/true, nullptr);
    if (!row) return row.error();
    if (!*row) return resolution_not_found(resolution_id);
    const ResolutionRow& r = **row;
    if (!state_passes(r.record.state, change.require_state)) {
      return state_conflict("resolution", r.record.id, r.record.state);
    }
    if (r.live_lease(t) && !change.revoke_lease) {
      return Error{ErrorCode::conflict,
                   "resolution " + r.record.id + " is running on instance " +
                       std::to_string(*r.lease_instance),
                   "resolution.state"};
    }
    // An expired lease is revoked too: left in place it would make the row claimable as a
    // recovery whatever state the operator set.
    WriteContext ctx{
        .now = t,
        .ttl = options_.lease_ttl,
        .lease = change.revoke_lease || r.lease_instance ? LeaseWrite::revoke : LeaseWrite::keep};
    return write_resolution_change(conn, dialect(), columns_, r, change, ctx);
  });
  if (!done) return done.error();
  return get_resolution(resolution_id, ResolutionView::without_steps);
}

Result<void> SqlStore::wake_resolution(const std::string& resolution_id) {
  const Timestamp t = now();
  return db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    auto row = load_resolution(conn, dialect(), resolution_id, /*lock=*/true, nullptr);
    if (!row) return row.error();
    if (!*row) return resolution_not_found(resolution_id);
    return wake_locked_resolution(conn, **row, t);
  });
}

}  // namespace utask::persistence

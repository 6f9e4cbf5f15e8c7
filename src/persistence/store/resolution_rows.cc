#include "persistence/store/resolution_rows.h"

#include <set>
#include <string_view>
#include <utility>

#include "persistence/store/due_at.h"
#include "persistence/store/task_rows.h"
#include "persistence/store/wake.h"

namespace utask::persistence {

namespace {

// Positions in kColumns.
enum Col : size_t {
  kRowId,
  kTaskRowId,
  kTaskId,
  kTaskTitle,
  kPublicId,
  kResolver,
  kState,
  kInstanceId,
  kCreated,
  kLastStart,
  kLastStop,
  kNextRetry,
  kRunCount,
  kRunMax,
  kLeaseInstance,
  kGeneration,
  kLeaseExpires,
  kWakeSeq,
  kWakeSeqSeen,
  kResolverInputs,
  kBaseConfigurations,
};

constexpr const char* kColumns =
    "r.id, r.task_id, t.public_id, t.title, r.public_id, r.resolver_username, r.state, "
    "r.instance_id, r.created, r.last_start, r.last_stop, r.next_retry, r.run_count, r.run_max, "
    "r.lease_instance, r.lease_generation, r.lease_expires, r.wake_seq, r.wake_seq_seen, "
    "r.resolver_inputs, r.base_configurations";
constexpr const char* kFrom = " FROM resolution r JOIN task t ON t.id = r.task_id ";

Result<ResolutionRow> read_row(const sql::Row& row, const Columns* columns) {
  return guarded<ResolutionRow>("reading a resolution", [&]() -> Result<ResolutionRow> {
    ResolutionRow out;
    out.row_id = row.integer(kRowId);
    out.task_row_id = row.integer(kTaskRowId);
    ResolutionRecord& r = out.record;
    r.task_id = row.text(kTaskId);
    r.task_title = row.text(kTaskTitle);
    r.id = row.text(kPublicId);
    r.resolver_username = row.text(kResolver);
    r.state = row.text(kState);
    r.instance_id = row.optional_integer(kInstanceId);
    r.created = from_micros(row.integer(kCreated));
    r.last_start = optional_time(row, kLastStart);
    r.last_stop = optional_time(row, kLastStop);
    r.next_retry = optional_time(row, kNextRetry);
    r.run_count = static_cast<int>(row.integer(kRunCount));
    r.run_max = static_cast<int>(row.integer(kRunMax));
    r.generation = row.integer(kGeneration);
    r.wake_seq = row.integer(kWakeSeq);
    out.lease_instance = row.optional_integer(kLeaseInstance);
    out.lease_expires = optional_time(row, kLeaseExpires);
    out.wake_seq_seen = row.integer(kWakeSeqSeen);
    if (columns) {
      auto inputs =
          columns->open_optional(row, kResolverInputs, resolution_resolver_inputs_aad(r.id));
      if (!inputs) return inputs.error();
      auto base = columns->open_optional(row, kBaseConfigurations,
                                         resolution_base_configurations_aad(r.id));
      if (!base) return base.error();
      r.resolver_inputs_json = inputs->value_or("null");
      r.base_configurations_json = base->value_or("null");
    }
    return out;
  });
}

Result<std::optional<ResolutionRow>> load_where(sql::Connection& conn, sql::Dialect dialect,
                                                const std::string& where, const sql::Value& key,
                                                bool lock, const Columns* columns) {
  std::string q = std::string("SELECT ") + kColumns + kFrom + where;
  if (lock && dialect == sql::Dialect::postgres) q += " FOR UPDATE OF r";
  auto rows = conn.query(q, {key});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<ResolutionRow>();
  auto row = read_row(rows->front(), columns);
  if (!row) return row.error();
  return std::optional<ResolutionRow>(std::move(*row));
}

// The final value of an optional member: the change's when set, else the stored one.
template <class T>
T pick(const std::optional<T>& changed, const T& stored) {
  return changed ? *changed : stored;
}

}  // namespace

Result<std::optional<ResolutionRow>> load_resolution(sql::Connection& conn, sql::Dialect dialect,
                                                     const std::string& public_id, bool lock,
                                                     const Columns* columns) {
  return load_where(conn, dialect, "WHERE r.public_id = $1", lower_id(public_id), lock, columns);
}

Result<std::optional<ResolutionRow>> load_task_resolution(sql::Connection& conn,
                                                          sql::Dialect dialect, int64_t task_row_id,
                                                          bool lock, const Columns* columns) {
  return load_where(conn, dialect, "WHERE r.task_id = $1", task_row_id, lock, columns);
}

Result<std::vector<StepRecord>> load_steps(sql::Connection& conn, const Columns& columns,
                                           int64_t row_id, const std::string& public_id) {
  auto rows = conn.query(
      "SELECT name, state, body FROM step WHERE resolution_id = $1 ORDER BY name", {row_id});
  if (!rows) return rows.error();
  return guarded<std::vector<StepRecord>>(
      "reading steps", [&]() -> Result<std::vector<StepRecord>> {
        std::vector<StepRecord> steps;
        steps.reserve(rows->size());
        for (const auto& row : *rows) {
          StepRecord s;
          s.name = row.text(0);
          s.state = row.text(1);
          auto body = columns.open(row, 2, step_body_aad(public_id, s.name));
          if (!body) return body.error();
          s.step_json = std::move(*body);
          steps.push_back(std::move(s));
        }
        return steps;
      });
}

Result<std::string> insert_resolution(sql::Connection& conn, const Columns& columns,
                                      int64_t task_row_id, const ResolutionRecord& resolution,
                                      Timestamp now) {
  const std::string id = resolution.id.empty() ? new_public_id() : lower_id(resolution.id);
  auto inputs = columns.seal(resolution.resolver_inputs_json, resolution_resolver_inputs_aad(id));
  if (!inputs) return inputs.error();
  auto base =
      columns.seal(resolution.base_configurations_json, resolution_base_configurations_aad(id));
  if (!base) return base.error();
  const DueAtInputs due{.state = resolution.state,
                        .leased = false,
                        .lease_expires = std::nullopt,
                        .created = now,
                        .next_retry = resolution.next_retry,
                        .last_start = resolution.last_start,
                        .woken = false,
                        .now = now};
  auto row_id = conn.query(
      "INSERT INTO resolution (public_id, task_id, resolver_username, state, created, "
      "last_start, last_stop, next_retry, run_count, run_max, resolver_inputs, "
      "base_configurations, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
      "$13) RETURNING id",
      {id, task_row_id, resolution.resolver_username, resolution.state, to_micros(now),
       time_value(resolution.last_start), time_value(resolution.last_stop),
       time_value(resolution.next_retry), int64_t{resolution.run_count},
       int64_t{resolution.run_max}, std::move(*inputs), std::move(*base),
       time_value(compute_due_at(due))});
  if (!row_id) return row_id.error();
  if (row_id->empty()) return Error::internal("resolution " + id + " vanished after insert");
  auto rid = guarded<int64_t>("reading a resolution id",
                              [&]() -> Result<int64_t> { return row_id->front().integer(0); });
  if (!rid) return rid.error();
  auto steps = write_steps(conn, columns, *rid, id, resolution.steps, {}, false);
  if (!steps) return steps.error();
  return id;
}

Result<void> write_steps(sql::Connection& conn, const Columns& columns, int64_t row_id,
                         const std::string& public_id, const std::vector<StepRecord>& steps,
                         const std::vector<std::string>& erase, bool replace) {
  if (replace) {
    auto gone = conn.execute("DELETE FROM step WHERE resolution_id = $1", {row_id});
    if (!gone) return gone.error();
  } else {
    for (const auto& name : erase) {
      auto gone =
          conn.execute("DELETE FROM step WHERE resolution_id = $1 AND name = $2", {row_id, name});
      if (!gone) return gone.error();
    }
  }
  // One upsert per kStepsPerInsert steps: a new resolution's steps cost one round trip. A name
  // given twice is written in its own statement (ON CONFLICT cannot touch a row twice in one).
  constexpr size_t kStepsPerInsert = 200;
  std::set<std::string_view> in_statement;
  sql::Params params{row_id};
  std::string values;
  auto flush = [&]() -> Result<void> {
    if (values.empty()) return {};
    auto put = conn.execute(
        "INSERT INTO step (resolution_id, name, state, body) VALUES " + values +
            " ON CONFLICT (resolution_id, name) DO UPDATE SET state = excluded.state, "
            "body = excluded.body",
        params);
    params.resize(1);
    values.clear();
    in_statement.clear();
    if (!put) return put.error();
    return {};
  };
  for (const auto& step : steps) {
    if (in_statement.size() == kStepsPerInsert || in_statement.count(step.name)) {
      if (auto f = flush(); !f) return f;
    }
    auto body = columns.seal(step.step_json, step_body_aad(public_id, step.name));
    if (!body) return body.error();
    in_statement.insert(step.name);
    const size_t n = params.size();
    values += std::string(values.empty() ? "" : ", ") + "($1, $" + std::to_string(n + 1) + ", $" +
              std::to_string(n + 2) + ", $" + std::to_string(n + 3) + ")";
    params.push_back(step.name);
    params.push_back(step.state);
    params.push_back(std::move(*body));
  }
  return flush();
}

Result<void> write_resolution_change(sql::Connection& conn, sql::Dialect dialect,
                                     const Columns& columns, const ResolutionRow& row,
                                     const ResolutionChange& change, const WriteContext& ctx) {
  const ResolutionRecord& old = row.record;
  const bool under_lease = ctx.lease == LeaseWrite::extend || ctx.lease == LeaseWrite::release;
  if (under_lease && !ctx.holder) return Error::internal("a lease write without its lease");

  const std::string state = pick(change.state, old.state);
  const std::optional<Timestamp> last_start =
      change.last_start ? change.last_start : old.last_start;
  const std::optional<Timestamp> last_stop = change.last_stop ? change.last_stop : old.last_stop;
  std::optional<Timestamp> next_retry = old.next_retry;
  if (change.next_retry) {
    if (!*change.next_retry) {
      next_retry.reset();
    } else if (under_lease) {
      next_retry = next_retry_after_write(old.next_retry, **change.next_retry, last_start);
    } else {
      next_retry = *change.next_retry;
    }
  }

  std::optional<int64_t> lease_instance = row.lease_instance;
  std::optional<Timestamp> lease_expires = row.lease_expires;
  int64_t generation = old.generation;
  int64_t wake_seq_seen = row.wake_seq_seen;
  bool woken = old.wake_seq > row.wake_seq_seen;
  switch (ctx.lease) {
    case LeaseWrite::keep:
      break;
    case LeaseWrite::revoke:
      lease_instance.reset();
      lease_expires.reset();
      ++generation;
      break;
    case LeaseWrite::extend:
      lease_expires = ctx.now + ctx.ttl;
      break;
    case LeaseWrite::release:
      lease_instance.reset();
      lease_expires.reset();
      wake_seq_seen = ctx.holder->wake_seq;
      woken = old.wake_seq > ctx.holder->wake_seq;
      break;
  }
  const DueAtInputs due{.state = state,
                        .leased = lease_instance.has_value(),
                        .lease_expires = lease_expires,
                        .created = old.created,
                        .next_retry = next_retry,
                        .last_start = last_start,
                        .woken = woken,
                        .now = ctx.now};

  sql::Params params{state,
                     time_value(last_start),
                     time_value(last_stop),
                     time_value(next_retry),
                     int64_t{pick(change.run_count, old.run_count)},
                     int64_t{pick(change.run_max, old.run_max)},
                     sql::optional_value(lease_instance),
                     generation,
                     time_value(lease_expires),
                     wake_seq_seen,
                     time_value(compute_due_at(due)),
                     row.row_id};
  std::string q =
      "UPDATE resolution SET state = $1, last_start = $2, last_stop = $3, next_retry = $4, "
      "run_count = $5, run_max = $6, lease_instance = $7, lease_generation = $8, "
      "lease_expires = $9, wake_seq_seen = $10, due_at = $11";
  if (change.resolver_inputs_json) {
    auto sealed =
        columns.seal(*change.resolver_inputs_json, resolution_resolver_inputs_aad(old.id));
    if (!sealed) return sealed.error();
    params.push_back(std::move(*sealed));
    q += ", resolver_inputs = $" + std::to_string(params.size());
  }
  q += " WHERE id = $12";
  if (under_lease) {
    // Fencing: the row was read under lock, but the condition stays in the statement so a
    // write can never land on a generation other than the holder's.
    params.push_back(ctx.holder->generation);
    q += " AND lease_generation = $" + std::to_string(params.size());
    params.push_back(ctx.holder->instance_id);
    q += " AND lease_instance = $" + std::to_string(params.size());
  }
  auto changed = conn.execute(q, params);
  if (!changed) return changed.error();
  if (*changed == 0) {
    return Error{ErrorCode::lease_lost,
                 "resolution " + old.id + " is no longer leased by instance " +
                     std::to_string(ctx.holder ? ctx.holder->instance_id : 0),
                 {}};
  }

  return write_dependents(conn, dialect, columns,
                          {row.row_id, row.task_row_id, old.id, old.task_id}, change, ctx.now);
}

Result<void> write_dependents(sql::Connection& conn, sql::Dialect dialect, const Columns& columns,
                              const WrittenRow& row, const ResolutionChange& change,
                              Timestamp now) {
  auto steps = write_steps(conn, columns, row.row_id, row.public_id, change.put_steps, change.erase_steps,
                           change.replace_steps);
  if (!steps) return steps;

  if (change.task_state || change.task_title || change.task_input_json || change.task_tags ||
      change.steps_done || change.task_result_json || change.touch_task) {
    sql::Params tp{row.task_row_id};
    std::string set;
    auto add = [&](const char* column, sql::Value v) {
      tp.push_back(std::move(v));
      set += (set.empty() ? "" : ", ") + std::string(column) + " = $" + std::to_string(tp.size());
    };
    if (change.task_state) add("state", *change.task_state);
    if (change.task_title) add("title", *change.task_title);
    if (change.task_input_json) {
      auto sealed = columns.seal(*change.task_input_json, task_input_aad(row.task_public_id));
      if (!sealed) return sealed.error();
      add("input", std::move(*sealed));
    }
    if (change.task_tags) {
      add("tags", tags_json(*change.task_tags));
      auto rows = write_tags(conn, row.task_row_id, *change.task_tags, /*replace=*/true);
      if (!rows) return rows;
    }
    if (change.steps_done) add("steps_done", int64_t{*change.steps_done});
    if (change.task_result_json) {
      auto sealed = columns.seal(*change.task_result_json, task_result_aad(row.task_public_id));
      if (!sealed) return sealed.error();
      add("result", std::move(*sealed));
    }
    if (change.touch_task) add("last_activity", to_micros(now));
    auto task = conn.execute("UPDATE task SET " + set + " WHERE id = $1", tp);
    if (!task) return task.error();
  }

  if (change.comment) {
    auto comment =
        insert_comment(conn, columns, row.task_row_id, row.task_public_id, *change.comment, now);
    if (!comment) return comment.error();
  }

  if (change.wake_parent) {
    auto woke = wake_parent_in_tx(conn, dialect, change.wake_parent->parent_task_id,
                                  change.wake_parent->whole_batch, now, row.task_public_id);
    if (!woke) return woke;
  }
  return {};
}

namespace {

Error checkpoint_lease_lost(const std::string& id, const Lease& lease) {
  return Error{ErrorCode::lease_lost,
               "resolution " + id + ": lease generation " + std::to_string(lease.generation) +
                   " of instance " + std::to_string(lease.instance_id) +
                   " was superseded, released or deleted",
               {}};
}

// What one Postgres statement can carry: the resolution, step upserts (each name once) and
// the task's plain columns. Sealed task columns, tags, erasures, comments and wake-ups take
// the statement-by-statement path.
bool fits_one_statement(const ResolutionChange& change) {
  if (change.replace_steps || !change.erase_steps.empty() || change.task_tags ||
      change.task_input_json || change.task_result_json || change.comment || change.wake_parent)
    return false;
  std::set<std::string_view> names;
  for (const auto& step : change.put_steps)
    if (!names.insert(step.name).second) return false;  // ON CONFLICT cannot touch a row twice
  return true;
}

// The checkpoint as one statement of data-modifying CTEs: the fence (`fence`, selecting the
// resolution's id and task_id) feeds the step upserts and the task's UPDATE, so when the fence fails nothing is written,
// and a checkpoint costs one round trip whatever the number of steps.
Result<void> write_checkpoint_statement(sql::Connection& conn, const Columns& columns,
                                        const std::string& id, const Lease& lease,
                                        const ResolutionChange& change, Timestamp now,
                                        const std::string& fence, sql::Params params) {
  auto param = [&](sql::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  std::string q = "WITH r AS (" + fence + ")";
  if (!change.put_steps.empty()) {
    q += ", s AS (INSERT INTO step (resolution_id, name, state, body) SELECT r.id, v.name, "
         "v.state, v.body FROM r, (VALUES ";
    for (size_t i = 0; i < change.put_steps.size(); ++i) {
      const StepRecord& step = change.put_steps[i];
      auto body = columns.seal(step.step_json, step_body_aad(id, step.name));
      if (!body) return body.error();
      q += i ? ", (" : "(";
      q += param(step.name) + ", " + param(step.state) + ", " + param(std::move(*body)) + ")";
    }
    q += ") AS v(name, state, body) ON CONFLICT (resolution_id, name) DO UPDATE SET "
         "state = excluded.state, body = excluded.body)";
  }
  std::string set;
  auto add = [&](const char* column, sql::Value v) {
    set += (set.empty() ? "" : ", ") + std::string(column) + " = " + param(std::move(v));
  };
  if (change.task_state) add("state", *change.task_state);
  if (change.task_title) add("title", *change.task_title);
  if (change.steps_done) add("steps_done", int64_t{*change.steps_done});
  if (change.touch_task) add("last_activity", to_micros(now));
  if (!set.empty()) q += ", t AS (UPDATE task SET " + set + " FROM r WHERE task.id = r.task_id)";
  q += " SELECT id FROM r";
  auto rows = conn.query(q, params);
  if (!rows) return rows.error();
  if (rows->empty()) return checkpoint_lease_lost(id, lease);
  return {};
}

}  // namespace

Result<void> write_checkpoint(sql::Connection& conn, sql::Dialect dialect, const Columns& columns,
                              const Lease& lease, const ResolutionChange& change, Timestamp now) {
  const std::string id = lower_id(lease.resolution_id);
  // The lease is not extended here: the heartbeat renews every lease of the instance, so a
  // checkpoint leaves lease_expires and due_at (and their index) alone.
  sql::Params params{id, lease.generation, lease.instance_id};
  std::string q;
  auto set = [&](const char* column, sql::Value v) {
    params.push_back(std::move(v));
    q += std::string(q.empty() ? "" : ", ") + column + " = $" + std::to_string(params.size());
  };
  if (change.state) set("state", *change.state);
  if (change.last_start) set("last_start", to_micros(*change.last_start));
  if (change.last_stop) set("last_stop", to_micros(*change.last_stop));
  if (change.run_count) set("run_count", int64_t{*change.run_count});
  if (change.run_max) set("run_max", int64_t{*change.run_max});
  if (change.next_retry) {
    if (!*change.next_retry) {
      q += std::string(q.empty() ? "" : ", ") + "next_retry = NULL";
    } else {
      // next_retry_after_write() in SQL, over the stored next_retry and the run's last_start
      // (this write's when it sets one): a retry set by an earlier run never wins.
      params.push_back(to_micros(**change.next_retry));
      const std::string p = "$" + std::to_string(params.size());
      std::string start = "last_start";
      if (change.last_start) {
        params.push_back(to_micros(*change.last_start));
        start = "$" + std::to_string(params.size());
      }
      q += std::string(q.empty() ? "" : ", ") + "next_retry = CASE WHEN " + start + " IS NULL THEN " + p + " WHEN " + p +
           " <= " + start + " THEN next_retry WHEN next_retry IS NULL OR next_retry <= " + start +
           " OR " + p + " < next_retry THEN " + p + " ELSE next_retry END";
    }
  }
  if (change.resolver_inputs_json) {
    auto sealed = columns.seal(*change.resolver_inputs_json, resolution_resolver_inputs_aad(id));
    if (!sealed) return sealed.error();
    set("resolver_inputs", std::move(*sealed));
  }
  // The fence: the UPDATE of the resolution's changed columns, or when none changed a read
  // that keeps revocations out until commit (SQLite's writer is alone; Postgres: FOR SHARE).
  const std::string where = " WHERE public_id = $1 AND lease_generation = $2 AND lease_instance = $3";
  const bool update = !q.empty();
  if (dialect == sql::Dialect::postgres && fits_one_statement(change)) {
    const std::string fence =
        update ? "UPDATE resolution SET " + q + where + " RETURNING id, task_id"
               : "SELECT id, task_id FROM resolution" + where + " FOR SHARE";
    return write_checkpoint_statement(conn, columns, id, lease, change, now, fence,
                                      std::move(params));
  }
  // The task's public id only when a dependent write needs it (sealing, comment, wake-up).
  const bool need_task_id = change.task_input_json || change.task_result_json ||
                            change.comment || change.wake_parent;
  const std::string task_id =
      need_task_id ? ", (SELECT t.public_id FROM task t WHERE t.id = resolution.task_id)" : "";
  if (update) {
    q = "UPDATE resolution SET " + q + where + " RETURNING id, task_id" + task_id;
  } else {
    q = "SELECT id, task_id" + task_id + " FROM resolution" + where;
    if (dialect == sql::Dialect::postgres) q += " FOR SHARE";
  }
  auto rows = conn.query(q, params);
  if (!rows) return rows.error();
  if (rows->empty()) return checkpoint_lease_lost(id, lease);
  auto written = guarded<WrittenRow>("reading a resolution", [&]() -> Result<WrittenRow> {
    const auto& r = rows->front();
    return WrittenRow{r.integer(0), r.integer(1), id, need_task_id ? r.text(2) : std::string()};
  });
  if (!written) return written.error();
  return write_dependents(conn, dialect, columns, *written, change, now);
}

}  // namespace utask::persistence

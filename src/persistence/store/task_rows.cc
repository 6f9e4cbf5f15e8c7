#include "persistence/store/task_rows.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace utask::persistence {

namespace {

// Positions in kTaskColumns.
enum Col : size_t {
  kRowId, kPublicId, kTemplate, kBatch, kParent, kTitle, kState, kRequester, kRequesterGroups,
  kWatcherUsers, kWatcherGroups, kResolverUsers, kResolverGroups, kTags, kStepsDone,
  kStepsTotal, kCreated, kLastActivity, kResolutionId, kResolverUsername, kLastStart, kLastStop,
  kInput, kResult,
};

Result<std::vector<std::string>> list_at(const sql::Row& row, size_t col) {
  return parse_string_list(row.text(col));
}

}  // namespace

const char* const kTaskColumns =
    "t.id, t.public_id, tp.name, b.public_id, pt.public_id, t.title, t.state, "
    "t.requester_username, t.requester_groups, t.watcher_usernames, t.watcher_groups, "
    "t.resolver_usernames, t.resolver_groups, t.tags, t.steps_done, t.steps_total, t.created, "
    "t.last_activity, r.public_id, r.resolver_username, r.last_start, r.last_stop";
const char* const kTaskDataColumns = ", t.input, t.result";
const char* const kTaskFrom =
    "task t JOIN template tp ON tp.id = t.template_id "
    "LEFT JOIN batch b ON b.id = t.batch_id "
    "LEFT JOIN task pt ON pt.id = t.parent_task_id "
    "LEFT JOIN resolution r ON r.task_id = t.id";

Result<TaskRecord> read_task_row(const sql::Row& row, const Columns* columns) {
  TaskRecord t;
  t.id = row.text(kPublicId);
  t.template_name = row.text(kTemplate);
  t.batch_id = row.optional_text(kBatch);
  t.parent_task_id = row.optional_text(kParent);
  t.title = row.text(kTitle);
  t.state = row.text(kState);
  t.requester_username = row.text(kRequester);
  std::pair<size_t, std::vector<std::string>*> lists[] = {
      {kRequesterGroups, &t.requester_groups}, {kWatcherUsers, &t.watcher_usernames},
      {kWatcherGroups, &t.watcher_groups},     {kResolverUsers, &t.resolver_usernames},
      {kResolverGroups, &t.resolver_groups},
  };
  for (auto& [col, out] : lists) {
    auto list = list_at(row, col);
    if (!list) return Error::internal("task " + t.id + ": " + list.error().message);
    *out = std::move(*list);
  }
  auto tags = parse_tags(row.text(kTags));
  if (!tags) return Error::internal("task " + t.id + ": " + tags.error().message);
  t.tags = std::move(*tags);
  t.steps_done = static_cast<int>(row.integer(kStepsDone));
  t.steps_total = static_cast<int>(row.integer(kStepsTotal));
  t.created = from_micros(row.integer(kCreated));
  t.last_activity = from_micros(row.integer(kLastActivity));
  t.resolution_id = row.optional_text(kResolutionId);
  t.resolver_username = row.optional_text(kResolverUsername).value_or("");
  t.last_start = optional_time(row, kLastStart);
  t.last_stop = optional_time(row, kLastStop);
  if (columns) {
    auto input = columns->open_optional(row, kInput, task_input_aad(t.id));
    if (!input) return input.error();
    auto result = columns->open_optional(row, kResult, task_result_aad(t.id));
    if (!result) return result.error();
    t.input_json = input->value_or("null");
    t.result_json = result->value_or("null");
  }
  return t;
}

std::string lower_id(std::string id) {
  std::transform(id.begin(), id.end(), id.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return id;
}

Result<int64_t> task_row_id(sql::Connection& conn, const std::string& public_id) {
  if (!looks_like_uuid(public_id)) return Error::not_found("task " + public_id + " not found");
  auto rows = conn.query("SELECT id FROM task WHERE public_id = $1", {lower_id(public_id)});
  if (!rows) return rows.error();
  if (rows->empty()) return Error::not_found("task " + public_id + " not found");
  return rows->front().integer(0);
}

bool state_passes(const std::string& state, const StateCondition& cond) {
  auto in = [&](const std::vector<std::string>& v) {
    return std::find(v.begin(), v.end(), state) != v.end();
  };
  if (!cond.allowed.empty() && !in(cond.allowed)) return false;
  return !in(cond.refused);
}

Error state_conflict(const std::string& table, const std::string& id, const std::string& state) {
  return Error{ErrorCode::conflict, table + " " + id + " is in state " + state, table + ".state"};
}

}  // namespace utask::persistence

namespace utask::persistence {

Result<TaskRecord> load_task_by_row(sql::Connection& conn, const Columns& columns, int64_t task_row) {
  auto rows = conn.query(std::string("SELECT ") + kTaskColumns + kTaskDataColumns + " FROM " +
                             kTaskFrom + " WHERE t.id = $1",
                         {task_row});
  if (!rows) return rows.error();
  if (rows->empty()) return Error::not_found("task row " + std::to_string(task_row) + " not found");
  return read_task_row(rows->front(), &columns);
}

namespace {

// One INSERT for all rows: a task with ten watchers costs one round trip, not ten.
Result<void> insert_rows(sql::Connection& conn, const std::string& head,
                         const std::vector<std::pair<std::string, std::string>>& pairs,
                         int64_t task_row) {
  if (pairs.empty()) return {};
  std::string sql = head + " VALUES ";
  sql::Params params{task_row};
  for (const auto& [a, b] : pairs) {
    params.push_back(a);
    params.push_back(b);
    sql += (params.size() == 3 ? "($" : ", ($") + std::to_string(params.size() - 1) + ", $" +
           std::to_string(params.size()) + ", $1)";
  }
  auto r = conn.execute(sql, params);
  if (!r) return r.error();
  return {};
}

}  // namespace

Result<void> write_principals(sql::Connection& conn, int64_t task_row, const char* role,
                              const std::vector<std::string>& names, bool replace) {
  if (replace) {
    auto del = conn.execute("DELETE FROM task_principal WHERE task_id = $1 AND role = $2",
                            {task_row, std::string(role)});
    if (!del) return del.error();
  }
  std::set<std::string> unique(names.begin(), names.end());
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& n : unique) pairs.emplace_back(role, n);
  return insert_rows(conn, "INSERT INTO task_principal (role, name, task_id)", pairs, task_row);
}

Result<void> insert_principals(sql::Connection& conn, int64_t task_row, const TaskRecord& task) {
  const std::pair<const char*, const std::vector<std::string>*> roles[] = {
      {"watcher_user", &task.watcher_usernames},
      {"watcher_group", &task.watcher_groups},
      {"resolver_user", &task.resolver_usernames},
      {"resolver_group", &task.resolver_groups},
  };
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [role, names] : roles) {
    for (const auto& n : std::set<std::string>(names->begin(), names->end())) pairs.emplace_back(role, n);
  }
  return insert_rows(conn, "INSERT INTO task_principal (role, name, task_id)", pairs, task_row);
}

Result<void> write_tags(sql::Connection& conn, int64_t task_row, const Tags& tags,
                        bool replace) {
  if (replace) {
    auto del = conn.execute("DELETE FROM task_tag WHERE task_id = $1", {task_row});
    if (!del) return del.error();
  }
  std::vector<std::pair<std::string, std::string>> pairs(tags.begin(), tags.end());
  return insert_rows(conn, "INSERT INTO task_tag (key, value, task_id)", pairs, task_row);
}

}  // namespace utask::persistence

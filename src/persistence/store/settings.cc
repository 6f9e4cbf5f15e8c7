// SqlStore: instance-wide settings (migration 3, table `setting`). Every instance on the
// database reads the same rows, which is what makes the admin console's maintenance mode
// shared. Values are small JSON texts, not secrets: they are stored in clear.

#include "model/json.h"
#include "persistence/store/sql_store.h"
#include "persistence/store/task_rows.h"

namespace utask::persistence {

namespace {

Result<std::optional<Setting>> read_setting(sql::Connection& conn, const std::string& key) {
  auto rows = conn.query("SELECT key, value, updated, updated_by FROM setting WHERE key = $1", {key});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Setting>();
  return guarded<std::optional<Setting>>("reading setting " + key,
                                         [&]() -> Result<std::optional<Setting>> {
                                           const sql::Row& r = rows->front();
                                           return std::optional<Setting>(Setting{
                                               r.text(0), r.text(1), from_micros(r.integer(2)),
                                               r.text(3)});
                                         });
}

}  // namespace

Result<std::optional<Setting>> SqlStore::get_setting(const std::string& key) {
  std::optional<Setting> out;
  auto done = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) -> Result<void> {
    auto found = read_setting(conn, key);
    if (!found) return found.error();
    out = std::move(*found);
    return {};
  });
  if (!done) return done.error();
  return out;
}

Result<Setting> SqlStore::set_setting(const std::string& key, const std::string& value_json,
                                      const std::string& updated_by) {
  if (key.empty()) return Error::invalid_input("a setting needs a key", "key");
  if (auto parsed = parse_json(value_json); !parsed) {
    return Error::invalid_input("setting " + key + ": value is not JSON: " + parsed.error().message,
                                "value");
  }
  Setting out{key, value_json, now(), updated_by};
  auto done = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    auto written = conn.execute(
        "INSERT INTO setting (key, value, updated, updated_by) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated = excluded.updated, "
        "updated_by = excluded.updated_by",
        {key, value_json, to_micros(out.updated), updated_by});
    if (!written) return written.error();
    return {};
  });
  if (!done) return done.error();
  return out;
}

}  // namespace utask::persistence

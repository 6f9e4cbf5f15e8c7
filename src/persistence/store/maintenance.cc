// SqlStore: maintenance — garbage collection, key rotation, ping, schema version
// (docs/storage.md §6).

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "persistence/crypto/key_ring.h"
#include "persistence/store/sql_store.h"
#include "persistence/store/task_rows.h"

namespace utask::persistence {

namespace {

// Rows per garbage-collection transaction: a large backlog never holds a long lock.
constexpr int64_t kGcChunk = 1000;

// A table key rotation walks, by row id. Its SELECT takes the last row id done ($1) and a
// limit ($2) and returns: row id, then `key_columns` texts naming the row, then the blobs.
struct RotatedTable {
  const char* table;
  const char* select;
  const char* lock;  // Postgres row locks
  size_t key_columns;
  std::vector<const char*> blobs;
};

// The fixed order of docs/storage.md §6.
const std::array<RotatedTable, 5>& rotated_tables() {
  static const std::array<RotatedTable, 5> tables{{
      {"comment",
       "SELECT id, public_id, content FROM comment WHERE id > $1 ORDER BY id LIMIT $2",
       " FOR UPDATE",
       1,
       {"content"}},
      {"task",
       "SELECT id, public_id, input, result FROM task WHERE id > $1 ORDER BY id LIMIT $2",
       " FOR UPDATE",
       1,
       {"input", "result"}},
      {"resolution",
       "SELECT id, public_id, resolver_inputs, base_configurations FROM resolution "
       "WHERE id > $1 ORDER BY id LIMIT $2",
       " FOR UPDATE",
       1,
       {"resolver_inputs", "base_configurations"}},
      {"step",
       "SELECT s.id, r.public_id, s.name, s.body FROM step s "
       "JOIN resolution r ON r.id = s.resolution_id WHERE s.id > $1 ORDER BY s.id LIMIT $2",
       " FOR UPDATE OF s",
       2,
       {"body"}},
      {"callback",
       "SELECT id, public_id, secret, json_schema, body FROM callback WHERE id > $1 ORDER BY id LIMIT $2",
       " FOR UPDATE",
       1,
       {"secret", "json_schema", "body"}},
  }};
  return tables;
}

// The AAD of a blob of `table`.`column` in a row named by `key` (columns.h makes them all).
Aad rotation_aad(const std::string& table, const std::string& column,
                 const std::vector<std::string>& key) {
  if (table == "comment") return comment_content_aad(key[0]);
  if (table == "task") return column == "input" ? task_input_aad(key[0]) : task_result_aad(key[0]);
  if (table == "resolution") {
    return column == "resolver_inputs" ? resolution_resolver_inputs_aad(key[0])
                                       : resolution_base_configurations_aad(key[0]);
  }
  if (table == "callback") return Aad{"callback", column, key[0]};  // as store/callbacks.cc
  return step_body_aad(key[0], key[1]);
}

int table_index(const std::string& name) {
  const auto& tables = rotated_tables();
  for (size_t i = 0; i < tables.size(); ++i) {
    if (name == tables[i].table) return static_cast<int>(i);
  }
  return -1;
}

// The stored progress (key_rotation has at most the row id = 1).
struct RotationState {
  std::string target_key_id;
  std::string table;
  int64_t last_row_id = 0;
  int64_t rows_done = 0;
  Timestamp started{};
  std::optional<Timestamp> finished;
};

Result<std::optional<RotationState>> load_rotation(sql::Connection& conn, bool lock) {
  auto rows = conn.query(
      std::string("SELECT target_key_id, table_name, last_row_id, rows_done, started, finished "
                  "FROM key_rotation WHERE id = 1") +
      (lock ? " FOR UPDATE" : ""));
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<RotationState>();
  return guarded<std::optional<RotationState>>(
      "reading key_rotation", [&]() -> Result<std::optional<RotationState>> {
        const sql::Row& r = rows->front();
        return std::optional<RotationState>(RotationState{r.text(0), r.text(1), r.integer(2),
                                                          r.integer(3), from_micros(r.integer(4)),
                                                          optional_time(r, 5)});
      });
}

Result<void> save_rotation(sql::Connection& conn, const RotationState& s) {
  auto saved = conn.execute(
      "INSERT INTO key_rotation (id, target_key_id, table_name, last_row_id, rows_done, started, "
      "finished) VALUES (1, $1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET "
      "target_key_id = excluded.target_key_id, table_name = excluded.table_name, "
      "last_row_id = excluded.last_row_id, rows_done = excluded.rows_done, "
      "started = excluded.started, finished = excluded.finished",
      {s.target_key_id, s.table, s.last_row_id, s.rows_done, to_micros(s.started),
       time_value(s.finished)});
  if (!saved) return saved.error();
  return {};
}

// Rows left to scan: the rest of the current table and every later table (an upper bound of
// the rows still under an older key).
Result<int64_t> rows_left(sql::Connection& conn, const RotationState& s) {
  const int current = table_index(s.table);
  if (current < 0) return int64_t{0};
  int64_t total = 0;
  const auto& tables = rotated_tables();
  for (size_t i = static_cast<size_t>(current); i < tables.size(); ++i) {
    const int64_t after = static_cast<int>(i) == current ? s.last_row_id : 0;
    auto rows = conn.query(
        std::string("SELECT COUNT(*) FROM ") + tables[i].table + " WHERE id > $1", {after});
    if (!rows) return rows.error();
    auto n = guarded<int64_t>("counting rows",
                              [&]() -> Result<int64_t> { return rows->front().integer(0); });
    if (!n) return n.error();
    total += *n;
  }
  return total;
}

Result<KeyRotationProgress> progress_of(sql::Connection& conn, const RotationState& s) {
  auto left = rows_left(conn, s);
  if (!left) return left.error();
  return KeyRotationProgress{s.target_key_id, s.table,   s.rows_done, *left,
                             s.table.empty(), s.started, s.finished};
}

}  // namespace

Result<GcReport> SqlStore::collect_garbage(Timestamp older_than) {
  GcReport report;
  // Each chunk is its own transaction; a statement deleting fewer rows than a chunk ends the
  // loop. Cascades remove comments, principals, tags, resolutions and steps.
  auto chunks = [&](const std::string& sql, const sql::Params& params,
                    int64_t& count) -> Result<void> {
    for (;;) {
      int64_t n = 0;
      auto done = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
        auto deleted = conn.execute(sql, params);
        if (!deleted) return deleted.error();
        n = *deleted;
        return {};
      });
      if (!done) return done;
      count += n;
      if (n < kGcChunk) return {};
    }
  };
  const std::string limit = " LIMIT " + std::to_string(kGcChunk) + ")";
  auto tasks = chunks(
      "DELETE FROM task WHERE id IN (SELECT id FROM task WHERE state IN "
      "('DONE', 'CANCELLED', 'WONTFIX') AND last_activity < $1" +
          limit,
      {to_micros(older_than)}, report.tasks);
  if (!tasks) return tasks.error();
  auto batches = chunks(
      "DELETE FROM batch WHERE id IN (SELECT b.id FROM batch b WHERE NOT EXISTS "
      "(SELECT 1 FROM task t WHERE t.batch_id = b.id)" +
          limit,
      {}, report.batches);
  if (!batches) return batches.error();
  const Timestamp t = now();
  auto instances = chunks(
      "DELETE FROM instance WHERE id IN (SELECT i.id FROM instance i WHERE i.heartbeat < $1 "
      "AND NOT EXISTS (SELECT 1 FROM resolution r WHERE r.lease_instance = i.id "
      "AND r.lease_expires > $2)" +
          limit,
      {to_micros(t - 2 * options_.lease_ttl), to_micros(t)}, report.instances);
  if (!instances) return instances.error();
  return report;
}

Result<KeyRotationProgress> SqlStore::rotate_keys(size_t max_rows) {
  const Timestamp t = now();
  const KeyRing& ring = columns_.ring();
  const std::string target = to_hex(ring.current_key_id());
  const bool postgres = dialect() == sql::Dialect::postgres;
  KeyRotationProgress out;
  std::optional<Error> stopped;  // a decryption error: progress up to the row before is kept
  auto done = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    auto loaded = load_rotation(conn, /*lock=*/postgres);
    if (!loaded) return loaded.error();
    RotationState s;
    if (*loaded && (*loaded)->target_key_id == target) {
      s = std::move(**loaded);
    } else {  // first rotation, or a newer key: start again from the first table
      s = RotationState{target, rotated_tables()[0].table, 0, 0, t, std::nullopt};
    }
    int64_t budget = static_cast<int64_t>(max_rows);
    while (budget > 0 && !s.table.empty() && !stopped) {
      const int index = table_index(s.table);
      if (index < 0) return Error::internal("key_rotation names an unknown table " + s.table);
      const RotatedTable& table = rotated_tables()[static_cast<size_t>(index)];
      // One row more than the budget: when it is absent the table is finished now, and the
      // last call of a rotation reports done instead of leaving an empty batch to the next.
      const int64_t asked = budget;
      auto rows = conn.query(std::string(table.select) + (postgres ? table.lock : ""),
                             {s.last_row_id, asked + 1});
      if (!rows) return rows.error();
      const bool table_done = static_cast<int64_t>(rows->size()) <= asked;
      if (!table_done) rows->pop_back();
      for (const auto& row : *rows) {
        int64_t row_id = 0;
        std::vector<std::string> key;
        std::vector<std::pair<const char*, sql::Value>> rewritten;
        auto scan = guarded<bool>("reading a row to rotate", [&]() -> Result<bool> {
          row_id = row.integer(0);
          for (size_t k = 0; k < table.key_columns; ++k) key.push_back(row.text(1 + k));
          for (size_t b = 0; b < table.blobs.size(); ++b) {
            const size_t col = 1 + table.key_columns + b;
            if (row.is_null(col) || !ring.needs_reencryption(row.text(col))) continue;
            const Aad where = rotation_aad(table.table, table.blobs[b], key);
            auto plain = ring.decrypt(row.text(col), where);
            if (!plain) return plain.error();
            auto sealed = columns_.seal(*plain, where);
            if (!sealed) return sealed.error();
            rewritten.emplace_back(table.blobs[b], std::move(*sealed));
          }
          return true;
        });
        if (!scan) {
          stopped = scan.error();
          break;
        }
        if (!rewritten.empty()) {
          sql::Params params{row_id};
          std::string set;
          for (auto& [column, value] : rewritten) {
            params.push_back(std::move(value));
            set += (set.empty() ? "" : ", ") + std::string(column) + " = $" +
                   std::to_string(params.size());
          }
          auto put = conn.execute(
              std::string("UPDATE ") + table.table + " SET " + set + " WHERE id = $1", params);
          if (!put) return put.error();
          ++s.rows_done;
        }
        s.last_row_id = row_id;
      }
      if (stopped) break;
      budget -= static_cast<int64_t>(rows->size());
      if (table_done) {
        const size_t next = static_cast<size_t>(index) + 1;
        s.table = next < rotated_tables().size() ? rotated_tables()[next].table : "";
        s.last_row_id = 0;
      }
    }
    if (s.table.empty() && !s.finished) s.finished = t;
    auto saved = save_rotation(conn, s);
    if (!saved) return saved;
    auto progress = progress_of(conn, s);
    if (!progress) return progress.error();
    out = std::move(*progress);
    return {};
  });
  if (!done) return done.error();
  if (stopped) return *stopped;
  return out;
}

Result<std::optional<KeyRotationProgress>> SqlStore::key_rotation_progress() {
  std::optional<KeyRotationProgress> out;
  auto done = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) -> Result<void> {
    auto loaded = load_rotation(conn, /*lock=*/false);
    if (!loaded) return loaded.error();
    if (!*loaded) return {};
    auto progress = progress_of(conn, **loaded);
    if (!progress) return progress.error();
    out = std::move(*progress);
    return {};
  });
  if (!done) return done.error();
  return out;
}

Result<void> SqlStore::ping() {
  return db_->transact(sql::TxKind::read, [](sql::Connection& conn) -> Result<void> {
    auto rows = conn.query("SELECT 1");
    if (!rows) return rows.error();
    return {};
  });
}

Result<int> SqlStore::schema_version() {
  int version = 0;
  auto done = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) -> Result<void> {
    auto rows = conn.query("SELECT MAX(version) FROM schema_migrations");
    if (!rows) return rows.error();
    auto v = guarded<int64_t>("reading schema_migrations", [&]() -> Result<int64_t> {
      return rows->empty() ? 0 : rows->front().optional_integer(0).value_or(0);
    });
    if (!v) return v.error();
    version = static_cast<int>(*v);
    return {};
  });
  if (!done) return done.error();
  return version;
}

}  // namespace utask::persistence

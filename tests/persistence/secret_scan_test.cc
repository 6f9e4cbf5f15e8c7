// Encryption at rest, proven on the raw database: a marker secret written through every
// encrypted column (task input and result, comments, resolver inputs, base configurations,
// step bodies with outputs and errors) never appears in the SQLite file, its -wal file or a
// pg_dump — while a clear column written alongside does, so the scan sees the data. And a
// blob copied to another row, column or step fails to decrypt, naming where it was read.

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "crypto_fixtures.h"
#include "persistence/postgres/postgres_database.h"
#include "persistence/sql/database.h"
#include "persistence/sqlite/sqlite_database.h"
#include "proof_support.h"
#include "store_fixture.h"

namespace utask::testing {
namespace {

namespace fs = std::filesystem;
using persistence::ResolutionChange;
using persistence::ResolutionView;
using persistence::StepRecord;

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return persistence::testing::hex(raw);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The newest pg_dump installed (the cluster's own version or later).
std::string pg_dump_binary() {
  std::string best;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    auto candidate = entry.path() / "bin" / "pg_dump";
    if (fs::exists(candidate) && candidate.string() > best) best = candidate.string();
  }
  return best;
}

std::string run_capture(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[65536];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

class SecretScanTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    marker_ = "marker-" + random_hex(12);
    title_ = "clear-title-" + random_hex(6);
    sync_proof_template(store());
  }

  // Writes `marker_` through every encrypted column, by every method that writes one.
  void write_everywhere() {
    auto tasks = create_all(store(), {proof_task(title_, marker_, 3)});
    ASSERT_EQ(tasks.size(), 1u);
    task_ = tasks[0];
    ASSERT_TRUE(task_.resolution_id.has_value());
    auto added = store().add_comment(task_.id, {"bob", "second comment"});
    ASSERT_TRUE(added.ok()) << added.error().message;
    auto edited = store().update_comment(task_.id, added->id, "edited " + marker_);
    ASSERT_TRUE(edited.ok()) << edited.error().message;

    auto self = store().register_instance({0, "scan-host", 1, "test", {}, {}});
    ASSERT_TRUE(self.ok()) << self.error().message;
    auto claim = store().claim_next(self->id, {});
    ASSERT_TRUE(claim.ok()) << claim.error().message;
    ASSERT_TRUE(claim->has_value());
    const auto lease = (*claim)->lease;

    ResolutionChange run;
    run.state = "RUNNING";
    run.run_count = 1;
    run.last_start = clock().now();
    run.task_state = "RUNNING";
    run.put_steps = {StepRecord{"step0", "DONE", step_body("step0", "DONE", marker_)},
                     StepRecord{"step1", "CLIENT_ERROR", step_body("step1", "CLIENT_ERROR", marker_)}};
    run.comment = persistence::NewComment{"utask", "step1 failed: " + marker_};
    auto checkpointed = store().checkpoint(lease, run);
    ASSERT_TRUE(checkpointed.ok()) << checkpointed.error().message;

    ResolutionChange end;
    end.state = "DONE";
    end.task_state = "DONE";
    end.steps_done = 3;
    end.last_stop = clock().now();
    end.task_result_json = R"({"result":")" + marker_ + R"("})";
    end.put_steps = {StepRecord{"step2", "DONE", step_body("step2", "DONE", marker_)}};
    auto released = store().release(lease, end);
    ASSERT_TRUE(released.ok()) << released.error().message;

    ResolutionChange operator_edit;
    operator_edit.resolver_inputs_json = R"({"otp":"again )" + marker_ + R"("})";
    auto edit = store().update_resolution(*task_.resolution_id, operator_edit);
    ASSERT_TRUE(edit.ok()) << edit.error().message;
  }

  // Everything written comes back in clear through the store: the marker was really stored.
  void expect_readable() {
    auto task = store().get_task(task_.id);
    ASSERT_TRUE(task.ok()) << task.error().message;
    EXPECT_NE(task->input_json.value_or("").find(marker_), std::string::npos);
    EXPECT_NE(task->result_json.value_or("").find(marker_), std::string::npos);
    auto comments = store().list_comments(task_.id);
    ASSERT_TRUE(comments.ok()) << comments.error().message;
    int with_marker = 0;
    for (const auto& c : *comments) with_marker += c.content.find(marker_) != std::string::npos;
    EXPECT_EQ(with_marker, 3);
    auto resolution = store().get_resolution(*task_.resolution_id, ResolutionView::with_steps);
    ASSERT_TRUE(resolution.ok()) << resolution.error().message;
    EXPECT_NE(resolution->resolver_inputs_json.find(marker_), std::string::npos);
    EXPECT_NE(resolution->base_configurations_json.find(marker_), std::string::npos);
    ASSERT_EQ(resolution->steps.size(), 3u);
    for (const auto& s : resolution->steps) EXPECT_NE(s.step_json.find(marker_), std::string::npos) << s.name;
  }

  // The database's bytes as an attacker with a copy of the disk or a dump sees them.
  std::string raw_database() {
    if (backend() == Backend::sqlite) {
      std::string bytes = read_file(sqlite_path());
      if (fs::exists(sqlite_path() + "-wal")) bytes += read_file(sqlite_path() + "-wal");
      return bytes;
    }
    const auto pg_dump = pg_dump_binary();
    EXPECT_FALSE(pg_dump.empty()) << "no pg_dump under /usr/lib/postgresql";
    return run_capture(pg_dump + " --no-owner --dbname='" + url() + "'");
  }

  void expect_marker_absent(const std::string& where) {
    const auto bytes = raw_database();
    // The scan reads the rows: the clear title is there.
    EXPECT_NE(bytes.find(title_), std::string::npos) << where << ": the scan missed the data";
    EXPECT_FALSE(persistence::testing::leaks(bytes, marker_)) << where << ": the marker leaked";
  }

  std::string marker_, title_;
  persistence::TaskRecord task_;
};

TEST_P(SecretScanTest, TheMarkerIsNowhereInTheRawDatabase) {
  write_everywhere();
  if (HasFatalFailure()) return;
  expect_readable();
  if (backend() == Backend::sqlite) {
    // Before the WAL is folded into the main file, the new pages are in the -wal file.
    EXPECT_TRUE(fs::exists(sqlite_path() + "-wal"));
  }
  expect_marker_absent("while open");
  reopen();  // closing checkpoints the WAL into the main file
  expect_readable();
  expect_marker_absent("after a restart");
}

TEST_P(SecretScanTest, TheScanFindsAMarkerWrittenInClear) {
  // The failing case of the scan itself: the same marker in a clear column is found.
  auto tasks = create_all(store(), {proof_task(title_ + " " + marker_, "nothing-secret", 1)});
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_TRUE(persistence::testing::leaks(raw_database(), marker_));
}

// ---- Blobs bound to their place ------------------------------------------------------------

std::unique_ptr<persistence::sql::Database> open_raw(Backend backend, const std::string& url,
                                                     const std::string& sqlite_path) {
  Result<std::unique_ptr<persistence::sql::Database>> db =
      backend == Backend::sqlite
          ? persistence::sql::open_sqlite({sqlite_path, 1, std::chrono::milliseconds(10000)})
          : persistence::sql::open_postgres({url, 1});
  EXPECT_TRUE(db.ok()) << db.error().message;
  return db.ok() ? std::move(*db) : nullptr;
}

struct Move {
  const char* name;
  const char* sql;  // $1 = the source's public id, $2 = the target's (task or resolution)
  const char* table;
  const char* column;
};

// Each moves a blob from task A (or its resolution) to B, or between columns or steps.
const Move kMoves[] = {
    {"task_input", "UPDATE task SET input = (SELECT input FROM task WHERE public_id = $1) "
                   "WHERE public_id = $2", "task", "input"},
    {"task_result", "UPDATE task SET result = (SELECT result FROM task WHERE public_id = $1) "
                    "WHERE public_id = $2", "task", "result"},
    {"comment_content",
     "UPDATE comment SET content = (SELECT c.content FROM comment c JOIN task t ON t.id = "
     "c.task_id WHERE t.public_id = $1 ORDER BY c.id LIMIT 1) WHERE task_id = (SELECT id FROM "
     "task WHERE public_id = $2)", "comment", "content"},
    {"resolver_inputs",
     "UPDATE resolution SET resolver_inputs = (SELECT r.resolver_inputs FROM resolution r JOIN "
     "task t ON t.id = r.task_id WHERE t.public_id = $1) WHERE task_id = (SELECT id FROM task "
     "WHERE public_id = $2)", "resolution", "resolver_inputs"},
    {"base_configurations",
     "UPDATE resolution SET base_configurations = (SELECT r.base_configurations FROM resolution "
     "r JOIN task t ON t.id = r.task_id WHERE t.public_id = $1) WHERE task_id = (SELECT id FROM "
     "task WHERE public_id = $2)", "resolution", "base_configurations"},
    {"column_to_column",
     "UPDATE resolution SET base_configurations = resolver_inputs WHERE task_id = (SELECT id "
     "FROM task WHERE public_id = $2) AND $1 <> ''", "resolution", "base_configurations"},
    {"step_same_name_other_resolution",
     "UPDATE step SET body = (SELECT s.body FROM step s JOIN resolution r ON r.id = "
     "s.resolution_id JOIN task t ON t.id = r.task_id WHERE t.public_id = $1 AND s.name = "
     "'step0') WHERE name = 'step0' AND resolution_id = (SELECT r.id FROM resolution r JOIN task "
     "t ON t.id = r.task_id WHERE t.public_id = $2)", "step", "body"},
    {"step_other_name_same_resolution",
     "UPDATE step SET body = (SELECT s.body FROM step s WHERE s.resolution_id = "
     "step.resolution_id AND s.name = 'step1') WHERE name = 'step0' AND resolution_id = (SELECT "
     "r.id FROM resolution r JOIN task t ON t.id = r.task_id WHERE t.public_id = $2) AND $1 <> ''",
     "step", "body"},
};

class BlobMoveTest : public StoreTest {};

TEST_P(BlobMoveTest, ABlobMovedElsewhereFailsToDecryptNamingWhere) {
  sync_proof_template(store());
  for (const auto& move : kMoves) {
    SCOPED_TRACE(move.name);
    auto tasks = create_all(store(), {proof_task("a", "secret-a", 2), proof_task("b", "secret-b", 2)});
    ASSERT_EQ(tasks.size(), 2u);
    const auto& a = tasks[0];
    const auto& b = tasks[1];
    if (std::string(move.column) == "result") {
      // Results are written by a run; give both tasks one.
      auto self = store().register_instance({0, "h", 1, "v", {}, {}});
      ASSERT_TRUE(self.ok()) << self.error().message;
      for (const auto& t : tasks) {
        auto lease = store().acquire_lease(*t.resolution_id, self->id);
        ASSERT_TRUE(lease.ok()) << lease.error().message;
        ResolutionChange end;
        end.state = "DONE";
        end.task_result_json = R"({"r":")" + t.title + R"("})";
        ASSERT_TRUE(store().release(*lease, end).ok());
      }
    }
    // Before the move, B reads fine.
    ASSERT_TRUE(store().get_task(b.id).ok());
    ASSERT_TRUE(store().get_resolution(*b.resolution_id, ResolutionView::with_steps).ok());

    auto raw = open_raw(backend(), url(), sqlite_path());
    ASSERT_NE(raw, nullptr);
    int64_t changed = 0;
    auto moved = raw->transact(persistence::sql::TxKind::write, [&](persistence::sql::Connection& c) -> Result<void> {
      auto n = c.execute(move.sql, {a.id, b.id});
      if (!n) return n.error();
      changed = *n;
      return {};
    });
    ASSERT_TRUE(moved.ok()) << moved.error().message;
    ASSERT_GE(changed, 1);

    Error error;
    const std::string table = move.table;
    if (table == "task") {
      auto read = store().get_task(b.id);
      ASSERT_FALSE(read.ok());
      error = read.error();
    } else if (table == "comment") {
      auto read = store().list_comments(b.id);
      ASSERT_FALSE(read.ok());
      error = read.error();
    } else if (table == "resolution") {
      auto read = store().get_resolution(*b.resolution_id, ResolutionView::without_steps);
      ASSERT_FALSE(read.ok());
      error = read.error();
    } else {
      auto read = store().get_step(*b.resolution_id, "step0");
      ASSERT_FALSE(read.ok());
      error = read.error();
      // The step next to it is untouched.
      EXPECT_TRUE(store().get_step(*b.resolution_id, "step1").ok());
    }
    EXPECT_EQ(error.code, ErrorCode::internal) << error.message;
    EXPECT_NE(error.message.find(move.table), std::string::npos) << error.message;
    EXPECT_NE(error.message.find(move.column), std::string::npos) << error.message;
    EXPECT_EQ(error.message.find("secret-"), std::string::npos) << error.message;
    // A is untouched by the move.
    EXPECT_TRUE(store().get_task(a.id).ok());
  }
}

UTASK_STORE_TEST_SUITE(SecretScanTest);
UTASK_STORE_TEST_SUITE(BlobMoveTest);

}  // namespace
}  // namespace utask::testing

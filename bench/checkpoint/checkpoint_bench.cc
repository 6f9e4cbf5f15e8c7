// Checkpoint throughput of the store: what the engine writes after every batch of step
// transitions (docs/storage.md §4.1 step 4). N resolutions of 5 steps are created and leased,
// then C client threads each loop Store::checkpoint() on their own leases, writing one step
// (a ~1 KiB encrypted body) per call, as the engine does within a run.
//
//   checkpoint_bench store|store-grouped URL RESOLUTIONS CLIENTS SECONDS
//     CSV "bench,backend,clients,seconds,checkpoints,per_second"; store-grouped goes through
//     persistence::GroupCommit as the runtime does. With CHECKPOINT_TOUCH_TASK=1 every
//     checkpoint also writes the task's steps_done and last_activity (the end-of-run shape).
//   checkpoint_bench sqlite-ceiling PATH CLIENTS SECONDS
//     the same shape for a raw sqlite3 loop on a fresh file with the store's settings (WAL,
//     synchronous=NORMAL, one writer): BEGIN IMMEDIATE; a fenced UPDATE; an upsert of a 1 KiB
//     blob; COMMIT, with prepared statements — the ceiling a SQLite checkpoint can approach.
//
// Postgres' ceiling is `pgbench -N` on the same cluster (bench/checkpoint/run.sh).

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../store_support/store_bench.h"
#include "persistence/group_commit.h"

namespace {

using utask::bench::must;
using utask::persistence::Lease;
using utask::persistence::ResolutionChange;
using utask::persistence::StepRecord;
using Clock = std::chrono::steady_clock;

constexpr int kSteps = 5;
constexpr size_t kBodyBytes = 1024;

std::string body_of(int step, long n) {
  std::string body = R"({"name":"step)" + std::to_string(step) + R"(","state":"DONE","output":{"n":)" +
                     std::to_string(n) + R"(,"data":")";
  body.append(kBodyBytes - body.size() - 3, 'x');
  return body + "\"}}";
}

std::vector<Lease> create_and_lease(utask::persistence::Store& store, int resolutions) {
  utask::bench::sync_templates(store, 1);
  constexpr int kPerCall = 500;
  for (int done = 0; done < resolutions; done += kPerCall) {
    utask::persistence::TaskCreation creation;
    for (int i = done; i < std::min(resolutions, done + kPerCall); ++i) {
      utask::persistence::NewTask t;
      t.task.template_name = "bench-template-0";
      t.task.title = "checkpoint " + std::to_string(i);
      t.task.state = "TODO";
      t.task.requester_username = "bench";
      t.task.steps_total = kSteps;
      t.task.input_json = R"({"i":)" + std::to_string(i) + "}";
      utask::persistence::ResolutionRecord r;
      r.resolver_username = "bench";
      r.state = "TO_AUTORUN";
      r.run_max = 100;
      for (int s = 0; s < kSteps; ++s) {
        r.steps.push_back({"step" + std::to_string(s), "TODO", body_of(s, 0)});
      }
      t.resolution = std::move(r);
      creation.tasks.push_back(std::move(t));
    }
    must(store.create_tasks(creation), "create_tasks");
  }
  auto self = must(store.register_instance({0, "bench", 1, "bench", {}, {}}), "register_instance");
  std::vector<Lease> leases;
  for (;;) {
    auto claim = must(store.claim_next(self.id, {}), "claim_next");
    if (!claim) break;
    leases.push_back(claim->lease);
  }
  return leases;
}

// grouped: through persistence::GroupCommit, as the runtime writes (one commit per group of
// concurrent checkpoints); otherwise one Store::checkpoint() transaction each.
int run_store(const std::string& url, int resolutions, int clients, int seconds, bool grouped) {
  auto store = utask::bench::open_bench_store(url, static_cast<size_t>(clients) + 2);
  const auto leases = create_and_lease(*store, resolutions);
  if (leases.size() != static_cast<size_t>(resolutions)) {
    std::fprintf(stderr, "leased %zu of %d resolutions\n", leases.size(), resolutions);
    return 1;
  }
  // The engine's checkpoint within a run writes the step that moved and nothing of the task
  // (steps_done and last_activity change at the end of a run, end_of_cycle.cc);
  // CHECKPOINT_TOUCH_TASK=1 adds them to every checkpoint (the end-of-run shape, worst case).
  const char* touch = std::getenv("CHECKPOINT_TOUCH_TASK");
  const bool touch_task = touch != nullptr && std::string(touch) == "1";
  // A lane per client on both backends, as the runtime's rule gives (actors::commit_lanes_for:
  // on SQLite a lane per writer thread, i.e. no grouping; on Postgres groups form only when
  // more writers wait than there are lanes). LANES=n overrides it (LANES=1 on SQLite: one
  // writer's queue, the grouping the runtime does not use there).
  const char* lanes_env = std::getenv("LANES");
  const size_t lanes = lanes_env ? static_cast<size_t>(std::atoi(lanes_env)) : static_cast<size_t>(clients);
  utask::persistence::GroupCommit commits(*store, 128, lanes);
  std::atomic<long> count{0}, errors{0};
  std::atomic<bool> counting{false}, stop{false};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      long n = 0;
      for (size_t i = c; !stop.load(std::memory_order_relaxed); i += clients) {
        if (i >= leases.size()) i = c;
        ResolutionChange change;
        const int step = static_cast<int>(n % kSteps);
        change.put_steps = {StepRecord{"step" + std::to_string(step), "DONE", body_of(step, n)}};
        change.touch_task = touch_task;
        if (touch_task) change.steps_done = step + 1;
        ++n;
        auto done = grouped ? commits.write({leases[i], change, false}) : store->checkpoint(leases[i], change);
        if (!done) {
          if (errors.fetch_add(1) == 0) std::fprintf(stderr, "checkpoint: %s\n", done.error().message.c_str());
          continue;
        }
        if (counting.load(std::memory_order_relaxed)) count.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));  // warm-up: caches, connections
  counting = true;
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  counting = false;
  const double elapsed = utask::bench::seconds_since(start);
  stop = true;
  for (auto& t : threads) t.join();
  const char* backend = url.rfind("sqlite:", 0) == 0 ? "sqlite" : "postgres";
  std::printf("%s,%s,%d,%.2f,%ld,%.0f\n", grouped ? "store-grouped" : "store", backend, clients,
              elapsed, count.load(), count.load() / elapsed);
  if (grouped) {
    std::fprintf(stderr, "%zu checkpoints in %zu commits (%.1f per commit)\n", commits.writes(),
                 commits.groups(), commits.groups() ? double(commits.writes()) / commits.groups() : 0.0);
  }
  if (errors.load() > 0) std::fprintf(stderr, "%ld checkpoint error(s)\n", errors.load());
  return errors.load() > 0 ? 1 : 0;
}

// ---- The raw SQLite ceiling ------------------------------------------------------------------

void exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "%s: %s\n", sql, error ? error : "?");
    std::exit(1);
  }
}

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
    std::exit(1);
  }
  return stmt;
}

void step_done(sqlite3* db, sqlite3_stmt* stmt) {
  if (sqlite3_step(stmt) != SQLITE_DONE) {
    std::fprintf(stderr, "step: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
  sqlite3_reset(stmt);
}

int run_sqlite_ceiling(const std::string& path, int clients, int seconds) {
  constexpr int kRows = 1000;
  sqlite3* setup = nullptr;
  if (sqlite3_open(path.c_str(), &setup) != SQLITE_OK) return 1;
  exec(setup, "PRAGMA journal_mode=WAL");
  exec(setup, "CREATE TABLE r (id INTEGER PRIMARY KEY, gen INTEGER, expires INTEGER, steps_done INTEGER)");
  exec(setup, "CREATE TABLE s (id INTEGER PRIMARY KEY, rid INTEGER, name TEXT, body BLOB, UNIQUE (rid, name))");
  exec(setup, "BEGIN");
  for (int i = 1; i <= kRows; ++i) {
    exec(setup, ("INSERT INTO r VALUES (" + std::to_string(i) + ", 1, 0, 0)").c_str());
  }
  exec(setup, "COMMIT");
  sqlite3_close(setup);

  // One writer connection behind a mutex, as the store's SQLite backend.
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  exec(db, "PRAGMA synchronous=NORMAL");
  exec(db, "PRAGMA busy_timeout=10000");
  sqlite3_stmt* begin = prepare(db, "BEGIN IMMEDIATE");
  sqlite3_stmt* update = prepare(db, "UPDATE r SET expires = $1, steps_done = $2 WHERE id = $3 AND gen = 1");
  sqlite3_stmt* upsert = prepare(db,
                                 "INSERT INTO s (rid, name, body) VALUES ($1, $2, $3) ON CONFLICT (rid, name) "
                                 "DO UPDATE SET body = excluded.body");
  sqlite3_stmt* commit = prepare(db, "COMMIT");
  std::mutex writer;
  std::atomic<long> count{0};
  std::atomic<bool> counting{false}, stop{false};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      std::string blob(kBodyBytes + 49, 'b');  // the size of an encrypted 1 KiB body
      for (long n = c; !stop.load(std::memory_order_relaxed); n += clients) {
        const int rid = static_cast<int>(n % kRows) + 1;
        const std::string name = "step" + std::to_string(n % kSteps);
        blob[n % blob.size()] = static_cast<char>(n);
        std::lock_guard lock(writer);
        step_done(db, begin);
        sqlite3_bind_int64(update, 1, n);
        sqlite3_bind_int64(update, 2, n % kSteps);
        sqlite3_bind_int64(update, 3, rid);
        step_done(db, update);
        sqlite3_bind_int64(upsert, 1, rid);
        sqlite3_bind_text(upsert, 2, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
        sqlite3_bind_blob(upsert, 3, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
        step_done(db, upsert);
        step_done(db, commit);
        if (counting.load(std::memory_order_relaxed)) count.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  counting = true;
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  counting = false;
  const double elapsed = utask::bench::seconds_since(start);
  stop = true;
  for (auto& t : threads) t.join();
  for (auto* s : {begin, update, upsert, commit}) sqlite3_finalize(s);
  sqlite3_close(db);
  std::printf("sqlite-ceiling,sqlite,%d,%.2f,%ld,%.0f\n", clients, elapsed, count.load(),
              count.load() / elapsed);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if ((mode == "store" || mode == "store-grouped") && argc == 6) {
    return run_store(argv[2], std::stoi(argv[3]), std::stoi(argv[4]), std::stoi(argv[5]),
                     mode == "store-grouped");
  }
  if (mode == "sqlite-ceiling" && argc == 5) {
    return run_sqlite_ceiling(argv[2], std::stoi(argv[3]), std::stoi(argv[4]));
  }
  std::fprintf(stderr,
               "usage: %s store|store-grouped URL RESOLUTIONS CLIENTS SECONDS\n"
               "       %s sqlite-ceiling PATH CLIENTS SECONDS\n",
               argv[0], argv[0]);
  return 2;
}

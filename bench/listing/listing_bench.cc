// Task listing latency on a large store: TASKS tasks (create_tasks in batches of 1,000, each
// batch a `batch`), then Store::list_tasks for each filter of docs/storage.md §3 — the first
// page and page 100 reached by keyset (the `next` key of page 99) — with 100 tasks a page.
//
//   listing_bench URL TASKS [reuse]
//     CSV "filter,page,backend,ms,items" (median of 5 requests of that page; no time when the
//     filter has fewer than 100 pages); `reuse` skips the inserts
//     (a database filled by an earlier run).
//
// Data: 10 templates; requesters user0..user999; one watcher and one resolver user each;
// resolver groups group0..19; states cycled TODO, DONE×6, RUNNING, BLOCKED, WAITING,
// CANCELLED; tags customer=c0..c999 and env=e0..e2; last_activity strictly increasing.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "../store_support/store_bench.h"

namespace {

using utask::bench::must;
using utask::persistence::TaskFilter;
using utask::persistence::TaskScope;
using Clock = std::chrono::steady_clock;

constexpr int kPerCall = 1000;
constexpr size_t kPageSize = 100;
const char* const kStates[] = {"TODO", "DONE", "DONE", "DONE", "DONE", "DONE", "DONE",
                               "RUNNING", "BLOCKED", "WAITING", "CANCELLED"};

void fill(utask::persistence::Store& store, long tasks) {
  utask::bench::sync_templates(store, 10);
  const auto start = Clock::now();
  for (long done = 0; done < tasks; done += kPerCall) {
    utask::persistence::TaskCreation creation;
    creation.batch = utask::persistence::Batch{};
    for (long i = done; i < std::min(tasks, done + kPerCall); ++i) {
      utask::persistence::NewTask t;
      t.task.template_name = "bench-template-" + std::to_string(i % 10);
      t.task.title = "task " + std::to_string(i);
      t.task.state = kStates[i % std::size(kStates)];
      t.task.requester_username = "user" + std::to_string(i % 1000);
      t.task.watcher_usernames = {"user" + std::to_string((i * 7) % 1000)};
      t.task.resolver_usernames = {"resolver" + std::to_string(i % 100)};
      t.task.resolver_groups = {"group" + std::to_string(i % 20)};
      t.task.tags = {{"customer", "c" + std::to_string(i % 1000)}, {"env", "e" + std::to_string(i % 3)}};
      t.task.input_json = R"({"i":)" + std::to_string(i) + "}";
      creation.tasks.push_back(std::move(t));
    }
    must(store.create_tasks(creation), "create_tasks");
    if ((done / kPerCall) % 100 == 99) {
      std::fprintf(stderr, "%ld tasks, %.0f s\n", done + kPerCall, utask::bench::seconds_since(start));
    }
  }
  std::fprintf(stderr, "inserted %ld tasks in %.0f s\n", tasks, utask::bench::seconds_since(start));
}

struct Case {
  const char* name;
  std::function<void(TaskFilter&)> set;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s URL TASKS [reuse]\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const long tasks = std::stol(argv[2]);
  const bool reuse = argc > 3 && std::string(argv[3]) == "reuse";
  // Distinct, increasing times, so the order (last_activity DESC, id DESC) is the insert order
  // reversed, as on a live server.
  std::atomic<int64_t> tick{0};
  const auto base = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  auto store = utask::bench::open_bench_store(url, 4, [&] { return base + std::chrono::microseconds(tick++); });
  if (!reuse) fill(*store, tasks);

  // A batch id for the batch filter: the one of the newest task.
  TaskFilter newest;
  newest.viewer = {"admin", {}, true};
  newest.scope = TaskScope::all;
  newest.page.limit = 1;
  auto first = must(store->list_tasks(newest), "list_tasks");
  const std::string batch = first.items.empty() ? "" : first.items[0].batch_id.value_or("");

  const std::vector<Case> cases = {
      {"admin_all", [](TaskFilter& f) { f.viewer = {"admin", {}, true}; f.scope = TaskScope::all; }},
      {"state", [](TaskFilter& f) { f.viewer = {"admin", {}, true}; f.scope = TaskScope::all; f.state = "WAITING"; }},
      {"template", [](TaskFilter& f) { f.viewer = {"admin", {}, true}; f.scope = TaskScope::all; f.template_name = "bench-template-3"; }},
      {"batch", [&](TaskFilter& f) { f.viewer = {"admin", {}, true}; f.scope = TaskScope::all; f.batch_id = batch; }},
      {"tag", [](TaskFilter& f) { f.viewer = {"admin", {}, true}; f.scope = TaskScope::all; f.tags = {{"env", "e1"}}; }},
      {"two_tags", [](TaskFilter& f) { f.viewer = {"admin", {}, true}; f.scope = TaskScope::all; f.tags = {{"customer", "c42"}, {"env", "e0"}}; }},
      {"requester", [](TaskFilter& f) { f.viewer = {"admin", {}, true}; f.scope = TaskScope::all; f.requester = "user42"; }},
      {"watcher", [](TaskFilter& f) { f.viewer = {"admin", {}, true}; f.scope = TaskScope::all; f.watcher = "user42"; }},
      {"resolver", [](TaskFilter& f) { f.viewer = {"admin", {}, true}; f.scope = TaskScope::all; f.resolver = "resolver7"; }},
      {"scope_own", [](TaskFilter& f) { f.viewer = {"user42", {}, false}; f.scope = TaskScope::own; }},
      {"scope_resolvable", [](TaskFilter& f) { f.viewer = {"resolver7", {"group3"}, false}; f.scope = TaskScope::resolvable; }},
      {"scope_all_user", [](TaskFilter& f) { f.viewer = {"user42", {"group3"}, false}; f.scope = TaskScope::all; }},
      {"before", [&](TaskFilter& f) { f.viewer = {"admin", {}, true}; f.scope = TaskScope::all; f.before = base + std::chrono::microseconds(tick.load() / 2); }},
  };

  const char* backend = url.rfind("sqlite:", 0) == 0 ? "sqlite" : "postgres";
  std::printf("filter,page,backend,ms,items\n");
  for (const auto& c : cases) {
    for (int page : {1, 100}) {
      TaskFilter f;
      c.set(f);
      f.page.limit = kPageSize;
      // Walk to the page by keyset once; then time its request five times.
      bool reached = true;
      for (int p = 1; p < page && reached; ++p) {
        auto walked = must(store->list_tasks(f), "list_tasks");
        f.page.after = walked.next;
        reached = !walked.next.empty();
      }
      std::vector<double> runs;
      size_t items = 0;
      for (int run = 0; run < 5 && reached; ++run) {
        const auto start = Clock::now();
        auto got = must(store->list_tasks(f), "list_tasks");
        runs.push_back(utask::bench::seconds_since(start) * 1000);
        items = got.items.size();
      }
      if (!reached) {
        std::printf("%s,%d,%s,,0\n", c.name, page, backend);
      } else {
        std::printf("%s,%d,%s,%.2f,%zu\n", c.name, page, backend, median(runs), items);
      }
      std::fflush(stdout);
    }
  }
  return 0;
}

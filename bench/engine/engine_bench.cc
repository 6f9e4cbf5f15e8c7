// Engine throughput and latency: tasks run by a real runtime (supervisor, task and step
// actors) on a real store, as a server runs them. Workloads (docs/performance.md):
//   idle      one 5-step echo task at a time: create → done latency (p50, p99)
//   burst     N 5-step echo tasks created at once: tasks/s until all are done
//   foreach   tasks with a 100-item foreach: tasks/s and latency
//   inflight  N tasks held at once (a step with a 2 s execution_delay): memory per task
// Usage: engine_bench WORKLOAD STORE_URL [N]   → one CSV line on stdout.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "actions/catalog.h"
#include "actors/runtime.h"
#include "engine/resolution_state.h"
#include "model/json.h"
#include "model/lint.h"
#include "model/template_loader.h"
#include "service/ids.h"
#include "service/resolution_records.h"
#include "store_support/store_bench.h"

namespace utask::bench {
namespace {

constexpr const char* kFiveEchoes = R"(
name: five-echoes
description: five echo steps in a row
title_format: "echo {{.input.num}}"
inputs: [{name: num, description: a number}]
auto_runnable: true
steps:
  s1: {description: one, action: {type: echo, configuration: {output: {v: "{{.input.num}}"}}}}
  s2: {description: two, dependencies: [s1], action: {type: echo, configuration: {output: {v: "{{.step.s1.output.v}}-2"}}}}
  s3: {description: three, dependencies: [s2], action: {type: echo, configuration: {output: {v: "{{.step.s2.output.v}}-3"}}}}
  s4: {description: four, dependencies: [s3], action: {type: echo, configuration: {output: {v: "{{.step.s3.output.v}}-4"}}}}
  s5: {description: five, dependencies: [s4], action: {type: echo, configuration: {output: {v: "{{.step.s4.output.v}}-5"}}}}
result_format: {last: "{{.step.s5.output.v}}"}
)";

constexpr const char* kForeach = R"(
name: foreach-100
description: a foreach over 100 items
title_format: foreach
inputs: [{name: num, description: a number}]
auto_runnable: true
steps:
  list: {description: items, action: {type: echo, configuration: {output: "{{ until 100 | toJson }}", unmarshal: true}}}
  each:
    description: one per item
    dependencies: [list]
    foreach: "{{.step.list.output | toJson}}"
    action: {type: echo, configuration: {output: {v: "{{.iterator}}"}}}
)";

constexpr const char* kHeld = R"(
name: held
description: one step that waits 2 s before running
title_format: held
inputs: [{name: num, description: a number}]
auto_runnable: true
steps:
  wait: {description: wait, execution_delay: 2s, action: {type: echo, configuration: {output: {v: 1}}}}
)";

size_t rss_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stoul(line.substr(std::string(field).size()));
  }
  return 0;
}

struct Harness {
  std::unique_ptr<persistence::Store> store;
  actions::ActionRegistry registry = actions::ActionRegistry::with_builtins();
  std::map<std::string, std::shared_ptr<const model::TaskTemplate>> templates;
  std::unique_ptr<actors::Runtime> runtime;

  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, std::chrono::steady_clock::time_point> ended;  // rid → end
  std::map<std::string, std::string> end_state;

  void add(const char* yaml) {
    auto t = must(model::parse_template_yaml(yaml, "bench.yaml"), "template");
    auto diags = model::lint_template(t, registry, "bench.yaml");
    if (model::has_errors(diags)) {
      std::fprintf(stderr, "%s\n", diags.front().to_string().c_str());
      std::exit(1);
    }
    auto shared = std::make_shared<const model::TaskTemplate>(std::move(t));
    templates[shared->name] = shared;
  }

  bool sqlite = true;

  void start(int64_t max_concurrent) {
    std::vector<persistence::TemplateRecord> records;
    for (const auto& [name, t] : templates) {
      persistence::TemplateRecord r;
      r.name = name;
      r.definition_json = to_json_text(model::template_source_json(*t));
      records.push_back(std::move(r));
    }
    must(store->sync_templates(records), "sync");
    auto instance = must(store->register_instance({0, "bench", getpid(), "bench", {}, {}}), "instance");
    actors::RuntimeOptions o;
    o.store = store.get();
    o.registry = &registry;
    o.templates = [this](const std::string& n) -> Result<std::shared_ptr<const model::TaskTemplate>> {
      return templates.at(n);
    };
    o.instance_id = instance.id;
    o.supervisor.max_concurrent_executions = max_concurrent;
    o.io_threads = 16;
    o.commit_lanes = actors::commit_lanes_for(sqlite, 8, o.io_threads);  // as `utask serve`, pool_size 8
    o.on_run_end = [this](const std::string& rid, const std::string& state) {
      std::lock_guard lock(mu);
      ended[rid] = std::chrono::steady_clock::now();
      end_state[rid] = state;
      cv.notify_all();
    };
    runtime = must(actors::Runtime::start(std::move(o)), "runtime");
  }

  // Creates `n` tasks in one store transaction; returns their resolution ids.
  std::vector<std::string> create(const std::string& name, int n) {
    const auto& tmpl = *templates.at(name);
    const auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
    persistence::TaskCreation creation;
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      engine::TaskRequest req;
      req.id = service::new_uuid();
      req.requester_username = "bench";
      req.input = {{"num", std::to_string(i)}};
      auto task = must(engine::create_task(tmpl, req, now), "create_task");
      auto res = must(engine::create_resolution(tmpl, task, service::new_uuid(), "bench", Json::object(), true, now),
                      "create_resolution");
      persistence::NewTask nt;
      nt.task = service::to_task_record(res.task);
      nt.resolution = service::to_resolution_record(res);
      ids.push_back(res.id);
      creation.tasks.push_back(std::move(nt));
    }
    must(store->create_tasks(creation), "create_tasks");
    runtime->wake();
    return ids;
  }

  void wait_all(const std::vector<std::string>& ids) {
    std::unique_lock lock(mu);
    // `next` only moves forward: each wake-up looks at the ids not yet seen ended, so waiting
    // for a burst costs O(n) lookups, not O(n²) on the cores the engine is measured on.
    size_t next = 0;
    const bool ok = cv.wait_for(lock, std::chrono::minutes(10), [&] {
      while (next < ids.size() && ended.count(ids[next]) > 0) ++next;
      return next == ids.size();
    });
    if (!ok) {
      std::fprintf(stderr, "timed out\n");
      std::exit(1);
    }
    for (const auto& id : ids) {
      if (end_state[id] != "DONE") {
        std::fprintf(stderr, "resolution %s ended %s\n", id.c_str(), end_state[id].c_str());
        std::exit(1);
      }
    }
  }
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace
}  // namespace utask::bench

int main(int argc, char** argv) {
  using namespace utask::bench;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s idle|burst|foreach|inflight STORE_URL [N]\n", argv[0]);
    return 2;
  }
  const std::string workload = argv[1];
  const std::string url = argv[2];
  const int n = argc > 3 ? std::atoi(argv[3]) : 200;
  const std::string backend = url.rfind("sqlite:", 0) == 0 ? "sqlite" : "postgres";
  Harness h;
  h.store = open_bench_store(url, 8);
  h.sqlite = backend == "sqlite";
  h.add(kFiveEchoes);
  h.add(kForeach);
  h.add(kHeld);

  if (workload == "idle" || workload == "foreach") {
    h.start(100);
    const std::string tmpl = workload == "idle" ? "five-echoes" : "foreach-100";
    std::vector<double> ms;
    const auto begin = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      const auto start = std::chrono::steady_clock::now();
      auto ids = h.create(tmpl, 1);
      h.wait_all(ids);
      ms.push_back(std::chrono::duration<double, std::milli>(h.ended[ids[0]] - start).count());
    }
    const double secs = seconds_since(begin);
    std::printf("%s,%s,%d,%.1f,%.2f,%.2f,%zu\n", workload.c_str(), backend.c_str(), n, n / secs,
                percentile(ms, 0.5), percentile(ms, 0.99), rss_kib("VmHWM:"));
  } else if (workload == "burst") {
    h.start(100);
    const auto start = std::chrono::steady_clock::now();
    auto ids = h.create("five-echoes", n);
    std::fprintf(stderr, "burst: %d tasks created in %.2f s\n", n, seconds_since(start));
    h.wait_all(ids);
    const double secs = seconds_since(start);
    std::vector<double> ms;
    for (const auto& id : ids) ms.push_back(std::chrono::duration<double, std::milli>(h.ended[id] - start).count());
    std::printf("burst,%s,%d,%.1f,%.2f,%.2f,%zu\n", backend.c_str(), n, n / secs, percentile(ms, 0.5),
                percentile(ms, 0.99), rss_kib("VmHWM:"));
  } else if (workload == "inflight") {
    h.start(n);
    // Warm up (threads, connections, code paths), then measure the growth with n held.
    h.wait_all(h.create("five-echoes", 20));
    const size_t before = rss_kib("VmRSS:");
    const auto start = std::chrono::steady_clock::now();
    auto ids = h.create("held", n);
    // All held when every one is claimed: wait until the runtime holds n (bounded).
    size_t peak = before;
    while (h.runtime->running() < static_cast<size_t>(n) && seconds_since(start) < 60) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    peak = std::max(peak, rss_kib("VmRSS:"));
    h.wait_all(ids);
    std::printf("inflight,%s,%d,%zu,%zu,%.2f\n", backend.c_str(), n, before, peak,
                static_cast<double>(peak - before) / n);
  } else {
    std::fprintf(stderr, "unknown workload %s\n", workload.c_str());
    return 2;
  }
  h.runtime->shutdown();
  return 0;
}

#include "http/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/summary.h>
#include <prometheus/text_serializer.h>
#include <spdlog/spdlog.h>

#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include "persistence/store.h"

namespace utask::http {
namespace {

// The states the original pre-fills for every (group, template) it has seen.
const char* const kPrefilledStates[] = {"TODO", "BLOCKED", "RUNNING", "WONTFIX", "DONE", "CANCELLED"};

}  // namespace

struct ApiMetrics::Impl {
  persistence::Store* store;
  std::chrono::milliseconds refresh;
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();

  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("utask_http_requests_total")
          .Help("HTTP requests answered, by method, route pattern and status")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& durations =
      prometheus::BuildHistogram()
          .Name("utask_http_request_duration_seconds")
          .Help("Time to answer an HTTP request, by method and route pattern")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& task_state =
      prometheus::BuildGauge()
          .Name("utask_task_state")
          .Help("Tasks per state, template and resolver group")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& tasks =
      prometheus::BuildGauge().Name("utask_tasks").Help("Tasks per state").Register(*registry);
  prometheus::Family<prometheus::Summary>& valid_times =
      prometheus::BuildSummary()
          .Name("utask_valid_times")
          .Help("Seconds between a task's creation and its resolution's creation")
          .Register(*registry);
  prometheus::Family<prometheus::Summary>& complete_times =
      prometheus::BuildSummary()
          .Name("utask_complete_times")
          .Help("Seconds between a task's creation and its completion")
          .Register(*registry);
  prometheus::Family<prometheus::Summary>& exec_times =
      prometheus::BuildSummary()
          .Name("utask_exec_times")
          .Help("Seconds between a resolution's creation and its completion")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& resolution_ends =
      prometheus::BuildCounter()
          .Name("utask_resolution_ends_total")
          .Help("Runs that ended, by resolution state")
          .Register(*registry);

  std::mutex queue_mutex;
  std::vector<std::pair<std::string, std::string>> ended;  // (resolution id, state)
  std::mutex mutex;  // task figures refresh + serialization
  std::optional<std::chrono::steady_clock::time_point> refreshed;
  // Every series ever created (never removed; reset to 0 when absent from a refresh).
  std::map<std::tuple<std::string, std::string, std::string>, prometheus::Gauge*> task_series;
  std::map<std::string, prometheus::Gauge*> state_series;

  Impl(persistence::Store* s, std::chrono::milliseconds r) : store(s), refresh(r) {}

  prometheus::Gauge& series(const std::string& group, const std::string& state,
                            const std::string& tmpl) {
    auto key = std::make_tuple(group, state, tmpl);
    auto it = task_series.find(key);
    if (it != task_series.end()) return *it->second;
    auto& g = task_state.Add({{"group", group}, {"status", state}, {"template", tmpl}});
    task_series.emplace(std::move(key), &g);
    return g;
  }

  prometheus::Gauge& state_gauge(const std::string& state) {
    auto it = state_series.find(state);
    if (it != state_series.end()) return *it->second;
    auto& g = tasks.Add({{"state", state}});
    state_series.emplace(state, &g);
    return g;
  }

  void refresh_tasks() {
    if (!store) return;
    const auto now = std::chrono::steady_clock::now();
    if (refreshed && now - *refreshed < refresh) return;
    auto by_group = store->count_tasks_by_group();
    auto by_state = store->count_tasks_by_state();
    if (!by_group || !by_state) {
      spdlog::error("metrics: counting tasks: {}",
                    (!by_group ? by_group.error() : by_state.error()).message);
      return;
    }
    refreshed = now;
    for (auto& [key, gauge] : task_series) gauge->Set(0);
    for (const auto& row : *by_group) {
      for (const char* state : kPrefilledStates) series(row.group, state, row.template_name);
      series(row.group, row.state, row.template_name).Set(static_cast<double>(row.count));
    }
    for (auto& [state, gauge] : state_series) gauge->Set(0);
    for (const char* state : kPrefilledStates) state_gauge(state);
    for (const auto& [state, count] : *by_state) state_gauge(state).Set(static_cast<double>(count));
  }
};

ApiMetrics::ApiMetrics(persistence::Store* store, std::chrono::milliseconds refresh)
    : impl_(std::make_unique<Impl>(store, refresh)) {}

ApiMetrics::~ApiMetrics() = default;

void ApiMetrics::observe_request(const std::string& method, const std::string& route, int status,
                                 double seconds) {
  impl_->requests.Add({{"method", method}, {"route", route}, {"status", std::to_string(status)}})
      .Increment();
  static const prometheus::Histogram::BucketBoundaries buckets{0.001, 0.005, 0.01, 0.025, 0.05,
                                                               0.1,   0.25,  0.5,  1,     2.5,
                                                               5,     10};
  impl_->durations.Add({{"method", method}, {"route", route}}, buckets).Observe(seconds);
}

void ApiMetrics::observe_resolution_created(const std::string& template_name,
                                            double since_task_created) {
  impl_->valid_times.Add({{"template", template_name}}, prometheus::Summary::Quantiles{})
      .Observe(since_task_created);
}

void ApiMetrics::observe_resolution_end(const std::string& template_name, const std::string& state,
                                        double since_task_created, double since_resolution_created) {
  impl_->resolution_ends.Add({{"state", state}}).Increment();
  if (state != "DONE") return;
  impl_->complete_times.Add({{"template", template_name}}, prometheus::Summary::Quantiles{})
      .Observe(since_task_created);
  impl_->exec_times.Add({{"template", template_name}}, prometheus::Summary::Quantiles{})
      .Observe(since_resolution_created);
}

void ApiMetrics::note_run_end(const std::string& resolution_id, const std::string& state) {
  std::lock_guard lock(impl_->queue_mutex);
  if (impl_->ended.size() < 100000) impl_->ended.emplace_back(resolution_id, state);
}

std::string ApiMetrics::scrape() {
  std::vector<std::pair<std::string, std::string>> ended;
  {
    std::lock_guard lock(impl_->queue_mutex);
    ended.swap(impl_->ended);
  }
  for (const auto& [id, state] : ended) {
    if (!impl_->store) break;
    auto resolution = impl_->store->get_resolution(id, persistence::ResolutionView::without_steps);
    if (!resolution) continue;  // deleted since
    auto task = impl_->store->get_task(resolution->task_id);
    if (!task) continue;
    const auto end = resolution->last_stop.value_or(task->last_activity);
    const auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
    observe_resolution_end(task->template_name, state, seconds(end - task->created),
                           seconds(end - resolution->created));
  }
  std::lock_guard lock(impl_->mutex);
  impl_->refresh_tasks();
  return prometheus::TextSerializer().Serialize(impl_->registry->Collect());
}

}  // namespace utask::http

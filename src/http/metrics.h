#pragma once
// The API's Prometheus figures (api.md §5.8 `/metrics`), with prometheus-cpp:
//  * utask_http_requests_total{method,route,status} and utask_http_request_duration_seconds
//    {method,route} (a histogram), observed by the dispatcher for every API request; `route`
//    is the route's pattern (bounded cardinality), `unmatched` for 404s;
//  * utask_task_state{status,template,group} — tasks per state, template and group, and
//    utask_tasks{state} — tasks per state, both read from the store at scrape time
//    (never older than `refresh`); states TODO, BLOCKED, RUNNING, WONTFIX, DONE, CANCELLED
//    are pre-filled with 0 for every (group, template) seen, and series are never removed;
//  * utask_valid_times, utask_complete_times, utask_exec_times{template} summaries without
//    quantiles, and utask_resolution_ends_total{state}, fed by observe_resolution_end() (or,
//    through note_run_end(), from the store at scrape time).
//
// Thread safety: every method may be called concurrently.

#include <chrono>
#include <memory>
#include <string>

#include "model/error.h"

namespace utask::persistence {
class Store;
}

namespace utask::http {

class ApiMetrics {
 public:
  // `store` (may be null: no task figures) must outlive the metrics.
  explicit ApiMetrics(persistence::Store* store,
                      std::chrono::milliseconds refresh = std::chrono::seconds(5));
  ~ApiMetrics();
  ApiMetrics(const ApiMetrics&) = delete;
  ApiMetrics& operator=(const ApiMetrics&) = delete;

  void observe_request(const std::string& method, const std::string& route, int status,
                       double seconds);
  // A resolution was created for a task `since_task_created` seconds old.
  void observe_resolution_created(const std::string& template_name, double since_task_created);
  // A resolution ended in `state`; DONE also feeds complete and exec times.
  void observe_resolution_end(const std::string& template_name, const std::string& state,
                              double since_task_created, double since_resolution_created);

  // A run ended (actors::RuntimeOptions::on_run_end): only queued, so the caller never
  // blocks; the next scrape reads its task and resolution and feeds observe_resolution_end.
  void note_run_end(const std::string& resolution_id, const std::string& state);

  // The exposition text (text/plain; version=0.0.4), refreshing the task figures first when
  // they are older than `refresh`. A store failure is logged and the last figures are kept.
  std::string scrape();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace utask::http

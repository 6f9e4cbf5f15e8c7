// GET /, /unsecured/mon/ping, /unsecured/stats, /metrics and /unsecured/spec.json (api.md §5.7,
// §5.8).

#include <spdlog/spdlog.h>

#include <memory>

#include "http/binding.h"
#include "http/metrics.h"
#include "http/openapi.h"
#include "http/routes.h"
#include "persistence/store.h"
#include "persistence/task_filter.h"
#include "service/context.h"

namespace utask::http {
namespace {

// States always present in /unsecured/stats, 0 when no task has them.
const char* const kStatsStates[] = {"TODO", "BLOCKED", "RUNNING", "WONTFIX", "DONE", "CANCELLED"};

// Task counts per state over the tasks that carry every `tags` pair.
Result<std::map<std::string, int64_t>> count_states(persistence::Store& store,
                                                    const persistence::Tags& tags) {
  std::map<std::string, int64_t> counts;
  if (tags.empty()) {
    auto rows = store.count_tasks_by_state();
    if (!rows) return rows.error();
    for (const auto& [state, count] : *rows) counts[state] += count;
    return counts;
  }
  persistence::TaskFilter filter;
  filter.viewer.admin = true;
  filter.scope = persistence::TaskScope::all;
  filter.tags = tags;
  filter.page.limit = 10000;
  while (true) {
    auto page = store.list_tasks(filter);
    if (!page) return page.error();
    for (const auto& task : page->items) ++counts[task.state];
    if (page->next.empty() || page->items.empty()) break;
    filter.page.after = page->next;
  }
  return counts;
}

Json stats_schema() {
  return Json{{"type", "object"},
              {"properties",
               {{"task_states",
                 {{"type", "object"}, {"additionalProperties", {{"type", "integer"}}}}}}}};
}

}  // namespace

void add_monitoring_routes(RouteTable& table, const ApiContext& api) {
  const ApiContext* ctx = &api;

  Route root;
  root.method = "GET";
  root.pattern = "/";
  root.access = Access::authenticated;
  root.hidden_from_spec = true;
  root.handler = [](const RequestContext&) {
    HttpResponse r = HttpResponse::empty(301);
    r.headers["Location"] = "/meta";
    return r;
  };
  table.add(std::move(root));

  Route ping;
  ping.method = "GET";
  ping.pattern = "/unsecured/mon/ping";
  ping.access = Access::unsecured;
  ping.doc = {"Ping", "x-misc", "Checks that the server reaches its database", {}, std::nullopt,
              {{200, "pong"}, {500, "The database cannot be reached (empty body)"}}, std::nullopt};
  ping.handler = [ctx](const RequestContext&) {
    auto pong = ctx->services->store->ping();
    if (!pong) {
      spdlog::error("ping: {}", pong.error().message);
      return HttpResponse::empty(500);
    }
    return HttpResponse::text(200, "pong");
  };
  table.add(std::move(ping));

  Route stats;
  stats.method = "GET";
  stats.pattern = "/unsecured/stats";
  stats.access = Access::unsecured;
  stats.doc = {"GetStats",
               "x-misc",
               "Number of tasks per state",
               {{"tag", "query", "array", "key=value pairs every counted task carries", false}},
               std::nullopt,
               {{200, "Tasks per state"}, {400, "Invalid tag"}},
               stats_schema()};
  stats.handler = [ctx](const RequestContext& rc) {
    persistence::Tags tags;
    for (const auto& pair : query_list(rc.request, "tag")) {
      const auto eq = pair.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size() ||
          pair.find('=', eq + 1) != std::string::npos) {
        return HttpResponse::error(400, "invalid tag " + pair);
      }
      tags[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    auto counts = count_states(*ctx->services->store, tags);
    if (!counts) return error_response(counts.error());
    Json states = Json::object();
    for (const char* s : kStatsStates) states[s] = 0;
    for (const auto& [state, count] : *counts) {
      if (count > 0) states[state] = count;
    }
    return HttpResponse::json(200, Json{{"task_states", states}});
  };
  table.add(std::move(stats));

  Route metrics;
  metrics.method = "GET";
  metrics.pattern = "/metrics";
  metrics.access = Access::unsecured;
  metrics.hidden_from_spec = true;
  metrics.bare = true;
  metrics.handler = [ctx](const RequestContext&) {
    if (!ctx->metrics) return HttpResponse::text(200, "");
    return HttpResponse::text(200, ctx->metrics->scrape(), "text/plain; version=0.0.4; charset=utf-8");
  };
  table.add(std::move(metrics));

  // The document describes the table as it is now: every module adds its routes first.
  auto document = std::make_shared<const std::string>(to_json_text(openapi_document(table, api)));
  Route spec;
  spec.method = "GET";
  spec.pattern = "/unsecured/spec.json";
  spec.access = Access::unsecured;
  spec.hidden_from_spec = true;
  spec.handler = [document](const RequestContext&) {
    return HttpResponse::text(200, *document, "application/json; charset=utf-8");
  };
  table.add(std::move(spec));
}

}  // namespace utask::http

// `utask serve` (and `utask` alone): the server's start-up sequence (config.md §2): it
// loads and checks everything a server needs — configuration, functions, templates — opens and
// migrates the store, syncs the templates and functions into it, registers the instance (with
// its heartbeat and garbage collection on a background thread), starts the admin console, the
// engine and the HTTP API, and waits for SIGINT/SIGTERM; then stops the API first (no new
// requests), the engine, the console and the upkeep.

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <pthread.h>

#include "actors/admin_console_actor.h"
#include "actors/runtime.h"
#include "actors/runtime_run_starter.h"
#include "build_info.h"
#include "cli/command.h"
#include "http/api_context.h"
#include "http/auth.h"
#include "http/metrics.h"
#include "http/routes.h"
#include "http/server.h"
#include "service/resolution_service.h"
#include "service/task_service.h"
#include "config/template_items.h"
#include "model/json.h"
#include "service/action_services_impl.h"
#include "service/admin_console.h"
#include "service/context.h"
#include "service/store_cache.h"
#include "service/task_notifier.h"
#include "cli/instance_upkeep.h"
#include "cli/library_sync.h"
#include "cli/store_setup.h"
#include "cli/template_library.h"
#include "config/configuration.h"
#include "config/redact.h"
#include "persistence/store.h"

namespace utask::cli {
namespace {

int wait_for_stop_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  int sig = 0;
  sigwait(&set, &sig);
  spdlog::info("received {}, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, CommandLine& cl) {
  auto* cmd = app.add_subcommand("serve", "Start the server (the default command)");
  cmd->callback([&cl] { cl.exit_code = serve(cl.settings); });
}

int serve(const config::Settings& settings) {
  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only sigwait() sees them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  const auto env = config::process_environment();
  auto from = config::configuration_from(env);
  if (!from) {
    spdlog::error("configuration: {}", from.error().message);
    return 1;
  }
  auto cfg = config::load_configuration(*from, env, settings);
  if (!cfg) {
    spdlog::error("configuration: {}", cfg.error().message);
    return 1;
  }
  spdlog::info("configuration loaded:\n{}", cfg->redacted_summary());

  // `.config` of templates; apiovh also reads its credentials there when templates load.
  Json config_items = Json::object();
  if (auto parsed = parse_json(config::template_items_json(cfg->template_items).dump()); parsed) {
    config_items = std::move(*parsed);
  }
  // Task-event notifications and the notify action's backends (notify-config, utask-cfg
  // notify_actions); they must outlive the runtime and the API.
  auto notifications = service::make_task_notifications(cfg->utask);
  if (!notifications) {
    spdlog::error("notify: {}", notifications.error().message);
    return 1;
  }
  actions::BuiltinOptions builtins;
  builtins.config_items = config_items;
  builtins.notify = notifications->dispatcher;
  // The cache action's entries live in the database, shared by every instance.
  auto cache = std::make_shared<service::StoreCache>();
  builtins.cache = cache;
  auto library = load_template_library(settings, {}, {}, builtins);
  for (const auto& line : library.problems) {
    if (line.warning) spdlog::warn("{}", line.text);
    else spdlog::error("{}", line.text);
  }
  if (library.error_count > 0) {
    spdlog::error("{} invalid template(s) or function(s): not starting", library.error_count);
    return 1;
  }
  spdlog::info("{} template(s) and {} function(s) loaded from {} and {}", library.templates.size(),
               library.registry.functions().size(), fmt::join(settings.templates_paths, ":"),
               settings.functions_path);

  const auto url = store_location(settings, cfg->database);
  spdlog::info("store: {}", config::redact_connection_string(url));
  auto ring = server_key_ring(*cfg, url);
  if (!ring) {
    spdlog::error("store: {}", ring.error().message);
    return 1;
  }
  auto options = store_options(url, *ring, cfg->utask.database_config,
                               persistence::MigrationMode::apply);
  options.lease_ttl = std::chrono::seconds(settings.lease_ttl_seconds);
  auto store = persistence::open_store(options);
  if (!store) {
    spdlog::error("store: {}", store.error().message);
    return 1;
  }
  if (auto version = (*store)->schema_version(); version) {
    spdlog::info("store schema version {}", *version);
  }
  cache->attach(store->get());
  // The cache action's start-up purge (actions.md §16); a failure is only logged.
  if (auto purged = cache->purge_expired(std::chrono::time_point_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now()));
      !purged) {
    spdlog::warn("cache: purging expired entries: {}", purged.error().message);
  }
  if (auto synced = sync_library(**store, library); !synced) {
    spdlog::error("store: syncing templates and functions: {}", synced.error().message);
    return 1;
  }
  // The upkeep starts before the console: it asks through this pointer, set while the console
  // lives (at start only the flag is known).
  std::atomic<const service::AdminConsole*> console_view{nullptr};
  UpkeepOptions upkeep_options{options.lease_ttl, cfg->utask.completed_task_expiration, {}};
  upkeep_options.gc_paused = [&console_view, flag = settings.maintenance_mode] {
    const service::AdminConsole* c = console_view.load();
    return c ? c->maintenance_mode() : flag;
  };
  auto upkeep = InstanceUpkeep::start(**store, upkeep_options);
  if (!upkeep) {
    spdlog::error("store: registering the instance: {}", upkeep.error().message);
    return 1;
  }

  // The engine: claims runnable resolutions (also those of dead instances) and runs them.
  std::map<std::string, std::shared_ptr<const model::TaskTemplate>> templates;
  for (const auto& t : library.templates) templates[t.name] = std::make_shared<const model::TaskTemplate>(t);
  service::TemplateLookup lookup = [&templates](const std::string& name)
      -> Result<std::shared_ptr<const model::TaskTemplate>> {
    auto it = templates.find(name);
    if (it == templates.end()) return Error::not_found("template \"" + name + "\" not found");
    return it->second;
  };
  actors::RuntimeRunStarter starter;
  service::ServiceContext services_context;
  services_context.store = store->get();
  services_context.templates = lookup;
  services_context.registry = &library.registry;
  services_context.admin_usernames = cfg->utask.admin_usernames;
  services_context.admin_groups = cfg->utask.admin_groups;
  services_context.config_items = config_items;
  services_context.region = settings.region;
  services_context.runner = &starter;
  services_context.notifier = notifications->notifier.get();
  service::ActionServicesImpl services(services_context, cfg->callback);

  // The admin console (issue 6): maintenance mode shared through the store (the flag only
  // switches it on at start), key rotation in the background; ending maintenance wakes the engine.
  actors::AdminConsoleOptions console_options;
  console_options.store = store->get();
  console_options.start_in_maintenance = settings.maintenance_mode;
  console_options.on_maintenance_change = [&starter](bool on) { if (!on) starter.wake(); };
  auto console = actors::AdminConsoleActor::start(std::move(console_options));
  if (!console) {
    spdlog::error("admin console: {}", console.error().message);
    return 1;
  }
  console_view = console->get();

  actors::RuntimeOptions runtime_options;
  runtime_options.store = store->get();
  runtime_options.registry = &library.registry;
  runtime_options.templates = lookup;
  runtime_options.services = &services;
  runtime_options.config_items = config_items;
  runtime_options.notifier = notifications->notifier.get();
  runtime_options.region = settings.region;
  runtime_options.instance_id = (*upkeep)->instance_id();
  runtime_options.resource_limits = cfg->utask.resource_limits;
  runtime_options.resource_acquire_timeout = cfg->utask.resource_acquire_timeout;
  runtime_options.supervisor.max_concurrent_executions = cfg->utask.max_concurrent_executions;
  runtime_options.supervisor.max_concurrent_executions_from_crashed =
      cfg->utask.max_concurrent_executions_from_crashed;
  runtime_options.supervisor.lease_ttl = options.lease_ttl;
  runtime_options.supervisor.completed_task_expiration = cfg->utask.completed_task_expiration;
  runtime_options.supervisor.collect_garbage = false;  // the upkeep thread does it
  runtime_options.commit_lanes =
      actors::commit_lanes_for(url.rfind("sqlite:", 0) == 0, options.pool_size, runtime_options.io_threads);
  runtime_options.collectors_paused = [c = console->get()] { return c->maintenance_mode(); };
  http::ApiMetrics metrics(store->get());  // fed by the engine's run ends and the API
  runtime_options.on_run_end = [&metrics](const std::string& id, const std::string& state) {
    metrics.note_run_end(id, state);
  };
  auto runtime = actors::Runtime::start(std::move(runtime_options));
  if (!runtime) {
    spdlog::error("engine: {}", runtime.error().message);
    return 1;
  }
  starter.bind(runtime->get());

  // The HTTP API: handlers reach the store through the services and wake the engine.
  service::TaskService tasks(services_context);
  service::ResolutionService resolutions(services_context);
  http::Authenticator authenticator(
      http::default_identity_provider(cfg->basic_auth, cfg->groups_auth),
      cfg->utask.admin_usernames, cfg->utask.admin_groups);
  http::ApiContext api;
  api.services = &services_context;
  api.tasks = &tasks;
  api.resolutions = &resolutions;
  api.callbacks = &services;
  api.admin = console->get();
  api.metrics = &metrics;
  api.auth = &authenticator;
  api.options.port = static_cast<uint16_t>(settings.http_port);
  api.options.address = settings.listen_address;
  api.options.max_body_bytes = static_cast<size_t>(cfg->utask.max_body_bytes);
  api.options.dashboard_path_prefix = cfg->utask.dashboard_path_prefix;
  api.options.dashboard_api_path_prefix = cfg->utask.dashboard_api_path_prefix;
  api.options.dashboard_sentry_dsn = cfg->utask.dashboard_sentry_dsn;
  api.application_name = cfg->utask.application_name;
  api.version = build_info::kVersion;
  api.instance_id = std::to_string((*upkeep)->instance_id());
  const http::RouteTable routes = http::build_api_routes(api);
  http::HttpServer server;
  if (auto started = server.start(api, routes); !started) {
    spdlog::error("http: {}", started.error().message);
    (*runtime)->shutdown();
    return 1;
  }

  if ((*console)->maintenance_mode()) spdlog::warn("maintenance mode: writes will be refused");
  spdlog::info("ready (region {}, instance {}); HTTP API on {}:{}", settings.region,
               (*upkeep)->instance_id(), settings.listen_address, server.port());
  const int code = wait_for_stop_signal();
  server.stop();  // no request runs past this point
  (*runtime)->shutdown();
  console_view = nullptr;
  console->reset();  // after the runtime stopped asking it, before the runtime it wakes goes
  runtime->reset();
  upkeep->reset();  // its thread uses the store: stop it after the runtime
  return code;
}

}  // namespace utask::cli

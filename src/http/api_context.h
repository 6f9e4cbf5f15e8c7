#pragma once
// What the API's route modules work with, built once by `utask serve` (or a test) and shared
// read-only by every handler. Handlers talk to the services (which talk to the store) and
// wake the runner; they never run steps.

#include <cstdint>
#include <memory>
#include <string>

#include "model/error.h"
#include "model/json.h"

namespace utask::service {
struct ServiceContext;
class TaskService;
class ResolutionService;
class ActionServicesImpl;
class AdminConsole;
}  // namespace utask::service

namespace utask::http {

class ApiMetrics;     // metrics.h
class Authenticator;  // auth.h

struct ServerOptions {
  uint16_t port = 8081;
  std::string address = "0.0.0.0";
  size_t max_body_bytes = 262144;  // api.md §1.2, clamped to [1024, 10485760]
  unsigned threads = 4;            // request threads (a slow client cannot stall others)
  std::string dashboard_path_prefix;
  std::string dashboard_api_path_prefix;
  std::string dashboard_sentry_dsn;
  std::string static_root = "./static";  // ./static/dashboard, ./static/swagger-ui
};

struct ApiContext {
  service::ServiceContext* services = nullptr;  // store, templates, registry, admins, runner
  service::TaskService* tasks = nullptr;
  service::ResolutionService* resolutions = nullptr;
  service::ActionServicesImpl* callbacks = nullptr;  // resolves POST /unsecured/callback/:id
  service::AdminConsole* admin = nullptr;  // service/admin_console.h
  ApiMetrics* metrics = nullptr;
  // Who is calling (api.md §2); required by the server for authenticated routes.
  const Authenticator* auth = nullptr;
  ServerOptions options;
  std::string application_name = "µTask";
  std::string version;
  std::string instance_id;
};

}  // namespace utask::http

#include "http/api_fixture.h"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "actions/catalog.h"
#include "actors/runtime.h"
#include "actors/runtime_run_starter.h"
#include "config/callback_config.h"
#include "http/auth.h"
#include "http/metrics.h"
#include "http/routes.h"
#include "http/server.h"
#include "model/lint.h"
#include "model/template_loader.h"
#include "persistence/crypto/key_ring.h"
#include "persistence/crypto_fixtures.h"
#include "persistence/store.h"
#include "service/action_services_impl.h"
#include "service/context.h"
#include "service/resolution_service.h"
#include "service/task_service.h"
#include "support/postgres_cluster.h"
#include "support/temp_dir.h"

namespace utask::testing {
namespace {

// Notes wake-ups and run_now calls instead of running anything.
class RecordingRunner final : public service::RunStarter {
 public:
  Result<void> run_now(const std::string& resolution_id) override {
    std::lock_guard lock(mutex_);
    runs_.push_back(resolution_id);
    return {};
  }
  void wake() override {
    std::lock_guard lock(mutex_);
    ++wakes_;
  }
  std::vector<std::string> runs() const {
    std::lock_guard lock(mutex_);
    return runs_;
  }
  int wakes() const {
    std::lock_guard lock(mutex_);
    return wakes_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> runs_;
  int wakes_ = 0;
};

// Maintenance mode in memory; key rotation is not available here.
class MemoryAdminConsole final : public service::AdminConsole {
 public:
  explicit MemoryAdminConsole(bool maintenance) : maintenance_(maintenance) {}
  bool maintenance_mode() const override { return maintenance_.load(); }
  Result<void> set_maintenance_mode(bool on, const std::string&) override {
    maintenance_ = on;
    return {};
  }
  Result<void> start_key_rotation(const std::string&) override {
    return Error{ErrorCode::conflict, "key rotation is not available in this test console", {}};
  }
  Json key_rotation_status() const override { return Json{{"running", false}}; }

 private:
  std::atomic<bool> maintenance_;
};

// libcurl's global state, set up once before any test thread uses it.
const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;

size_t collect_body(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t collect_header(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r\n") + 1);
    (*static_cast<http::Headers*>(out))[line.substr(0, colon)] = value;
  }
  return size * n;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Json CallResult::json() const {
  auto parsed = parse_json(body);
  EXPECT_TRUE(parsed.ok()) << "not JSON (status " << status << "): " << body;
  return parsed ? std::move(*parsed) : Json();
}

std::string CallResult::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

struct TestApi::Impl {
  ApiOptions options;
  TempDir dir;
  std::string database;  // postgres
  std::unique_ptr<persistence::Store> store;
  actions::ActionRegistry registry;  // the builtins, over options' config items and scripts
  std::map<std::string, std::shared_ptr<const model::TaskTemplate>> templates;
  RecordingRunner recorder;
  actors::RuntimeRunStarter starter;
  service::ServiceContext services;
  std::unique_ptr<service::TaskService> tasks;
  std::unique_ptr<service::ResolutionService> resolutions;
  std::unique_ptr<service::ActionServicesImpl> callbacks;
  std::unique_ptr<service::AdminConsole> admin;
  std::unique_ptr<http::Authenticator> auth;
  std::unique_ptr<http::ApiMetrics> metrics;
  std::unique_ptr<actors::Runtime> runtime;
  http::ApiContext api;
  http::RouteTable routes;
  http::HttpServer server;

  std::string start();
  std::string load_templates();
  service::Caller caller(const std::string& username) const {
    return services.caller(username, config::groups_of(options.groups_auth, username));
  }
};

std::string TestApi::Impl::load_templates() {
  std::vector<std::string> texts;
  if (!options.templates_dir.empty()) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(options.templates_dir)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) texts.push_back(read_file(f));
  }
  texts.insert(texts.end(), options.extra_templates.begin(), options.extra_templates.end());
  std::vector<persistence::TemplateRecord> records;
  for (const auto& yaml : texts) {
    auto t = model::parse_template_yaml(yaml, "test.yaml");
    if (!t) return "template: " + t.error().message;
    auto diags = model::lint_template(*t, registry, "test.yaml");
    if (model::has_errors(diags)) return "template " + t->name + ": " + diags.front().to_string();
    auto shared = std::make_shared<const model::TaskTemplate>(std::move(*t));
    persistence::TemplateRecord r;
    r.name = shared->name;
    r.definition_json = to_json_text(model::template_source_json(*shared));
    r.allowed_resolver_usernames = shared->allowed_resolver_usernames;
    r.allowed_resolver_groups = shared->allowed_resolver_groups;
    r.blocked = shared->blocked;
    records.push_back(std::move(r));
    templates[shared->name] = std::move(shared);
  }
  auto synced = store->sync_templates(records);
  if (!synced) return "sync templates: " + synced.error().message;
  return {};
}

std::string TestApi::Impl::start() {
  auto ring = persistence::KeyRing::create(config::KeyRing{
      {persistence::testing::key(config::Cipher::xchacha20_poly1305, 1, 9)}});
  if (!ring) return "key ring: " + ring.error().message;
  persistence::StoreOptions o;
  o.key_ring = std::make_shared<const persistence::KeyRing>(std::move(*ring));
  o.pool_size = 4;
  if (options.backend == ApiBackend::sqlite) {
    o.url = "sqlite:" + dir.str() + "/utask.db";
  } else {
    database = create_postgres_database();
    o.url = postgres_url(database);
  }
  auto s = persistence::open_store(o);
  if (!s) return "store: " + s.error().message;
  store = std::move(*s);
  actions::BuiltinOptions builtins;
  builtins.config_items = options.config_items;
  if (!options.scripts_path.empty()) builtins.scripts_path = options.scripts_path;
  registry = actions::ActionRegistry::with_builtins(builtins);
  if (auto e = load_templates(); !e.empty()) return e;

  services.store = store.get();
  services.registry = &registry;
  services.config_items = options.config_items;
  services.admin_usernames = options.admin_usernames;
  services.admin_groups = options.admin_groups;
  services.templates = [this](const std::string& name)
      -> Result<std::shared_ptr<const model::TaskTemplate>> {
    auto it = templates.find(name);
    if (it == templates.end()) return Error::not_found("template \"" + name + "\" not found");
    return it->second;
  };
  services.runner = options.start_runtime ? static_cast<service::RunStarter*>(&starter) : &recorder;
  tasks = std::make_unique<service::TaskService>(services);
  resolutions = std::make_unique<service::ResolutionService>(services);
  auto callback_config = config::resolve_callback_config(std::nullopt, "", "127.0.0.1", 8081);
  if (!callback_config) return "callback config: " + callback_config.error().message;
  callbacks = std::make_unique<service::ActionServicesImpl>(services, *callback_config);
  admin = options.admin_console ? options.admin_console(services)
                                : std::make_unique<MemoryAdminConsole>(options.maintenance_mode);
  auth = std::make_unique<http::Authenticator>(
      http::default_identity_provider(options.basic_auth, options.groups_auth),
      options.admin_usernames, options.admin_groups);
  metrics = std::make_unique<http::ApiMetrics>(store.get(), std::chrono::milliseconds(0));

  if (options.start_runtime) {
    auto instance = store->register_instance(persistence::Instance{0, "test", getpid(), "test", {}, {}});
    if (!instance) return "instance: " + instance.error().message;
    actors::RuntimeOptions ro;
    ro.store = store.get();
    ro.registry = &registry;
    ro.templates = services.templates;
    ro.services = callbacks.get();
    ro.config_items = options.config_items;
    ro.instance_id = instance->id;
    ro.supervisor.max_poll_interval = std::chrono::seconds(1);
    ro.commit_lanes = options.backend == ApiBackend::sqlite ? 1 : 2;
    auto rt = actors::Runtime::start(std::move(ro));
    if (!rt) return "runtime: " + rt.error().message;
    runtime = std::move(*rt);
    starter.bind(runtime.get());
  }

  api.services = &services;
  api.tasks = tasks.get();
  api.resolutions = resolutions.get();
  api.callbacks = callbacks.get();
  api.admin = admin.get();
  api.metrics = metrics.get();
  api.auth = auth.get();
  api.options.address = "127.0.0.1";
  api.options.port = 0;
  api.options.max_body_bytes = options.max_body_bytes;
  api.options.threads = options.threads;
  api.options.static_root = options.static_root;
  api.options.dashboard_path_prefix = options.dashboard_path_prefix;
  api.options.dashboard_api_path_prefix = options.dashboard_api_path_prefix;
  api.options.dashboard_sentry_dsn = options.dashboard_sentry_dsn;
  api.application_name = options.application_name;
  api.version = "test";
  api.instance_id = "test";
  routes = http::build_api_routes(api);
  if (auto started = server.start(api, routes); !started) return "server: " + started.error().message;
  return {};
}

TestApi::TestApi(ApiOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  error_ = impl_->start();
}

TestApi::~TestApi() {
  impl_->server.stop();
  if (impl_->runtime) impl_->runtime->shutdown();
  impl_->runtime.reset();
  impl_->admin.reset();  // it reads the store (the console actor's refresh)
  impl_->store.reset();
  if (!impl_->database.empty()) drop_postgres_database(impl_->database);
}

uint16_t TestApi::port() const { return impl_->server.port(); }
std::string TestApi::base_url() const { return "http://127.0.0.1:" + std::to_string(port()); }
persistence::Store& TestApi::store() { return *impl_->store; }
service::ServiceContext& TestApi::services() { return impl_->services; }
service::TaskService& TestApi::tasks() { return *impl_->tasks; }
service::ResolutionService& TestApi::resolutions() { return *impl_->resolutions; }
service::AdminConsole& TestApi::admin_console() { return *impl_->admin; }
const http::ApiContext& TestApi::api() const { return impl_->api; }
std::vector<std::string> TestApi::runs() const { return impl_->recorder.runs(); }
int TestApi::wakes() const { return impl_->recorder.wakes(); }

CallResult TestApi::call(const std::string& method, const std::string& path, const std::string& body,
                         const Auth& auth,
                         const std::vector<std::pair<std::string, std::string>>& headers) const {
  return http_call(base_url(), method, path, body, auth, headers);
}

CallResult http_call(const std::string& base_url, const std::string& method, const std::string& path,
                     const std::string& body, const Auth& auth,
                     const std::vector<std::pair<std::string, std::string>>& headers) {
  CallResult result;
  CURL* curl = curl_ready ? curl_easy_init() : nullptr;
  if (!curl) {
    ADD_FAILURE() << "curl_easy_init failed";
    return result;
  }
  const std::string url = base_url + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  if (method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  const bool send_body = !body.empty() || (method != "GET" && method != "DELETE" && method != "HEAD");
  if (send_body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_slist* list = nullptr;
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  if (send_body) list = curl_slist_append(list, "Content-Type: application/json");
  switch (auth.kind) {
    case Auth::Kind::none:
      break;
    case Auth::Kind::remote_user:
      list = curl_slist_append(list, ("x-remote-user: " + auth.username).c_str());
      break;
    case Auth::Kind::basic:
      list = curl_slist_append(
          list, ("Authorization: " + http::basic_authorization(auth.username, auth.password)).c_str());
      break;
    case Auth::Kind::raw_header:
      list = curl_slist_append(list, ("Authorization: " + auth.header).c_str());
      break;
  }
  for (const auto& [name, value] : headers) {
    list = curl_slist_append(list, (name + ": " + value).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    ADD_FAILURE() << method << " " << path << ": " << curl_easy_strerror(code);
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return result;
}

Json TestApi::create_task(const std::string& template_name, const Json& input,
                          const std::string& requester, const Json& extra) {
  service::CreateTaskRequest request;
  request.template_name = template_name;
  request.input = input;
  auto list = [&extra](const char* key) {
    std::vector<std::string> out;
    if (extra.contains(key)) {
      for (const auto& v : extra[key]) out.push_back(v.get<std::string>());
    }
    return out;
  };
  request.watcher_usernames = list("watcher_usernames");
  request.watcher_groups = list("watcher_groups");
  request.resolver_usernames = list("resolver_usernames");
  request.resolver_groups = list("resolver_groups");
  if (extra.contains("tags")) {
    for (const auto& [k, v] : extra["tags"].items()) request.tags[k] = v.get<std::string>();
  }
  if (extra.contains("comment")) request.comment = extra["comment"].get<std::string>();
  auto created = impl_->tasks->create_task(impl_->caller(requester), request);
  EXPECT_TRUE(created.ok()) << created.error().message;
  return created ? created->to_json() : Json();
}

Json TestApi::create_resolution(const std::string& task_id, const std::string& username,
                                const Json& extra) {
  service::CreateResolutionRequest request;
  request.task_id = task_id;
  if (extra.contains("resolver_inputs")) request.resolver_inputs = extra["resolver_inputs"];
  if (extra.contains("start_over")) request.start_over = extra["start_over"].get<bool>();
  auto created = impl_->resolutions->create_resolution(impl_->caller(username), request);
  EXPECT_TRUE(created.ok()) << created.error().message;
  return created ? std::move(*created) : Json();
}

void ApiTest::SetUp() {
  api_ = std::make_unique<TestApi>(api_options());
  ASSERT_TRUE(api_->ok()) << api_->error();
}

void ApiTest::TearDown() { api_.reset(); }

}  // namespace utask::testing

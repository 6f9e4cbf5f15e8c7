#include "service/service_fixture.h"

#include <unistd.h>

#include <filesystem>

#include "model/json.h"
#include "model/lint.h"
#include "model/template_loader.h"
#include "persistence/crypto/key_ring.h"
#include "persistence/crypto_fixtures.h"
#include "support/postgres_cluster.h"

namespace utask::testing {

namespace {

constexpr const char* kHello = R"(
name: hello
description: Auto-run greeting owned by owner and the owners group
title_format: "Hello {{.input.name}}"
auto_runnable: true
allowed_resolver_usernames: [owner]
allowed_resolver_groups: [owners]
inputs:
  - name: name
    description: who
  - name: secret
    description: a password
    type: password
    optional: true
tags:
  kind: greeting
steps:
  greet: {description: greet, action: {type: echo, configuration: {output: {v: "{{.input.name}}"}}}}
  custom: {description: custom states, custom_states: [SPECIAL], dependencies: [greet], action: {type: echo, configuration: {output: {v: 1}}}}
result_format:
  greeting: "{{.step.greet.output.v}}"
)";

constexpr const char* kManual = R"(
name: manual
description: Waits for a human resolver
title_format: manual
allowed_resolver_usernames: [owner]
allow_task_start_over: true
retry_max: 5
resolver_inputs:
  - name: reason
    description: why
steps:
  only: {description: the only step, action: {type: echo, configuration: {output: {v: 1}}}}
)";

constexpr const char* kAllowAll = R"(
name: allow-all
description: Any requester may auto-run it
title_format: allow-all
auto_runnable: true
allow_all_resolver_usernames: true
steps:
  only: {description: the only step, action: {type: echo, configuration: {output: {v: 1}}}}
)";

constexpr const char* kBlocked = R"(
name: blocked-template
description: Not available
title_format: blocked
blocked: true
auto_runnable: true
steps:
  only: {description: the only step, action: {type: echo, configuration: {output: {v: 1}}}}
)";


}  // namespace

std::string service_backend_name(const ::testing::TestParamInfo<ServiceBackend>& info) {
  return info.param == ServiceBackend::sqlite ? "sqlite" : "postgres";
}

void ServiceTest::SetUp() {
  auto ring = persistence::KeyRing::create(config::KeyRing{
      {persistence::testing::key(config::Cipher::xchacha20_poly1305, 1, 9)}});
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  persistence::StoreOptions o;
  o.key_ring = std::make_shared<const persistence::KeyRing>(std::move(*ring));
  o.pool_size = 4;
  if (GetParam() == ServiceBackend::sqlite) {
    std::string dir = (std::filesystem::temp_directory_path() / "utask-service-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    temp_dir_ = dir;
    o.url = "sqlite:" + dir + "/utask.db";
  } else {
    database_ = create_postgres_database();
    o.url = postgres_url(database_);
  }
  auto s = persistence::open_store(o);
  ASSERT_TRUE(s.ok()) << s.error().message;
  store_ = std::move(*s);

  ctx_.store = store_.get();
  ctx_.registry = &registry_;
  ctx_.admin_usernames = {"admin"};
  ctx_.admin_groups = {"admins"};
  ctx_.runner = &runner_;
  ctx_.templates = [this](const std::string& name) -> Result<std::shared_ptr<const model::TaskTemplate>> {
    auto it = templates_.find(name);
    if (it == templates_.end()) return Error::not_found("template " + name);
    return it->second;
  };
}

void ServiceTest::TearDown() {
  store_.reset();
  if (!database_.empty()) drop_postgres_database(database_);
  if (!temp_dir_.empty()) std::filesystem::remove_all(temp_dir_);
}

const model::TaskTemplate& ServiceTest::add_template(const std::string& yaml) {
  auto t = model::parse_template_yaml(yaml, "test.yaml");
  EXPECT_TRUE(t.ok()) << t.error().message;
  auto diags = model::lint_template(*t, registry_, "test.yaml");
  std::string all;
  for (const auto& d : diags) all += d.to_string() + "\n";
  EXPECT_FALSE(model::has_errors(diags)) << all;
  auto shared = std::make_shared<const model::TaskTemplate>(std::move(*t));
  templates_[shared->name] = shared;
  std::vector<persistence::TemplateRecord> records;
  for (const auto& [name, tmpl] : templates_) {
    persistence::TemplateRecord r;
    r.name = name;
    r.definition_json = to_json_text(model::template_source_json(*tmpl));
    r.allowed_resolver_usernames = tmpl->allowed_resolver_usernames;
    r.allowed_resolver_groups = tmpl->allowed_resolver_groups;
    r.blocked = tmpl->blocked;
    records.push_back(std::move(r));
  }
  auto synced = store_->sync_templates(records);
  EXPECT_TRUE(synced.ok()) << synced.error().message;
  return *shared;
}

void ServiceTest::add_standard_templates() {
  for (const char* yaml : {kHello, kManual, kAllowAll, kBlocked}) add_template(yaml);
}

persistence::TaskRecord ServiceTest::make_task(const std::string& template_name,
                                               const std::string& requester, Json input) {
  service::TaskService tasks(ctx_);
  service::CreateTaskRequest request;
  request.template_name = template_name;
  request.input = std::move(input);
  auto created = tasks.create_task(as(requester), request);
  EXPECT_TRUE(created.ok()) << created.error().message;
  return created ? created->task : persistence::TaskRecord{};
}

void ServiceTest::force_resolution_state(const std::string& resolution_id, const std::string& state,
                                         const std::string& task_state) {
  persistence::ResolutionChange change;
  change.state = state;
  if (!task_state.empty()) change.task_state = task_state;
  change.revoke_lease = true;
  auto written = store_->update_resolution(resolution_id, change);
  ASSERT_TRUE(written.ok()) << written.error().message;
}

}  // namespace utask::testing

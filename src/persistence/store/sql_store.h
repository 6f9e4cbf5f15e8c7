#pragma once
// SqlStore: the one implementation of Store, written once over sql::Database (the SQL is
// portable between SQLite and PostgreSQL except where `dialect()` says otherwise). Callers
// never include this header: open_store() (open_store.cc) builds it (STYLE §3).
//
// The methods are spread over files by subject:
//   templates.cc    sync_templates, sync_functions, get/list templates and functions
//   tasks.cc        create_tasks, get_task, update_task, delete_task, batches, counts
//   task_listing.cc list_tasks (one index per filter, docs/storage.md §3)
//   comments.cc     comments
//   resolutions.cc  create/get/update_resolution, get_step, wake_resolution
//   callbacks.cc    create_callback, get_callback, mark_callback_called
//   leases.cc       instances, heartbeat, claim, acquire_lease, checkpoint, release
//   maintenance.cc  collect_garbage, rotate_keys, key_rotation_progress, ping, schema_version
//   settings.cc     get_setting, set_setting
//   cache.cc        cache_put, cache_get, cache_erase, cache_purge_expired
//
// Thread safety: constant after construction (db_ is thread-safe, the key ring immutable).

#include <memory>

#include "persistence/sql/database.h"
#include "persistence/store.h"
#include "persistence/store/columns.h"

namespace utask::persistence {

class SqlStore final : public Store {
 public:
  // REQUIRES: options.key_ring non-null; the schema is migrated.
  SqlStore(std::unique_ptr<sql::Database> db, StoreOptions options);

  Result<int> schema_version() override;

  Result<SyncReport> sync_templates(const std::vector<TemplateRecord>& templates) override;
  Result<SyncReport> sync_functions(const std::vector<FunctionRecord>& functions) override;
  Result<TemplateRecord> get_template(const std::string& name) override;
  Result<Page<TemplateRecord>> list_templates(const PageRequest& page,
                                              bool include_hidden) override;
  Result<FunctionRecord> get_function(const std::string& name) override;
  Result<Page<FunctionRecord>> list_functions(const PageRequest& page) override;

  Result<std::vector<TaskRecord>> create_tasks(const TaskCreation& creation) override;
  Result<TaskRecord> get_task(const std::string& task_id) override;
  Result<Page<TaskRecord>> list_tasks(const TaskFilter& filter) override;
  Result<TaskRecord> update_task(const std::string& task_id, const TaskChange& change) override;
  Result<void> delete_task(const std::string& task_id, const StateCondition& require) override;
  Result<std::vector<std::pair<std::string, int64_t>>> count_tasks_by_state() override;
  Result<std::vector<TaskCount>> count_tasks_by_group() override;
  Result<Batch> get_batch(const std::string& batch_id) override;

  Result<Comment> add_comment(const std::string& task_id, const NewComment& comment) override;
  Result<Comment> get_comment(const std::string& task_id, const std::string& comment_id) override;
  Result<std::vector<Comment>> list_comments(const std::string& task_id) override;
  Result<Comment> update_comment(const std::string& task_id, const std::string& comment_id,
                                 const std::string& content) override;
  Result<void> delete_comment(const std::string& task_id, const std::string& comment_id) override;

  Result<ResolutionRecord> create_resolution(const ResolutionCreation& creation) override;
  Result<std::pair<ResolutionRecord, TaskRecord>> get_resolution_and_task(
      const std::string& resolution_id) override;
  Result<ResolutionRecord> get_resolution(const std::string& resolution_id,
                                          ResolutionView view) override;
  Result<StepRecord> get_step(const std::string& resolution_id,
                              const std::string& step_name) override;
  Result<ResolutionRecord> update_resolution(const std::string& resolution_id,
                                             const ResolutionChange& change) override;
  Result<void> wake_resolution(const std::string& resolution_id) override;

  Result<CallbackRecord> create_callback(const CallbackRecord& callback) override;
  Result<CallbackRecord> get_callback(const std::string& callback_id) override;
  Result<CallbackRecord> mark_callback_called(const std::string& callback_id,
                                              const std::string& body_json,
                                              const StateCondition& require_task) override;

  Result<Instance> register_instance(const Instance& self) override;
  Result<std::vector<Lease>> heartbeat(int64_t instance_id) override;
  Result<std::vector<Instance>> list_instances() override;
  Result<std::vector<Claim>> claim(int64_t instance_id, const ClaimKinds& kinds, size_t max) override;
  Result<Lease> acquire_lease(const std::string& resolution_id, int64_t instance_id) override;
  Result<void> checkpoint(const Lease& lease, const ResolutionChange& change) override;
  Result<void> release(const Lease& lease, const ResolutionChange& change) override;
  std::vector<Result<void>> write_leased(const std::vector<LeasedWrite>& writes) override;

  Result<GcReport> collect_garbage(Timestamp older_than) override;
  Result<KeyRotationProgress> rotate_keys(size_t max_rows) override;
  Result<std::optional<KeyRotationProgress>> key_rotation_progress() override;
  Result<void> ping() override;

  Result<void> cache_put(const std::string& key, const CacheRow& row) override;
  Result<std::optional<CacheRow>> cache_get(const std::string& key) override;
  Result<void> cache_erase(const std::string& key) override;
  Result<int64_t> cache_purge_expired(Timestamp now) override;
  Result<std::optional<Setting>> get_setting(const std::string& key) override;
  Result<Setting> set_setting(const std::string& key, const std::string& value_json,
                              const std::string& updated_by) override;

 private:
  // Test-only plan check (explain.h): runs the listing's query under EXPLAIN.
  friend Result<std::vector<std::string>> explain_list_tasks(Store& store,
                                                             const TaskFilter& filter);

  Timestamp now() const;
  sql::Dialect dialect() const { return db_->dialect(); }

  // Constant after construction.
  std::unique_ptr<sql::Database> db_;
  StoreOptions options_;
  Columns columns_;  // encryption and conversions, bound to options_.key_ring
};

}  // namespace utask::persistence

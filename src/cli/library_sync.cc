#include "cli/library_sync.h"

#include <spdlog/spdlog.h>

#include "model/json.h"
#include "model/template_loader.h"

namespace utask::cli {
namespace {

void log_report(const char* what, const persistence::SyncReport& r) {
  spdlog::info("{} synced to the store: {} new, {} changed, {} unchanged, {} deleted, {} archived",
               what, r.inserted, r.updated, r.unchanged, r.deleted, r.archived);
}

}  // namespace

persistence::TemplateRecord template_record(const model::TaskTemplate& tmpl) {
  persistence::TemplateRecord record;
  record.name = tmpl.name;
  record.description = tmpl.description;
  record.definition_json = to_json_text(model::template_source_json(tmpl));
  record.allowed_resolver_usernames = tmpl.allowed_resolver_usernames;
  record.allowed_resolver_groups = tmpl.allowed_resolver_groups;
  record.hidden = tmpl.hidden;
  record.blocked = tmpl.blocked;
  return record;
}

Result<void> sync_library(persistence::Store& store, const TemplateLibrary& library) {
  std::vector<persistence::TemplateRecord> templates;
  templates.reserve(library.templates.size());
  for (const auto& t : library.templates) templates.push_back(template_record(t));
  auto synced = store.sync_templates(templates);
  if (!synced) return synced.error();
  log_report("templates", *synced);

  std::vector<persistence::FunctionRecord> functions;
  for (const auto& [name, f] : library.registry.functions()) {
    functions.push_back({name, to_json_text(model::function_source_json(f))});
  }
  synced = store.sync_functions(functions);
  if (!synced) return synced.error();
  log_report("functions", *synced);
  return {};
}

}  // namespace utask::cli

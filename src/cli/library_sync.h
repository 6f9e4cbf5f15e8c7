#pragma once
// The loaded templates and functions become the store's (docs/storage.md §2 `template`,
// `function`): every instance of a fleet then lists the same ones with the same pagination.

#include "cli/template_library.h"
#include "model/error.h"
#include "persistence/records.h"
#include "persistence/store.h"

namespace utask::cli {

// The record of a template: its API shape as the definition, the columns queries need.
persistence::TemplateRecord template_record(const model::TaskTemplate& tmpl);

// Syncs templates, then functions; logs what each sync changed.
Result<void> sync_library(persistence::Store& store, const TemplateLibrary& library);

}  // namespace utask::cli

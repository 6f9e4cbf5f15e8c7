#pragma once
// The functions and task templates a server (or `utask validate`) starts with: the functions of
// --functions-path registered as action types next to the builtin actions, then every template
// file of the given paths loaded and linted against them. Every problem is collected, in file
// order, as a printable line; nothing stops at the first one.

#include <string>
#include <vector>

#include "actions/catalog.h"
#include "config/settings.h"
#include "model/task_template.h"

namespace utask::cli {

struct LibraryProblem {
  std::string text;  // "file: subject: message"
  bool warning = false;
};

struct TemplateLibrary {
  actions::ActionRegistry registry;
  std::vector<model::TaskTemplate> templates;  // valid ones, normalized by lint
  std::vector<LibraryProblem> problems;
  int template_files = 0;
  int error_count = 0;
};

// Loads functions from settings.functions_path and templates from `paths` (files, or folders
// whose `*.yaml` files are read; empty = settings.templates_paths). A missing functions folder
// is a warning; a missing templates path is an error.
// `other_templates`: names of templates loaded elsewhere that subtask and batch steps may name.
// `builtins`: what the builtin actions get (configuration items...); its scripts_path is
// replaced by settings.scripts_path.
TemplateLibrary load_template_library(const config::Settings& settings,
                                      const std::vector<std::string>& paths = {},
                                      const std::vector<std::string>& other_templates = {},
                                      actions::BuiltinOptions builtins = {});

}  // namespace utask::cli

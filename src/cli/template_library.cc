#include "cli/template_library.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "model/lint.h"
#include "model/template_loader.h"

namespace utask::cli {
namespace {

namespace fs = std::filesystem;

void add_error(TemplateLibrary& lib, const std::string& file, const std::string& message) {
  // Loader errors already start with the file name.
  lib.problems.push_back({message.rfind(file, 0) == 0 ? message : file + ": " + message, false});
  ++lib.error_count;
}

void add_warning(TemplateLibrary& lib, const std::string& file, const std::string& message) {
  lib.problems.push_back({"warning: " + file + ": " + message, true});
}

void add_diagnostics(TemplateLibrary& lib, const std::vector<model::Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    lib.problems.push_back({d.to_string(), d.warning});
    if (!d.warning) ++lib.error_count;
  }
}

void load_functions(TemplateLibrary& lib, const std::string& dir) {
  if (!fs::is_directory(dir)) {
    add_warning(lib, dir, "functions folder not found: no function loaded");
    return;
  }
  auto functions = model::load_functions_dir(dir);
  if (!functions) {
    add_error(lib, dir, functions.error().message);
    return;
  }
  for (auto& f : *functions) {
    const std::string file = f.file;
    if (auto added = lib.registry.add_function(std::move(f)); !added) add_error(lib, file, added.error().message);
  }
  // Lint after every function is registered: a function may name another as its action.
  for (const auto& [name, function] : lib.registry.functions()) {
    add_diagnostics(lib, model::lint_function(function, lib.registry, function.file));
  }
}

// The template files a path stands for: the file itself, or a folder's `*.yaml` files.
std::vector<std::string> template_files(TemplateLibrary& lib, const std::string& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return {path};
  if (!fs::is_directory(path, ec)) {
    add_error(lib, path, "no such file or folder");
    return {};
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    const auto name = entry.path().filename().string();
    if (entry.is_regular_file() && entry.path().extension() == ".yaml" && name[0] != '.') {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TemplateLibrary load_template_library(const config::Settings& settings, const std::vector<std::string>& paths,
                                      const std::vector<std::string>& other_templates,
                                      actions::BuiltinOptions builtins) {
  builtins.scripts_path = settings.scripts_path;
  TemplateLibrary lib{actions::ActionRegistry::with_builtins(builtins), {}, {}, 0, 0};
  load_functions(lib, settings.functions_path);
  // Parse every file first: subtask and batch steps may name any template of the library
  // (or one the caller knows of), whatever the order the files are linted in.
  std::vector<std::pair<std::string, model::TaskTemplate>> parsed;
  auto names = std::make_shared<std::set<std::string>>(other_templates.begin(), other_templates.end());
  for (const auto& path : paths.empty() ? settings.templates_paths : paths) {
    for (const auto& file : template_files(lib, path)) {
      ++lib.template_files;
      auto tmpl = model::load_template_file(file);
      if (!tmpl) {
        add_error(lib, file, tmpl.error().message);
        continue;
      }
      names->insert(tmpl->name);
      parsed.emplace_back(file, std::move(*tmpl));
    }
  }
  lib.registry.set_template_lookup([names](const std::string& name) -> Result<bool> {
    return names->count(name) > 0;
  });
  std::map<std::string, size_t> index_of_name;  // same name twice: the last file read wins
  for (auto& [file, tmpl] : parsed) {
    auto diagnostics = model::lint_template(tmpl, lib.registry, file);
    add_diagnostics(lib, diagnostics);
    if (model::has_errors(diagnostics)) continue;
    if (auto it = index_of_name.find(tmpl.name); it != index_of_name.end()) {
      add_warning(lib, file, "template name \"" + tmpl.name + "\" is used by another file too: the last one read wins");
      lib.templates[it->second] = std::move(tmpl);
    } else {
      index_of_name.emplace(tmpl.name, lib.templates.size());
      lib.templates.push_back(std::move(tmpl));
    }
  }
  return lib;
}

}  // namespace utask::cli

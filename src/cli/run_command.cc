// `utask run TEMPLATE.yaml`: runs one task to its end in-process, for template authors
// (the engine issue's "CLI for authors"). The task lives in a temporary SQLite store unless
// --db names one; the same runtime as the server executes it (supervisor, task and step
// actors), so what passes here passes on a server. Prints one JSON object on stdout:
// {"task": <GET /task/:id>, "resolution": <GET /resolution/:id>}; exit 0 iff DONE.
//
// Where it differs from a server: retries do not wait for their next_retry (an author wants
// the outcome now): an ERROR run is woken at once until run_max or --max-runs runs.

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <unistd.h>

#include "actors/runtime.h"
#include "actors/runtime_run_starter.h"
#include "config/callback_config.h"
#include "config/configstore.h"
#include "config/environment.h"
#include "config/template_items.h"
#include "service/action_services_impl.h"
#include "service/context.h"
#include "cli/command.h"
#include "cli/run_store.h"
#include "cli/template_library.h"
#include "engine/resolution_state.h"
#include "model/json.h"
#include "model/template_loader.h"
#include "persistence/store.h"
#include "service/presenters.h"
#include "service/resolution_records.h"

namespace utask::cli {
namespace {

struct RunArgs {
  std::string template_file;
  std::vector<std::string> inputs;
  std::string input_json;
  std::vector<std::string> resolver_inputs;
  int max_runs = 0;
  bool watch = false;
};

// `k=v` pairs: v is JSON when it parses as JSON and the declared input is not a string,
// otherwise the text itself.
Result<Json> parse_pairs(const std::vector<std::string>& pairs,
                         const std::vector<model::Input>& declared, Json into) {
  for (const auto& pair : pairs) {
    auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Error::invalid_input("input \"" + pair + "\": expected name=value");
    }
    const std::string name = pair.substr(0, eq);
    const std::string text = pair.substr(eq + 1);
    bool as_string = true;
    for (const auto& in : declared) {
      if (in.name == name) as_string = in.type == model::InputType::string && !in.collection;
    }
    Json value = text;
    if (!as_string) {
      auto parsed = parse_json(text);
      if (parsed) value = std::move(*parsed);
    }
    into[name] = std::move(value);
  }
  return into;
}

Result<Json> read_json_file(const std::string& path) {
  std::stringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error::invalid_input("cannot read " + path);
    ss << in.rdbuf();
  }
  auto j = parse_json(ss.str());
  if (!j) return Error::invalid_input(path + ": " + j.error().message);
  if (!j->is_object()) return Error::invalid_input(path + ": expected a JSON object of inputs");
  return std::move(*j);
}

// `.config` of templates when CONFIGURATION_FROM names providers (apiovh reads its credentials
// there); empty otherwise: a run needs no configuration.
Result<Json> run_config_items() {
  const auto env = config::process_environment();
  const auto from = config::lookup(env, "CONFIGURATION_FROM");
  if (!from || from->find_first_not_of(" \t") == std::string::npos) return Json::object();
  auto store = config::Configstore::from_spec(*from, env);
  if (!store) return store.error();
  return parse_json(config::template_items_json(config::template_visible_items(*store, {})).dump());
}

bool needs_a_person(const std::string& state) {
  return state.rfind("BLOCKED_", 0) == 0 || state == "PAUSED" || state == "CANCELLED" ||
         state == "TODO";
}

engine::Time now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

int run(const config::Settings& settings, const RunArgs& args) {
  // Templates of --templates-path, for subtasks; then the template to run, linted against
  // the functions, the builtin actions and those templates.
  auto config_items = run_config_items();
  if (!config_items) return std::cerr << "utask run: " << config_items.error().message << '\n', 2;
  actions::BuiltinOptions builtins;
  builtins.config_items = *config_items;
  std::map<std::string, std::shared_ptr<const model::TaskTemplate>> others;
  std::vector<std::string> other_names;
  if (!settings.templates_paths.empty()) {
    auto more = load_template_library(settings, {}, {}, builtins);
    for (const auto& p : more.problems) std::cerr << p.text << '\n';
    for (auto& t : more.templates) {
      const std::string name = t.name;  // read before the move below
      other_names.push_back(name);
      others[name] = std::make_shared<const model::TaskTemplate>(std::move(t));
    }
  }
  auto library = load_template_library(settings, {args.template_file}, other_names, builtins);
  for (const auto& p : library.problems) std::cerr << p.text << '\n';
  if (library.error_count > 0 || library.templates.size() != 1) {
    std::cerr << "utask run: " << args.template_file << " is not a valid template\n";
    return 2;
  }
  auto tmpl = std::make_shared<const model::TaskTemplate>(library.templates.front());
  others[tmpl->name] = tmpl;

  Json input = Json::object();
  if (!args.input_json.empty()) {
    auto j = read_json_file(args.input_json);
    if (!j) return std::cerr << "utask run: " << j.error().message << '\n', 2;
    input = std::move(*j);
  }
  auto in = parse_pairs(args.inputs, tmpl->inputs, std::move(input));
  if (!in) return std::cerr << "utask run: " << in.error().message << '\n', 2;
  auto rin = parse_pairs(args.resolver_inputs, tmpl->resolver_inputs, Json::object());
  if (!rin) return std::cerr << "utask run: " << rin.error().message << '\n', 2;

  auto opened = open_run_store(settings);
  if (!opened) return std::cerr << "utask run: " << opened.error().message << '\n', 2;
  persistence::Store& store = *opened->store;

  std::vector<persistence::TemplateRecord> records;
  for (const auto& [name, t] : others) {
    persistence::TemplateRecord r;
    r.name = t->name;
    r.description = t->description;
    r.definition_json = to_json_text(model::template_source_json(*t));
    records.push_back(std::move(r));
  }
  if (auto synced = store.sync_templates(records); !synced) {
    return std::cerr << "utask run: " << synced.error().message << '\n', 2;
  }

  const std::string user = getenv("USER") ? getenv("USER") : "utask-run";
  engine::TaskRequest request;
  request.id = opened->new_id();
  request.requester_username = user;
  request.input = std::move(*in);
  auto task = engine::create_task(*tmpl, request, now());
  if (!task) return std::cerr << "utask run: " << task.error().message << '\n', 2;
  auto resolution = engine::create_resolution(*tmpl, *task, opened->new_id(), user, *rin, true, now());
  if (!resolution) return std::cerr << "utask run: " << resolution.error().message << '\n', 2;
  const std::string rid = resolution->id;
  const std::string tid = task->id;

  persistence::TaskCreation creation;
  persistence::NewTask nt;
  nt.task = service::to_task_record(resolution->task);
  nt.resolution = service::to_resolution_record(*resolution);
  creation.tasks.push_back(std::move(nt));
  if (auto created = store.create_tasks(creation); !created) {
    return std::cerr << "utask run: " << created.error().message << '\n', 2;
  }

  auto instance = store.register_instance(persistence::Instance{0, "utask-run", getpid(), "", {}, {}});
  if (!instance) return std::cerr << "utask run: " << instance.error().message << '\n', 2;

  std::mutex mu;
  std::condition_variable cv;
  std::string last_state;
  int runs = 0;
  bool ended = false;

  // What subtask, batch and callback steps use to reach tasks (the children run here too).
  service::TemplateLookup lookup = [&others](const std::string& name) -> Result<std::shared_ptr<const model::TaskTemplate>> {
    auto it = others.find(name);
    if (it == others.end()) return Error::not_found("template \"" + name + "\" not found");
    return it->second;
  };
  actors::RuntimeRunStarter starter;
  service::ServiceContext services_context;
  services_context.store = &store;
  services_context.templates = lookup;
  services_context.registry = &library.registry;
  services_context.runner = &starter;
  services_context.config_items = *config_items;
  // The author is the admin of this private run: children start without a resolver's approval.
  services_context.admin_usernames = {user};
  service::ActionServicesImpl services(services_context, config::CallbackConfig{});

  actors::RuntimeOptions options;
  options.store = &store;
  options.config_items = *config_items;
  options.services = &services;
  options.registry = &library.registry;
  options.templates = lookup;
  options.instance_id = instance->id;
  options.commit_lanes = actors::commit_lanes_for(/*sqlite=*/true, 1, options.io_threads);
  if (args.watch) {
    options.on_transition = [](const actors::Transition& t) {
      if (t.step.empty()) std::cerr << "resolution " << t.resolution_id << " → " << t.state << '\n';
      else std::cerr << "  step " << t.step << " → " << t.state << '\n';
    };
  }
  options.on_run_end = [&](const std::string& id, const std::string& state) {
    if (id != rid) return;
    std::lock_guard lock(mu);
    last_state = state;
    ++runs;
    ended = true;
    cv.notify_all();
  };
  auto runtime = actors::Runtime::start(std::move(options));
  if (!runtime) return std::cerr << "utask run: " << runtime.error().message << '\n', 2;
  starter.bind(runtime->get());

  const int max_runs = args.max_runs > 0 ? args.max_runs : static_cast<int>(resolution->run_max);
  for (;;) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return ended; });
    ended = false;
    const std::string state = last_state;
    lock.unlock();
    if (state == "DONE" || needs_a_person(state)) break;
    if (state == "WAITING") {
      // Waiting for a child task or a callback: children run in this process and wake the
      // parent; wait a bounded time for that to happen.
      (*runtime)->wake();
      std::unique_lock l(mu);
      if (!cv.wait_for(l, std::chrono::seconds(30), [&] { return ended; })) break;
      continue;
    }
    if (runs >= max_runs) break;
    // ERROR (or CRASHED): retry at once instead of waiting for next_retry.
    if (auto woke = store.wake_resolution(rid); !woke) break;
    (*runtime)->wake();
  }
  (*runtime)->shutdown();

  auto t = store.get_task(tid);
  auto r = store.get_resolution(rid, persistence::ResolutionView::with_steps);
  if (!t || !r) {
    std::cerr << "utask run: " << (!t ? t.error().message : r.error().message) << '\n';
    return 2;
  }
  auto comments = store.list_comments(tid);
  service::TaskJsonOptions topts;
  if (comments) topts.comments = &*comments;
  auto rjson = service::resolution_json(*r);
  if (!rjson) return std::cerr << "utask run: " << rjson.error().message << '\n', 2;
  Json out = {{"task", service::task_json(*t, topts)}, {"resolution", std::move(*rjson)}};
  std::cout << to_json_text_pretty(out) << std::endl;
  return r->state == "DONE" ? 0 : 1;
}

}  // namespace

void add_run_command(CLI::App& app, CommandLine& cl) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run one task of a template to its end, in-process, and print it as JSON");
  cmd->add_option("template", args->template_file, "Template file (YAML)")->required();
  cmd->add_option("--input", args->inputs, "Task input name=value (repeatable)");
  cmd->add_option("--input-json", args->input_json, "Task inputs from a JSON object file ('-' for stdin)");
  cmd->add_option("--resolver-input", args->resolver_inputs, "Resolver input name=value (repeatable)");
  cmd->add_option("--max-runs", args->max_runs, "Stop after this many runs (default: the template's retry_max)");
  cmd->add_flag("--watch", args->watch, "Print each transition on stderr as it happens");
  cmd->callback([&cl, args] { cl.exit_code = run(cl.settings, *args); });
}

}  // namespace utask::cli

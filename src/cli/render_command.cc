#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "model/json.h"
#include "values/renderer.h"

namespace utask::cli {
namespace {

// The engine names every template "tmpl"; error messages show it.
constexpr const char* kTemplateName = "tmpl";

Result<std::string> render_one(const std::string& text, const Json& data, const std::string& name) {
  auto t = values::Template::parse(text, name);
  if (!t) return t.error();
  return t->execute(data);
}

// One JSON line in, one JSON line out: {"template": "...", "data": {...}, "name"?: "..."} →
// {"output": "..."} or {"error": "..."}. A malformed line is answered with an error line.
std::string batch_line(const std::string& line) {
  Json out = Json::object();
  auto req = parse_json(line);
  if (!req || !req->is_object() || !req->contains("template") || !(*req)["template"].is_string()) {
    out["error"] = "bad request: " + (req ? std::string("expected {\"template\": string, \"data\": value}")
                                         : req.error().message);
  } else {
    Json data = req->contains("data") ? (*req)["data"] : Json::object();
    std::string name = kTemplateName;
    if (req->contains("name") && (*req)["name"].is_string()) name = (*req)["name"].get<std::string>();
    auto r = render_one((*req)["template"].get<std::string>(), data, name);
    if (r)
      out["output"] = *r;
    else
      out["error"] = r.error().message;
  }
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

int run_batch() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::cout << batch_line(line) << '\n';
  }
  std::cout.flush();
  return 0;
}

Result<Json> read_data(const std::string& path) {
  if (path.empty()) return Json::object();
  std::stringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error::invalid_input("cannot read data file " + path);
    ss << in.rdbuf();
  }
  return parse_json(ss.str());
}

}  // namespace

void add_render_command(CLI::App& app, CommandLine& cl) {
  auto* cmd = app.add_subcommand("render", "Render a template text with JSON data");
  static std::string data_path;
  static std::string text;
  static bool batch = false;
  cmd->add_option("--data", data_path, "JSON data file (- for stdin); default {}");
  cmd->add_flag("--batch", batch,
                "Read JSON lines {\"template\": ..., \"data\": ...} from stdin, write {\"output\"|\"error\": ...} lines");
  cmd->add_option("template", text, "Template text");
  cmd->callback([&cl] {
    if (batch) {
      cl.exit_code = run_batch();
      return;
    }
    auto data = read_data(data_path);
    if (!data) {
      std::cerr << data.error().message << '\n';
      cl.exit_code = 1;
      return;
    }
    auto out = render_one(text, *data, kTemplateName);
    if (!out) {
      std::cerr << out.error().message << '\n';
      cl.exit_code = 1;
      return;
    }
    std::cout << *out << std::flush;
    cl.exit_code = 0;
  });
}

}  // namespace utask::cli

// Function files (engine.md §1.7): decoding, required arguments, the functions directory.

#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "model/template_loader.h"
#include "model/template_loader_decode.h"
#include "model/yaml_json.h"

namespace utask::model {
namespace {

using loader_detail::Decoder;
using loader_detail::StructReader;

// `{{ .function_args.<path> }}`, exactly that form, as the original extracts it.
const RE2& function_args_regex() {
  static const RE2 re(R"(\{\{\s*\.function_args\.([a-zA-Z.]+)\s*\}\})");
  return re;
}

void extract_required_args(const Json& v, std::vector<std::string>& out) {
  if (v.is_object() || v.is_array()) {
    for (const auto& child : v) extract_required_args(child, out);
    return;
  }
  if (!v.is_string()) return;
  re2::StringPiece input(v.get_ref<const std::string&>());
  std::string path;
  while (RE2::FindAndConsume(&input, function_args_regex(), &path)) {
    if (std::find(out.begin(), out.end(), path) == out.end()) out.push_back(path);
  }
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid_template(path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<Function> parse_function_yaml(std::string_view yaml, std::string_view file) {
  auto doc = parse_yaml_document(yaml, file);
  if (!doc) return doc.error();
  Decoder d(file, *doc);
  const Json& root = doc->value;
  if (!root.is_object()) return d.shape_error("", "a mapping at the top of the function", root);
  StructReader r(d, root, "");
  Function fn;
  fn.file = std::string(file);
  auto& unknown = fn.unknown_fields;
  r.read("name", fn.name);
  r.read("description", fn.description);
  r.read("custom_states", fn.custom_states);
  if (const Json* f = r.get("action"); f && !r.failed()) {
    auto a = loader_detail::decode_action(d, *f, "action", unknown, "");
    if (r.check(a)) fn.action = std::move(*a);
  }
  if (const Json* f = r.get("pre_hook"); f && !f->is_null() && !r.failed()) {
    auto a = loader_detail::decode_action(d, *f, "pre_hook", unknown, "");
    if (r.check(a)) fn.pre_hook = std::move(*a);
  }
  if (const Json* f = r.get("conditions"); f && !r.failed()) {
    auto c = loader_detail::decode_conditions(d, *f, "conditions", unknown, "");
    if (r.check(c)) fn.conditions = std::move(*c);
  }
  if (r.failed()) return r.error();
  if (!fn.action.configuration.is_null() && !fn.action.configuration.is_object()) {
    return d.shape_error("action.configuration", "a mapping", fn.action.configuration);
  }
  r.collect_unknown(unknown);
  extract_required_args(fn.action.configuration, fn.required_args);
  return fn;
}

Result<std::vector<Function>> load_functions_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<Function> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::vector<std::string> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string name = it->path().filename().string();
    if (name.starts_with(".") || !name.ends_with(".yaml")) continue;
    files.push_back(it->path().string());
  }
  if (ec) return Error::invalid_template(dir + ": cannot list the directory: " + ec.message());
  std::sort(files.begin(), files.end());
  std::map<std::string, std::string> seen;  // function name → file
  for (const auto& path : files) {
    auto text = read_file(path);
    if (!text) return text.error();
    auto fn = parse_function_yaml(*text, path);
    if (!fn) return fn.error();
    auto [it, inserted] = seen.emplace(fn->name, path);
    if (!inserted) {
      return Error::invalid_template("\"" + path + "\": function \"" + fn->name +
                                     "\" already exists and was declared in \"" + it->second + "\"");
    }
    out.push_back(std::move(*fn));
  }
  return out;
}

}  // namespace utask::model

// `file` and `filelist` providers.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/providers.h"
#include "config/yaml_json.h"

namespace utask::config {
namespace {

namespace fs = std::filesystem;

Error provider_error(const std::string& provider_name, const std::string& message) {
  return Error::invalid_config("configuration provider \"" + provider_name + "\": " + message,
                               provider_name);
}

Result<std::string> read_text(const std::string& path, const std::string& provider_name) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return provider_error(provider_name, "cannot read \"" + path + "\": it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return provider_error(provider_name,
                          "cannot read \"" + path + "\": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A JSON text is parsed as JSON first: yaml-cpp refuses some valid JSON (tabs for indentation).
Result<nlohmann::json> parse_list_document(const std::string& text, const std::string& path,
                                           const std::string& provider_name) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '[') {
    try {
      return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error&) {
      // Fall through: flow-style YAML also starts with '['.
    }
  }
  try {
    YAML::Node doc = YAML::Load(text);
    nlohmann::json out = yaml_to_json(doc);
    // A scalar value keeps its text as written ("1.50" stays "1.50", not the number 1.5).
    if (doc.IsSequence())
      for (size_t i = 0; i < doc.size(); ++i) {
        const YAML::Node entry = doc[i];
        if (!entry.IsMap()) continue;
        const YAML::Node value = entry["value"];  // const lookup: no node is created
        if (value.IsDefined() && value.IsScalar()) out[i]["value"] = value.Scalar();
      }
    return out;
  } catch (const YAML::Exception& e) {
    return provider_error(provider_name, "\"" + path + "\" is neither YAML nor JSON: " + e.what());
  }
}

std::string value_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

}  // namespace

Result<std::vector<Item>> file_provider_items(const std::string& path,
                                              const std::string& provider_name) {
  auto text = read_text(path, provider_name);
  if (!text) return text.error();
  auto doc = parse_list_document(*text, path, provider_name);
  if (!doc) return doc.error();
  std::vector<Item> items;
  if (doc->is_null()) return items;  // an empty file holds no item
  if (!doc->is_array())
    return provider_error(provider_name, "\"" + path + "\" must hold a list of {key, value, priority}");
  for (size_t i = 0; i < doc->size(); ++i) {
    const auto& entry = (*doc)[i];
    std::string where = "\"" + path + "\" entry " + std::to_string(i + 1) + ": ";
    if (!entry.is_object()) return provider_error(provider_name, where + "not a mapping");
    auto key = entry.find("key");
    if (key == entry.end() || !key->is_string() || key->get<std::string>().empty())
      return provider_error(provider_name, where + "\"key\" must be a non-empty string");
    Item item{normalize_key(key->get<std::string>()), "", 0, provider_name};
    if (auto v = entry.find("value"); v != entry.end()) item.value = value_text(*v);
    if (auto p = entry.find("priority"); p != entry.end() && !p->is_null()) {
      if (!p->is_number_integer())
        return provider_error(provider_name, where + "\"priority\" must be an integer");
      item.priority = p->get<int64_t>();
    }
    items.push_back(std::move(item));
  }
  return items;
}

Result<std::vector<Item>> filelist_provider_items(const std::string& dir,
                                                  const std::string& provider_name) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return provider_error(provider_name, "\"" + dir + "\" is not a readable directory");
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code sec;
    if (fs::is_regular_file(it->path(), sec)) files.push_back(it->path().string());  // follows symlinks
  }
  if (ec) return provider_error(provider_name, "cannot list \"" + dir + "\": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<Item> items;
  for (const auto& f : files) {
    auto part = file_provider_items(f, provider_name);
    if (!part) return part.error();
    for (auto& item : *part) items.push_back(std::move(item));
  }
  return items;
}

}  // namespace utask::config

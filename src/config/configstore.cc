#include "config/configstore.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "config/providers.h"

namespace utask::config {

const char* const kConfigurationFromHelp =
    "set CONFIGURATION_FROM to a comma-separated list of providers, e.g. "
    "CONFIGURATION_FROM=file:config/dev.yaml (a YAML list of {key, value, priority}), "
    "CONFIGURATION_FROM=env:CFG (variables CFG_UTASK_CFG, CFG_DATABASE, ...) or "
    "CONFIGURATION_FROM=filetree:/etc/utask; known providers: env, file, filelist, filetree "
    "and file+refresh, filelist+refresh, filetree+refresh";

namespace {

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

Result<std::vector<Item>> run_provider(const std::string& name, const std::string& arg,
                                       const std::string& full_name, const Environment& env) {
  auto base = name;
  if (auto plus = base.find("+refresh"); plus != std::string::npos && plus + 8 == base.size())
    base.resize(plus);
  bool known = base == "file" || base == "filelist" || base == "filetree" ||
               (name == "env");  // env has no refresh variant
  if (!known)
    return Error::invalid_config("unknown configuration provider \"" + full_name +
                                     "\" in CONFIGURATION_FROM (known: env, file, filelist, "
                                     "filetree, file+refresh, filelist+refresh, filetree+refresh)",
                                 full_name);
  if (name == "env") return env_provider_items(arg, env, full_name);
  if (arg.empty())
    return Error::invalid_config("configuration provider \"" + full_name +
                                     "\" needs a path: write " + name + ":<path>",
                                 full_name);
  if (base == "file") return file_provider_items(arg, full_name);
  if (base == "filelist") return filelist_provider_items(arg, full_name);
  return filetree_provider_items(arg, full_name);
}

}  // namespace

Result<Configstore> Configstore::from_spec(std::string_view configuration_from,
                                           const Environment& env) {
  if (trim(configuration_from).empty())
    return Error::invalid_config(std::string("CONFIGURATION_FROM is not set: ") +
                                     kConfigurationFromHelp,
                                 "CONFIGURATION_FROM");
  Configstore store;
  std::string_view rest = configuration_from;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view entry = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (entry.empty()) continue;
    auto colon = entry.find(':');
    std::string name(trim(entry.substr(0, colon)));
    std::string arg(colon == std::string_view::npos ? std::string_view{} : trim(entry.substr(colon + 1)));
    std::string full_name = arg.empty() ? name : name + ":" + arg;
    auto items = run_provider(name, arg, full_name, env);
    if (!items) return items.error();
    auto added = store.add_provider(full_name, std::move(*items));
    if (!added) return added.error();
  }
  if (store.providers_.empty())
    return Error::invalid_config("CONFIGURATION_FROM is not set (it lists no provider): " +
                                     std::string(kConfigurationFromHelp),
                                 "CONFIGURATION_FROM");
  return store;
}

Result<void> Configstore::add_provider(std::string name, std::vector<Item> items) {
  for (const auto& p : providers_)
    if (p.name == name)
      return Error{ErrorCode::conflict,
                   "configuration provider \"" + name + "\" is registered twice", name};
  for (auto& item : items) {
    item.key = normalize_key(item.key);
    item.provider = name;
  }
  providers_.push_back(Provider{std::move(name), std::move(items)});
  return {};
}

std::vector<Item> Configstore::items(std::string_view key) const {
  std::string k = normalize_key(key);
  std::vector<Item> out;
  for (const auto& p : providers_)
    for (const auto& item : p.items)
      if (item.key == k) out.push_back(item);
  return out;
}

std::optional<Item> Configstore::read(std::string_view key, std::vector<std::string>* warnings) const {
  auto all = items(key);
  if (all.empty()) return std::nullopt;
  const Item* best = &all.front();
  size_t ties = 1;
  for (const auto& item : all) {
    if (&item == best) continue;
    if (item.priority > best->priority) {
      best = &item;
      ties = 1;
    } else if (item.priority == best->priority) {
      ++ties;
    }
  }
  if (ties > 1) {
    std::string msg = "configuration item \"" + best->key + "\": " + std::to_string(ties) +
                      " items share the highest priority " + std::to_string(best->priority) +
                      "; using the one from \"" + best->provider + "\" (first in order)";
    if (warnings != nullptr) warnings->push_back(std::move(msg));
    else spdlog::warn("{}", msg);
  }
  return *best;
}

std::vector<std::string> Configstore::keys() const {
  std::set<std::string> keys;
  for (const auto& p : providers_)
    for (const auto& item : p.items) keys.insert(item.key);
  return {keys.begin(), keys.end()};
}

}  // namespace utask::config

#pragma once
// The configstore (spec config.md §3): a flat bag of items gathered from named providers.
//
// Invariants: provider names are unique; providers keep their registration order, which is the
// tie-breaker when several items share the highest priority for a key ("first provider in
// CONFIGURATION_FROM order", then first item of that provider). Items are read once: nothing
// here re-reads a file later.
//
// Thread safety: none; build it at startup (CONFIGURATION_FROM, then init plugins), then share
// it read-only.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/environment.h"
#include "config/item.h"
#include "model/error.h"

namespace utask::config {

struct Provider {
  std::string name;  // "env:CFG", "file:config/dev.yaml", or the name an init plugin chose
  std::vector<Item> items;
};

class Configstore {
 public:
  // Registers the providers listed in `configuration_from` (comma-separated `name[:argument]`,
  // whitespace trimmed). Fails with a message naming the provider on an unknown name, a missing
  // path, an unreadable file or directory, or a provider listed twice. An empty (or blank)
  // `configuration_from` is an error explaining how to set CONFIGURATION_FROM.
  static Result<Configstore> from_spec(std::string_view configuration_from, const Environment& env);

  // Adds a provider after the existing ones (init plugins, tests). Item keys are normalised and
  // their `provider` set to `name`. Fails when `name` is already registered.
  Result<void> add_provider(std::string name, std::vector<Item> items);

  // Every item with `key` (normalised here), in provider order.
  std::vector<Item> items(std::string_view key) const;

  // "Reading item K": the first item of highest priority, or nullopt when none has that key.
  // A tie on the highest priority is resolved by order and reported: appended to `warnings`
  // when given (the caller then reports it), logged as a warning otherwise.
  std::optional<Item> read(std::string_view key, std::vector<std::string>* warnings = nullptr) const;

  // Distinct keys of all items, sorted.
  std::vector<std::string> keys() const;

  const std::vector<Provider>& providers() const { return providers_; }

 private:
  std::vector<Provider> providers_;
};

// How to set CONFIGURATION_FROM, for error messages.
extern const char* const kConfigurationFromHelp;

}  // namespace utask::config

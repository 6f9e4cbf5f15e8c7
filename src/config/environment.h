#pragma once
// The process environment as a value, so that configuration loading can be tested without
// touching the real environment (the `env` provider and CONFIGURATION_FROM read it).

#include <map>
#include <optional>
#include <string>

namespace utask::config {

using Environment = std::map<std::string, std::string>;

// A snapshot of the current process environment.
Environment process_environment();

// The value of `name` in `env`, or nullopt when unset.
std::optional<std::string> lookup(const Environment& env, const std::string& name);

}  // namespace utask::config

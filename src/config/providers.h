#pragma once
// Built-in configuration providers (spec config.md §3.1). Each returns the items it produces,
// in a stable order, or an error naming the provider. The `+refresh` variants read once: the
// core reads items only at startup, so re-reading would make no observable difference.

#include <string>
#include <string_view>
#include <vector>

#include "config/environment.h"
#include "config/item.h"
#include "model/error.h"

namespace utask::config {

// Priority of items from the `env` provider.
inline constexpr int64_t kEnvPriority = 15;
// Priorities of `filetree` items: 10 when the name starts with an upper-case letter, else 5.
inline constexpr int64_t kFileTreePriority = 5;
inline constexpr int64_t kFileTreeUpperPriority = 10;

// One item per variable whose normalised name starts with the normalised `prefix` followed by
// `-` (`CFG` matches `CFG_DATABASE` → key `database`); an empty prefix takes every variable.
std::vector<Item> env_provider_items(std::string_view prefix, const Environment& env,
                                     const std::string& provider_name);

// A YAML (or JSON) list of {key, value, priority}; priority defaults to 0. A value written as a
// mapping or a list (an extension) is stored as its JSON text.
Result<std::vector<Item>> file_provider_items(const std::string& path,
                                              const std::string& provider_name);

// Every regular file of `dir` (symlinks to files included, sub-directories ignored), in name
// order, read as a `file` provider.
Result<std::vector<Item>> filelist_provider_items(const std::string& dir,
                                                  const std::string& provider_name);

// One item per top-level file (key = file name, value = content verbatim, priority 5 or 10);
// a sub-directory D gives, for each file F in it, items `D` and `D/F`; deeper directories
// recurse with keys `D/E`, `D/E/F`.
Result<std::vector<Item>> filetree_provider_items(const std::string& dir,
                                                  const std::string& provider_name);

}  // namespace utask::config

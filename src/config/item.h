#pragma once
// A configuration item: the unit of the configstore model (spec config.md §3).

#include <cstdint>
#include <string>
#include <string_view>

namespace utask::config {

struct Item {
  std::string key;       // normalised (see normalize_key)
  std::string value;     // opaque text, often JSON
  int64_t priority = 0;  // the highest priority wins among items sharing a key
  std::string provider;  // the provider that produced it, e.g. "file:config/dev.yaml"
};

// Lower case, `_` replaced by `-`: `CFG_UTASK_CFG` and `Utask-Cfg` both give `cfg-utask-cfg`
// and `utask-cfg`. Keys compare equal only after this.
std::string normalize_key(std::string_view key);

}  // namespace utask::config

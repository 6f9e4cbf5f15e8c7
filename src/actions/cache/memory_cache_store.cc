#include "actions/cache/memory_cache_store.h"

namespace utask::actions {

Result<void> MemoryCacheStore::put(const std::string& key, const CacheEntry& entry) {
  std::lock_guard lock(mutex_);
  entries_[key] = entry;
  return {};
}

Result<std::optional<CacheEntry>> MemoryCacheStore::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::optional<CacheEntry>{};
  return std::optional<CacheEntry>{it->second};
}

Result<void> MemoryCacheStore::erase(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
  return {};
}

Result<size_t> MemoryCacheStore::purge_expired(CacheTime now) {
  std::lock_guard lock(mutex_);
  size_t purged = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.expires_at && *it->second.expires_at < now) {
      it = entries_.erase(it);
      ++purged;
    } else {
      ++it;
    }
  }
  return purged;
}

}  // namespace utask::actions

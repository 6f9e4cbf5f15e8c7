#pragma once
// A CacheStore in process memory: the cache of one `utask run`, and of tests.

#include <map>
#include <mutex>

#include "actions/cache/cache_store.h"

namespace utask::actions {

class MemoryCacheStore final : public CacheStore {
 public:
  Result<void> put(const std::string& key, const CacheEntry& entry) override;
  Result<std::optional<CacheEntry>> get(const std::string& key) override;
  Result<void> erase(const std::string& key) override;
  Result<size_t> purge_expired(CacheTime now) override;

 private:
  std::mutex mutex_;
  std::map<std::string, CacheEntry> entries_;  // guarded by mutex_
};

}  // namespace utask::actions

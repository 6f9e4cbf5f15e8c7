#pragma once
// The cache action's entries in the database (actions.md §16): an actions::CacheStore over
// Store's cache table, so every instance on one database shares them. Built before the store
// is open (the registry is), attached once it is.
//
// Thread safety: every method may be called concurrently once attached.

#include <atomic>

#include "actions/cache/cache_store.h"
#include "persistence/store.h"

namespace utask::service {

class StoreCache final : public actions::CacheStore {
 public:
  // REQUIRES: `store` outlives every call. Before it, calls fail with transient.
  void attach(persistence::Store* store) { store_.store(store); }

  Result<void> put(const std::string& key, const actions::CacheEntry& entry) override;
  Result<std::optional<actions::CacheEntry>> get(const std::string& key) override;
  Result<void> erase(const std::string& key) override;
  Result<size_t> purge_expired(actions::CacheTime now) override;

 private:
  Result<persistence::Store*> store() const;

  std::atomic<persistence::Store*> store_{nullptr};
};

}  // namespace utask::service

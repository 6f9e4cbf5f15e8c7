#pragma once
// CacheStore: where `cache` keeps its entries (actions.md §16: the `cache` table — key,
// value as JSON text, optional expiry). The service layer provides one over the database;
// MemoryCacheStore (memory_cache_store.h) serves `utask run` and tests.
//
// Thread safety: called concurrently from I/O threads; implementations are reentrant.
// Errors: transient (the database failed, retrying may succeed) or internal.

#include <chrono>
#include <optional>
#include <string>

#include "model/error.h"

namespace utask::actions {

using CacheTime = std::chrono::sys_time<std::chrono::microseconds>;

struct CacheEntry {
  std::string value;  // JSON text as stored
  std::optional<CacheTime> expires_at;
};

class CacheStore {
 public:
  virtual ~CacheStore() = default;
  // Insert or replace (value and expiry).
  virtual Result<void> put(const std::string& key, const CacheEntry& entry) = 0;
  // The entry as stored, expired or not; nullopt when absent.
  virtual Result<std::optional<CacheEntry>> get(const std::string& key) = 0;
  // No error when absent.
  virtual Result<void> erase(const std::string& key) = 0;
  // Deletes the entries whose expiry is before `now` (start-up purge); how many.
  virtual Result<size_t> purge_expired(CacheTime now) = 0;
};

}  // namespace utask::actions

#include "service/store_cache.h"

namespace utask::service {

Result<persistence::Store*> StoreCache::store() const {
  persistence::Store* s = store_.load();
  if (!s) return Error{ErrorCode::transient, "the cache's database is not open yet", {}};
  return s;
}

Result<void> StoreCache::put(const std::string& key, const actions::CacheEntry& entry) {
  auto s = store();
  if (!s) return s.error();
  return (*s)->cache_put(key, persistence::CacheRow{entry.value, entry.expires_at});
}

Result<std::optional<actions::CacheEntry>> StoreCache::get(const std::string& key) {
  auto s = store();
  if (!s) return s.error();
  auto row = (*s)->cache_get(key);
  if (!row) return row.error();
  if (!*row) return std::optional<actions::CacheEntry>();
  return std::optional<actions::CacheEntry>(
      actions::CacheEntry{std::move((*row)->value_json), (*row)->expires_at});
}

Result<void> StoreCache::erase(const std::string& key) {
  auto s = store();
  if (!s) return s.error();
  return (*s)->cache_erase(key);
}

Result<size_t> StoreCache::purge_expired(actions::CacheTime now) {
  auto s = store();
  if (!s) return s.error();
  auto n = (*s)->cache_purge_expired(now);
  if (!n) return n.error();
  return static_cast<size_t>(*n);
}

}  // namespace utask::service

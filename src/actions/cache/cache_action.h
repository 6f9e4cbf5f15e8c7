#pragma once
// `cache` (actions.md §16): a key/value store shared by every task (not encrypted: keep no
// secret in it), with optional expiry. `set` upserts, `get` answers hit or miss (an expired
// entry is deleted and answered as a miss), `delete` removes.

#include <functional>
#include <memory>

#include "actions/action.h"
#include "actions/cache/cache_store.h"

namespace utask::actions {

class CacheAction final : public Action {
 public:
  // `store`: null when the process has none (the step then fails with a server error).
  explicit CacheAction(std::shared_ptr<CacheStore> store,
                       std::function<CacheTime()> clock = nullptr);
  std::string_view name() const override { return "cache"; }
  std::string_view version() const override { return "0.1"; }

  // `action` (string: set, get or delete, case-sensitive — `invalid action "<a>": expected
  // "set", "get", or "delete"`), `key` (string, non-empty — `missing required parameter
  // "key"`), `value` (any), `ttl` (a JSON number of seconds; a string fails decoding).
  Result<void> validate(const Json& base, const Json& configuration) const override;

  // Output {key, cached: true} / {key, hit, value} / {key, deleted: true}; metadata null.
  // Store failures and a stored value that is not JSON are server errors.
  ActionResult execute(const ExecutionRequest& request) const override;

 private:
  std::shared_ptr<CacheStore> store_;
  std::function<CacheTime()> clock_;
};

}  // namespace utask::actions

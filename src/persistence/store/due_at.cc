#include "persistence/store/due_at.h"

#include <algorithm>

namespace utask::persistence {

bool is_autorun_state(const std::string& state) { return state == "TO_AUTORUN"; }

bool is_retry_state(const std::string& state) {
  return state == "ERROR" || state == "TO_AUTORUN_DELAYED" || state == "WAITING";
}

bool is_recovery_state(const std::string& state) {
  return state == "RUNNING" || state == "CRASHED";
}

std::optional<Timestamp> compute_due_at(const DueAtInputs& in) {
  if (in.leased) return in.lease_expires;
  if (is_autorun_state(in.state)) return in.created;
  if (is_recovery_state(in.state)) return in.now;  // its run ended without a release
  if (in.state == "WAITING") {
    // Only a next_retry set within the last run counts: an older one is stale.
    std::optional<Timestamp> retry;
    if (in.next_retry && (!in.last_start || *in.next_retry > *in.last_start)) {
      retry = in.next_retry;
    }
    if (in.woken) return retry ? std::min(*retry, in.now) : in.now;
    return retry;
  }
  if (is_retry_state(in.state)) {  // ERROR, TO_AUTORUN_DELAYED
    const Timestamp retry = in.next_retry.value_or(in.now);
    return in.woken ? std::min(retry, in.now) : retry;
  }
  return std::nullopt;  // TODO, PAUSED, BLOCKED_*, DONE, CANCELLED, custom states
}

std::optional<Timestamp> next_retry_after_write(const std::optional<Timestamp>& stored,
                                                Timestamp proposed,
                                                const std::optional<Timestamp>& last_start) {
  if (!last_start) return proposed;
  if (proposed <= *last_start) return stored;
  if (!stored || *stored <= *last_start || proposed < *stored) return proposed;
  return stored;
}

ClaimReason claim_reason(const std::string& state, bool was_leased, bool woken) {
  if (was_leased || is_recovery_state(state)) return ClaimReason::recovery;
  if (is_autorun_state(state)) return ClaimReason::autorun;
  if (woken) return ClaimReason::wake;
  return ClaimReason::retry;
}

}  // namespace utask::persistence

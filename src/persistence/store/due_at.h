#pragma once
// When a resolution becomes claimable (docs/storage.md §4.2) and why claim_next() picked it.
// One function for both backends: every write of a resolution row stores the due_at it
// returns; claim_next() takes the smallest due_at <= now. The engine never writes due_at.

#include <optional>
#include <string>

#include "persistence/records.h"

namespace utask::persistence {

// The row's columns after the write, as the table of §4.2 needs them.
struct DueAtInputs {
  std::string state;                       // the resolution state
  bool leased = false;                     // lease_instance is set (live or expired)
  std::optional<Timestamp> lease_expires;  // REQUIRES: set when leased
  Timestamp created{};
  std::optional<Timestamp> next_retry;
  std::optional<Timestamp> last_start;
  bool woken = false;  // a wake-up no run has seen yet (wake_seq > wake_seq_seen, or at
                       // release wake_seq > lease.wake_seq)
  Timestamp now{};
};

// nullopt: never claimable (TODO, PAUSED, BLOCKED_*, DONE, CANCELLED, a WAITING row with
// nothing to wait for). Leased: lease_expires, so an expired lease is recovered.
std::optional<Timestamp> compute_due_at(const DueAtInputs& in);

// The reason of a claim, from the row as it was before claiming: an expired lease or a
// RUNNING/CRASHED row is a recovery; TO_AUTORUN is an autorun; a pending wake-up is a wake;
// the rest (ERROR, TO_AUTORUN_DELAYED, WAITING past next_retry) a retry.
ClaimReason claim_reason(const std::string& state, bool was_leased, bool woken);

// The next_retry a write under a lease leaves (engine.md §10.3, docs/storage.md §4.2): within
// a run, next_retry only moves earlier. `proposed` is kept when it is after `last_start` (the
// run's start; unset = no run window, so it is kept) and the stored value is unset, stale
// (<= last_start) or later; otherwise the stored value stays.
std::optional<Timestamp> next_retry_after_write(const std::optional<Timestamp>& stored,
                                                Timestamp proposed,
                                                const std::optional<Timestamp>& last_start);

// The states §4.2 makes claimable, per ClaimKinds member (SQL lists and the reason agree).
bool is_autorun_state(const std::string& state);   // TO_AUTORUN
bool is_retry_state(const std::string& state);     // ERROR, TO_AUTORUN_DELAYED, WAITING
bool is_recovery_state(const std::string& state);  // RUNNING, CRASHED

}  // namespace utask::persistence

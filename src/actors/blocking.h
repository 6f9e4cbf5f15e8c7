#pragma once
// Runs blocking work off the scheduler and resumes the actor with its result:
//
//   run_blocking(self, pool, [store] { return store->claim_next(id, kinds); },
//                [self](Result<std::optional<Claim>> claim) { ... runs inside the actor ... });
//
// The result travels as a Continuation message, so `then` runs in the actor's context, one
// message at a time like any handler. If the actor is gone when the work ends, the message is
// dropped and `then` never runs (it must not own anything that needs a destructor run on
// the actor's thread). REQUIRES: the actor's behaviour handles (continue_atom, Continuation&)
// by calling the continuation (see handle_continuation below).

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include <memory>
#include <utility>

#include "actors/io_pool.h"
#include "actors/messages.h"

namespace utask::actors {

template <class Self, class Work, class Then>
void run_blocking(Self* self, IoPool& pool, Work work, Then then) {
  auto handle = caf::actor_cast<caf::actor>(self);
  pool.post([handle, work = std::move(work), then = std::move(then)]() mutable {
    // shared_ptr: Continuation must be copyable, the result may not be.
    auto result = std::make_shared<decltype(work())>(work());
    caf::anon_send(handle, continue_atom::value,
                   Continuation([then = std::move(then), result]() mutable {
                     then(std::move(*result));
                   }));
  });
}

// The handler every actor using run_blocking adds to its behaviour.
inline auto handle_continuation() {
  return [](continue_atom, Continuation& next) { next(); };
}

}  // namespace utask::actors

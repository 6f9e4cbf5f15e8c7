#pragma once
// The messages actors exchange (CAF 0.17 atoms and types). Included only by src/actors/*.cc.

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include <functional>

#include "model/error.h"

namespace utask::actors {

// Code to run inside an actor, sent back by blocking work when it finishes (blocking.h).
// Local only: never serialised, so CAF may carry it unchecked.
using Continuation = std::function<void()>;

// Told the outcome of an explicit run's start phase (Runtime::run_now).
using StartCallback = std::function<void(Result<void>)>;
// Told when the supervisor has stopped (Runtime::shutdown).
using DoneCallback = std::function<void()>;

using continue_atom = caf::atom_constant<caf::atom("continue")>;
using poll_atom = caf::atom_constant<caf::atom("poll")>;          // supervisor: try to claim
using wake_atom = caf::atom_constant<caf::atom("wake")>;          // supervisor: work was created
using run_atom = caf::atom_constant<caf::atom("run")>;            // explicit run of a resolution
using heartbeat_atom = caf::atom_constant<caf::atom("heartbeat")>;
using gc_atom = caf::atom_constant<caf::atom("gc")>;
using lease_lost_atom = caf::atom_constant<caf::atom("leaselost")>;
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;
using start_atom = caf::atom_constant<caf::atom("start")>;
using count_atom = caf::atom_constant<caf::atom("count")>;      // supervisor: runs held
using result_atom = caf::atom_constant<caf::atom("result")>;     // step actor → task actor

}  // namespace utask::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(utask::actors::Continuation)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(utask::actors::StartCallback)

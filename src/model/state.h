#pragma once
// Step and resolution state names. States are strings in templates, storage and the API
// (custom states are free strings), so the model keeps them as strings and this file is the
// one table of the builtin names and their properties (STYLE §7: one name table per enum).

#include <string_view>

namespace utask::model::state {

// Step states (engine.md §3.5).
inline constexpr std::string_view kTodo = "TODO";
inline constexpr std::string_view kRunning = "RUNNING";
inline constexpr std::string_view kDone = "DONE";
inline constexpr std::string_view kClientError = "CLIENT_ERROR";
inline constexpr std::string_view kServerError = "SERVER_ERROR";
inline constexpr std::string_view kFatalError = "FATAL_ERROR";
inline constexpr std::string_view kCrashed = "CRASHED";
inline constexpr std::string_view kPrune = "PRUNE";
inline constexpr std::string_view kToRetry = "TO_RETRY";
inline constexpr std::string_view kRetryNow = "RETRY_NOW";
inline constexpr std::string_view kAfterrunError = "AFTERRUN_ERROR";
inline constexpr std::string_view kExpanded = "EXPANDED";
inline constexpr std::string_view kWaiting = "WAITING";
inline constexpr std::string_view kAny = "ANY";  // only in dependencies

// The reserved names, in the order the original lists them in its error message.
inline constexpr std::string_view kReservedStepStates[] = {
    kTodo, kWaiting, kRunning, kDone, kClientError, kServerError, kFatalError,
    kCrashed, kPrune, kToRetry, kRetryNow, kAfterrunError, kAny, kExpanded};

// States a condition's `then` may assign besides the target's custom states (engine.md §2.3).
inline constexpr std::string_view kConditionAssignableStates[] = {
    kDone, kPrune, kToRetry, kRetryNow, kFatalError, kClientError};

bool is_reserved_step_state(std::string_view s);

// Runnable: may be (re)dispatched (TODO, error states, TO_RETRY, ...). Final: neither running
// nor runnable (DONE, PRUNE, custom states).
bool is_runnable_step_state(std::string_view s);
bool is_final_step_state(std::string_view s);

}  // namespace utask::model::state

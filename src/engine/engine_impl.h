#pragma once
// Internal to the engine: the state behind ResolutionEngine. dispatch.cc holds §4.5–§4.7
// (what to start and how), reception.cc §4.8 (what a result changes), resolution_engine.cc
// the façade's calls.
//
// Invariant: receptions are processed in order, one at a time (drain()); dispatch() may
// queue more receptions and executions but never processes them itself.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/cycle.h"
#include "engine/execution.h"
#include "engine/resolution_engine.h"
#include "engine/step_execution.h"

namespace utask::engine {

struct ResolutionEngine::Impl {
  Impl(ResolutionState& resolution, EngineContext context)
      : ctx(std::move(context)), cycle(resolution, ctx) {}

  // A result to receive (§4.8): a step copy coming back from the pipeline, or (no
  // replacement) a foreach parent announcing its own dispatch.
  struct Reception {
    std::string name;
    std::optional<StepState> replacement;
  };
  struct Flight {
    StepInFlight in;
    Execution::Phase phase = Execution::Phase::main;
  };

  EngineContext ctx;
  Cycle cycle;
  bool begun = false;
  bool first_pass_done = false;
  bool waiting_recheck_done = false;
  bool shutting_down = false;
  uint64_t next_id = 1;
  std::deque<Reception> receptions;
  std::map<uint64_t, Flight> flights;  // built executions, handed out or not
  std::vector<Execution> ready;        // built, not handed out yet
  std::set<uint64_t> handed_out;

  const Json* item_of(const StepState& s) const { return s.is_child ? &s.item : nullptr; }

  // dispatch.cc
  // One or more passes (§4.6): the eligible steps among the dependents of `modified` (every
  // step when empty) are started; a pass that changed steps (skip conditions) or expanded a
  // foreach runs another one. Does nothing while shutting down.
  void dispatch(std::set<std::string> modified);
  void dispatch_foreach(const std::string& name, std::set<std::string>& changed,
                        std::set<std::string>& new_children, bool& expanded);
  void dispatch_regular(const std::string& name, std::set<std::string>& changed);
  BuildInput build_input(const StepState& c, const model::Action* action, std::string base);
  // Builds the main execution against the flight's snapshot, or fails the step (FATAL_ERROR).
  void build_main(Flight f, bool with_delay);
  void enqueue(Execution e, Flight f);
  void fail_step(StepState c, std::string error);
  // Queues a step copy for reception (a result that needs no action call).
  void receive_later(StepState c);

  // reception.cc
  // Receives every queued result, in order; receptions may queue more.
  void drain();
  void receive(Reception r);

  // resolution_engine.cc
  std::vector<Execution> hand_out();
  Result<Flight> take(uint64_t id);
};

}  // namespace utask::engine

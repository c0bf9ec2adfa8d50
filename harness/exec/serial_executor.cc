// The serial executor: whole operations, one at a time, in an order the
// schedule's decisions choose, each compared with the oracle at once.
//
// Because nothing overlaps, the first operation whose result differs from
// the oracle is the bug: the executor stops there and names it, which makes
// this the fastest way to find sequential faults (growth, overflow, erase
// bookkeeping, counting). A liveness fault still shows: the policy counts
// scheduling points per operation, and an operation that passes more than
// the step budget of them is aborted and reported as hung.

#include <memory>
#include <mutex>
#include <string>

#include "harness/exec/executor.h"
#include "harness/exec/internal/abort.h"
#include "harness/exec/internal/decision_source.h"
#include "harness/exec/internal/executors.h"
#include "harness/exec/internal/run_operation.h"
#include "harness/exec/internal/tophash_adapter.h"
#include "harness/exec/internal/watchdog.h"
#include "harness/exec/oracle.h"

namespace thfuzz::exec_internal {
namespace {

struct SerialState {
  uint64_t step_budget = 0;
  uint64_t steps_this_op = 0;
  uint64_t steps_total = 0;
  size_t thread = 0;  // the logical thread whose operation runs
  Heartbeat heartbeat = {};
};

// No interleaving to control: point() only counts, to catch endless waits.
class SerialPolicy : public tophash::StdAtomics {
 public:
  using Mutex = std::mutex;

  SerialPolicy(SerialState* state, tophash::Fault fault)
      : state_(state), fault_(fault) {}

  void point(tophash::Site site, const void* = nullptr) {
    state_->heartbeat.Pass(state_->thread, site);
    ++state_->steps_total;
    if (++state_->steps_this_op > state_->step_budget) throw ExecutionAborted{};
  }
  bool enabled(tophash::Fault fault) const { return fault == fault_; }
  void* allocate(size_t bytes) {
    return ::operator new (bytes, std::align_val_t{64});
  }
  void deallocate(void* block, size_t) noexcept {
    ::operator delete (block, std::align_val_t{64});
  }

 private:
  SerialState* state_;
  tophash::Fault fault_;
};

std::string Describe(const Event& event) { return PrintEvent(event); }

Violation Mismatch(ViolationKind kind, size_t event_index, const Event& got,
                   const std::string& expected) {
  Violation violation;
  violation.kind = kind;
  if (IsSingleKey(got.kind)) violation.key = got.key;
  violation.summary = Describe(got) + ", but the oracle " + expected;
  violation.events = {event_index};
  return violation;
}

// Compares one operation's result with the oracle's result for it.
std::optional<Violation> CompareWithOracle(const Event& got,
                                           const Event& expected,
                                           size_t event_index) {
  std::string absent = "has no k" + std::to_string(got.key);
  std::string present = "has k" + std::to_string(got.key);
  switch (got.kind) {
    case OpKind::kFind:
      if (got.ok && !expected.ok) {
        return Mismatch(ViolationKind::kGhostRead, event_index, got, absent);
      }
      if (!got.ok && expected.ok) {
        return Mismatch(ViolationKind::kLostKey, event_index, got, present);
      }
      if (got.ok && got.out != expected.out) {
        return Mismatch(ViolationKind::kGhostRead, event_index, got,
                        "holds " + StampLabel(expected.out, got.key));
      }
      return std::nullopt;
    case OpKind::kInsert:
    case OpKind::kErase: {
      if (got.ok == expected.ok) return std::nullopt;
      // insert() true or erase() false means the map did not see the key.
      bool map_saw_key = (got.kind == OpKind::kInsert) ? !got.ok : got.ok;
      return map_saw_key
                 ? Mismatch(ViolationKind::kGhostRead, event_index, got, absent)
                 : Mismatch(ViolationKind::kLostKey, event_index, got, present);
    }
    case OpKind::kSize:
      if (got.size == expected.size) return std::nullopt;
      return Mismatch(ViolationKind::kWrongSize, event_index, got,
                      "holds " + std::to_string(expected.size) + " entries");
    default:
      return std::nullopt;
  }
}

std::string PrintFinalState(const History& history) {
  History contents_only;
  contents_only.has_final_state = true;
  contents_only.final_state = history.final_state;
  return PrintHistory(contents_only);
}

std::optional<Violation> CompareFinalStates(const History& got,
                                            const History& expected) {
  if (got.final_state == expected.final_state) return std::nullopt;
  Violation violation;
  violation.kind = ViolationKind::kBadFinalState;
  violation.summary = "the map's final contents differ from the oracle's";
  violation.explanation = "map:    " + PrintFinalState(got) +
                          "oracle: " + PrintFinalState(expected);
  return violation;
}

}  // namespace

Execution RunSerial(const Schedule& schedule, const RunOptions& options) {
  SerialState state{.step_budget = options.step_budget};
  std::unique_ptr<MapAdapter> map = MakeMap(options, [&] {
    return std::make_unique<TophashAdapter<SerialPolicy>>(
        schedule, SerialPolicy(&state, options.fault));
  });
  WatchdogGuard watchdog(schedule, options, {&state.heartbeat});
  state.heartbeat.SetBusy(true);
  std::unique_ptr<MapAdapter> oracle = MakeOracle();
  Execution execution;
  History& history = execution.history;
  std::vector<size_t> next_op(schedule.threads.size(), 0);
  DecisionSource decisions(schedule.decisions, schedule.seed);
  uint64_t clock = 0;

  for (;;) {
    std::vector<uint8_t> ready;
    for (size_t t = 0; t < schedule.threads.size(); ++t) {
      if (next_op[t] < schedule.threads[t].size()) ready.push_back(t);
    }
    if (ready.empty()) break;
    uint8_t thread = ready[decisions.Pick(ready.size())];
    Event event = MakeEvent(schedule, thread, next_op[thread]);
    state.thread = thread;
    state.heartbeat.StartOperation(thread, next_op[thread]++);
    event.invoke = ++clock;
    state.steps_this_op = 0;
    try {
      ApplyToMap(*map, event);
    } catch (const ExecutionAborted&) {
      event.completed = false;
      history.events.push_back(event);
      Violation hung;
      hung.kind = ViolationKind::kLiveness;
      hung.key = event.key;
      hung.summary = PrintEvent(event) + " passed " +
                     std::to_string(options.step_budget) +
                     " scheduling points without returning";
      hung.events = {history.events.size() - 1};
      hung.offending = history.events.size() - 1;
      execution.violation = hung;
      execution.steps = state.steps_total;
      return execution;
    }
    event.response = ++clock;
    Event expected = event;
    ApplyToMap(*oracle, expected);
    history.events.push_back(event);
    size_t index = history.events.size() - 1;
    KeepFirst(execution.violation, CheckEventRead(schedule, event));
    KeepFirst(execution.violation, CompareWithOracle(event, expected, index));
    if (execution.violation) {
      execution.violation->events = {index};
      execution.violation->offending = index;
      execution.steps = state.steps_total;
      return execution;
    }
  }
  KeepFirst(execution.violation, RecordFinalState(*map, schedule, history));
  History oracle_final;
  RecordFinalState(*oracle, schedule, oracle_final);
  KeepFirst(execution.violation, CompareFinalStates(history, oracle_final));
  execution.steps = state.steps_total;
  return execution;
}

}  // namespace thfuzz::exec_internal

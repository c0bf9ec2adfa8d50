// Events from schedule operations, their reads checked, and the final
// snapshot.

#include "harness/exec/internal/run_operation.h"

#include <algorithm>
#include <string>

#include "harness/exec/internal/read_check.h"
#include "harness/key_space.h"

namespace thfuzz::exec_internal {

Event MakeEvent(const Schedule& schedule, uint8_t thread, uint16_t index) {
  const Operation& op = schedule.threads[thread][index];
  Event event;
  event.thread = thread;
  event.index = index;
  event.kind = op.kind;
  event.amount = op.amount;
  if (IsSingleKey(op.kind)) event.key = KeyFor(op.key);
  if (IsWrite(op.kind)) event.value = MakeStamp(event.key, thread, index);
  return event;
}

std::optional<Violation> CheckEventRead(const Schedule& schedule,
                                        const Event& event) {
  if (event.kind != OpKind::kFind || !event.completed || !event.ok) {
    return std::nullopt;
  }
  std::string what = "T" + std::to_string(event.thread) + "#" +
                     std::to_string(event.index) + " find k" +
                     std::to_string(event.key);
  return CheckRead(schedule, event.key, event.out, what);
}

std::optional<Violation> CheckReads(const Schedule& schedule,
                                    const History& history) {
  for (size_t i = 0; i < history.events.size(); ++i) {
    std::optional<Violation> bad = CheckEventRead(schedule, history.events[i]);
    if (!bad) continue;
    bad->events = {i};
    bad->offending = i;
    return bad;
  }
  return std::nullopt;
}

std::optional<Violation> RecordFinalState(MapAdapter& map,
                                          const Schedule& schedule,
                                          History& history) {
  history.has_final_state = true;
  history.final_state.clear();
  map.ForEach([&](uint64_t key, const Stamp& value) {
    history.final_state.emplace_back(key, value);
  });
  std::sort(history.final_state.begin(), history.final_state.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  history.invariant_report = map.CheckInvariants();

  std::optional<Violation> first;
  for (const auto& [key, value] : history.final_state) {
    KeepFirst(first,
              CheckRead(schedule, key, value,
                        "the final snapshot of k" + std::to_string(key)));
  }
  if (!history.invariant_report.empty()) {
    Violation broken;
    broken.kind = ViolationKind::kInvariantFailure;
    broken.summary = "check_invariants() failed after the execution";
    broken.explanation = history.invariant_report;
    KeepFirst(first, std::move(broken));
  }
  return first;
}

Violation HungViolation(const History& history, std::string summary) {
  Violation violation;
  violation.kind = ViolationKind::kLiveness;
  violation.summary = std::move(summary);
  for (size_t i = 0; i < history.events.size(); ++i) {
    const Event& event = history.events[i];
    if (event.completed) continue;
    if (!violation.offending) violation.offending = i;
    violation.events.push_back(i);
    if (!violation.key && IsSingleKey(event.kind)) violation.key = event.key;
    violation.explanation += PrintEvent(event) + "\n";
  }
  return violation;
}

}  // namespace thfuzz::exec_internal

// What every executor does around one operation and after the last one:
// turn a schedule operation into an Event, check what it read (applying it
// to a map adapter is ApplyToMap(), adapter.h), and take the quiescent
// snapshot at the end.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_RUN_OPERATION_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_RUN_OPERATION_H_

#include <cstdint>
#include <optional>

#include "harness/exec/adapter.h"
#include "harness/history.h"
#include "harness/schedule.h"
#include "harness/violation.h"

namespace thfuzz::exec_internal {

// The event for thread `thread`'s operation `index`, with its arguments (the
// key, the stamp it writes) filled in and no result yet.
Event MakeEvent(const Schedule& schedule, uint8_t thread, uint16_t index);

// Checks a completed find's value; nullopt if legitimate.
std::optional<Violation> CheckEventRead(const Schedule& schedule,
                                        const Event& event);
// The first find of `history` whose value is not legitimate, as a violation
// that names it (events and offending); nullopt if every value is.
std::optional<Violation> CheckReads(const Schedule& schedule,
                                    const History& history);

// Records the quiescent contents and invariant report into `history`, and
// returns the first problem found there (an illegitimate value in the map,
// or a broken invariant). Call only when no thread runs.
std::optional<Violation> RecordFinalState(MapAdapter& map,
                                          const Schedule& schedule,
                                          History& history);

// The liveness violation of an execution that was declared hung: `summary`
// says why, and every operation that never returned is listed.
Violation HungViolation(const History& history, std::string summary);

// Keeps the first violation: later ones are usually consequences of it.
inline void KeepFirst(std::optional<Violation>& first,
                      std::optional<Violation> next) {
  if (!first && next) first = std::move(next);
}

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_RUN_OPERATION_H_

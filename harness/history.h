// History: what one execution of a schedule did, as the checker sees it.
//
// Each operation becomes an Event with its invocation and response times on
// one logical clock (the stress executor's global counter, the controlled
// executor's scheduler steps, the serial executor's operation count); two
// events overlap in real time exactly when their [invoke, response] intervals
// do. An event whose thread was aborted (a liveness failure) has no response.
// After every thread finishes, the executor records a quiescent snapshot of
// the map and the result of its check_invariants().
//
// PrintHistory() writes the compact, stable text form that reports and the
// history file format (HISTORY.md) build on; HistoryHash() is a hash of that
// form, used to prove that an execution is reproducible.

#ifndef THFUZZ_HARNESS_HISTORY_H_
#define THFUZZ_HARNESS_HISTORY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "harness/operation.h"
#include "harness/stamp.h"

namespace thfuzz {

struct Event {
  uint8_t thread = 0;  // logical thread index
  uint16_t index = 0;  // operation index within its thread
  OpKind kind = OpKind::kFind;
  uint64_t key = 0;       // 64-bit key; 0 for whole-map operations
  Stamp value;            // the stamp stored by insert / insert_or_assign
  uint32_t amount = 0;    // reserve()'s argument
  uint64_t invoke = 0;    // logical time of the call
  uint64_t response = 0;  // logical time of the return; > invoke
  bool completed = true;  // false: the call never returned
  // Results. find: ok = found, out = value read. insert: ok = inserted.
  // erase: ok = erased. size: size. insert_or_assign, clear, reserve: none.
  bool ok = false;
  Stamp out;
  uint64_t size = 0;

  friend bool operator==(const Event&, const Event&) = default;
};

struct History {
  std::vector<Event> events;  // ordered by invoke time
  // Quiescent contents after all threads finished, sorted by key.
  bool has_final_state = false;
  std::vector<std::pair<uint64_t, Stamp>> final_state;
  std::string invariant_report;  // check_invariants(); "" when sound

  friend bool operator==(const History&, const History&) = default;
};

// One line per event, then the final state and one "invariants:" line per
// line of the invariant report: the body of a history file (HISTORY.md),
// which ParseHistory() reads back exactly.
std::string PrintHistory(const History& history);
// One event in the same form, e.g. "T1 [4,9] find k3 -> ok T0#2".
std::string PrintEvent(const Event& event);
// The event's name in prose: "T1#0 find(k3)", "T0#2 size()".
std::string EventName(const Event& event);
uint64_t HistoryHash(const History& history);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_HISTORY_H_

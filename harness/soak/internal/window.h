// Window: the operations of one soak window between two quiescent cuts, as
// compact records, and what the checker and the minimizer make of them.
//
// A Record is 32 bytes: a value is never stored, because a valid stamp is
// rebuilt from its key, writer and sequence (stamp.h). A read whose value
// is no valid stamp of its key keeps the whole value in the window's
// `odd_reads` instead.
//
// WindowHistory() turns a window into a History the checker judges on its
// own: one setup insert per key present at the window's start (thread
// `setup_thread`, before every worker operation), the workers' operations
// by invoke time, and the contents read at the window's end as the final
// snapshot. CutSchedule() and CutHistory() shrink a violating window for
// the minimizer and for a replayable history file.

#ifndef THFUZZ_HARNESS_SOAK_INTERNAL_WINDOW_H_
#define THFUZZ_HARNESS_SOAK_INTERNAL_WINDOW_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/check/checker.h"
#include "harness/history.h"
#include "harness/operation.h"
#include "harness/schedule.h"
#include "harness/stamp.h"

namespace thfuzz::soak_internal {

struct Record {
  uint64_t invoke = 0;
  uint64_t response = 0;  // only when completed
  uint32_t sequence = 0;  // the worker's operation number: its stamp index
  // find ok: the read stamp's index (or, when `odd`, its place in
  // Window::odd_reads); reserve: the amount.
  uint32_t argument = 0;
  uint16_t key = 0;         // key index (KeyFor)
  uint8_t thread = 0;       // the worker
  uint8_t read_thread = 0;  // find ok: the read stamp's thread
  OpKind kind = OpKind::kFind;
  bool ok = false;
  bool completed = true;
  bool odd = false;  // find ok with a value that is no valid stamp
};
static_assert(sizeof(Record) <= 32, "records stay small");

using Contents = std::vector<std::pair<uint64_t, Stamp>>;  // sorted by key

struct Window {
  uint64_t index = 0;
  Contents start;           // read at the cut before it
  uint64_t setup_time = 0;  // the setup inserts' invoke; response + 1
  uint8_t setup_thread = 0;
  std::vector<Record> records;
  std::vector<Stamp> odd_reads;
  Contents end;  // read at the cut after it
  std::string invariant_report;
};

History WindowHistory(const Window& window);

// The events of `history` that lead up to event `anchor` (or to the end,
// when there is none): the latest worker events invoked before it returned,
// at most Schedule::kMaxTotalOps, kMaxOpsPerThread per thread and
// kMaxThreads threads (the anchor's thread first, then the busiest), as
// indices in invoke order. Setup events are left out: a schedule starts
// from an empty map.
std::vector<size_t> Neighbourhood(const History& history,
                                  std::optional<size_t> anchor,
                                  uint8_t setup_thread);

// Those events as a schedule on the map settings of `setup`.
Schedule CutSchedule(const History& history, const std::vector<size_t>& events,
                     const Schedule& setup);

// For a sequential fault: the worker events of `history` up to event
// `anchor` (or the end), the latest that fit Schedule's caps after a
// prefix, replayed one at a time in invoke order by the serial executor
// (lanes of kMaxOpsPerThread taken in turn; one 0 decision per choice).
// The prefix inserts, in key order, the keys present just before the first
// of them (the window's start contents, then every earlier event applied
// in invoke order), so that the map is not empty where the run's was not.
Schedule SerialCutSchedule(const History& history, std::optional<size_t> anchor,
                           uint8_t setup_thread, const Schedule& setup);

// A history that fails by itself: the events the checker's explanation
// names with the final snapshot of their keys (for a value the screen
// caught: that read alone), and for a failure outside the checker the
// neighbourhood with the invariant report.
History CutHistory(const History& window, const Violation& violation,
                   const std::vector<size_t>& neighbourhood);

}  // namespace thfuzz::soak_internal

#endif  // THFUZZ_HARNESS_SOAK_INTERNAL_WINDOW_H_

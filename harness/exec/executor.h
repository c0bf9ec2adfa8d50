// Executors: run a schedule against a map and record its history.
//
//   serial      whole operations, interleaved in an order the schedule's
//               decisions choose, each result compared with the oracle at
//               once; deterministic.
//   controlled  logical threads are fibers on one OS thread; the map's
//               scheduling points hand control to a scheduler that follows
//               the schedule's decision bytes, then PCT priorities seeded
//               from the schedule; deterministic; a step budget turns a
//               livelock into a liveness violation.
//   stress      real OS threads released together, with optional timing noise
//               at the map's scheduling points; not deterministic.
//
// Every executor checks each value it reads against its stamp (stamp.h) the
// moment it is read, and reports what it finds in Execution::violation; the
// linearizability checker (harness/check) judges the rest of the history.

#ifndef THFUZZ_HARNESS_EXEC_EXECUTOR_H_
#define THFUZZ_HARNESS_EXEC_EXECUTOR_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/history.h"
#include "harness/run_options.h"
#include "harness/schedule.h"
#include "harness/violation.h"

namespace thfuzz {

// Controlled executor with RunOptions::trace: one thing the scheduler did
// that a report should show, placed on the history's logical clock.
struct TraceEntry {
  enum class Kind : uint8_t {
    kSwitch,     // `thread` stopped at a scheduling point, `other` ran
    kStaleRead,  // `thread` loaded an older store than the newest (weak)
  };
  static constexpr uint8_t kNoThread = 0xff;

  Kind kind = Kind::kSwitch;
  // The clock's value when it happened: after the event whose invoke or
  // response has this time, before the next.
  uint64_t time = 0;
  uint8_t thread = 0;
  // kSwitch: the thread that ran next (kNoThread: none, the run was over or
  // hung). kStaleRead: the writer of the store read (kNoThread: memory as it
  // was before the run).
  uint8_t other = kNoThread;
  // "T1 paused before acquire load of bucket 0 tophash at map.h:372
  // (LookupOnce); T0 runs".
  std::string text;
};

struct Execution {
  History history;
  // A violation seen while running: a torn, foreign or phantom value, a
  // serial result that differs from the oracle, a liveness failure, a read
  // of freed memory. The checker is still worth running when this is empty.
  std::optional<Violation> violation;
  uint64_t steps = 0;             // scheduling points passed
  uint64_t context_switches = 0;  // controlled: switches between fibers
  // Controlled at weak granularity: loads the memory model answered, and
  // how many of them read an older store than the newest.
  uint64_t modelled_loads = 0;
  uint64_t stale_loads = 0;
  // With RunOptions::trace (controlled): what the scheduler did, in order,
  // at most kMaxTrace entries.
  static constexpr size_t kMaxTrace = 2000;
  std::vector<TraceEntry> trace;
};

// Runs `schedule` (which must be valid: ValidateSchedule() == "").
Execution Execute(const Schedule& schedule, const RunOptions& options);

// A thread trapped in a loop with no scheduling point (RunOptions::watchdog).
struct HangReport {
  Violation violation;  // kLiveness, naming the thread and its last point
  const Schedule& schedule;
  const RunOptions& options;
};
using HangHandler = std::function<void(const HangReport&)>;
// Installs the process-wide handler the watchdog calls, on its own thread,
// when an execution hangs; returns the previous one. The trapped thread
// cannot be unwound, so the process aborts when the handler returns: the
// handler saves what must be saved (the input, a report) or ends the process
// itself. Without a handler the watchdog prints the violation to stderr.
HangHandler SetHangHandler(HangHandler handler);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_EXEC_EXECUTOR_H_

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

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "harness/history.h"
#include "harness/schedule.h"
#include "harness/violation.h"
#include "tophash/policy.h"

namespace thfuzz {

enum class ExecutorKind : uint8_t { kSerial, kControlled, kStress };
enum class MapKind : uint8_t { kTophash, kOracle, kTbb, kCuckoo };

std::string_view ExecutorName(ExecutorKind kind);  // "serial", ...
std::optional<ExecutorKind> ParseExecutor(std::string_view name);
std::string_view MapKindName(
    MapKind kind);  // "tophash", "oracle", "tbb", "cuckoo"
std::optional<MapKind> ParseMapKind(std::string_view name);

struct RunOptions {
  ExecutorKind executor = ExecutorKind::kControlled;
  MapKind map = MapKind::kTophash;
  tophash::Fault fault = tophash::Fault::kNone;  // tophash map only
  // Controlled: scheduler steps for the whole execution. Serial and stress:
  // scheduling points one operation may pass before it counts as hung.
  uint64_t step_budget = 100000;
  // Stress: wall-clock limit for one execution before it counts as hung.
  std::chrono::milliseconds stress_timeout{2000};
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
};

// Runs `schedule` (which must be valid: ValidateSchedule() == "").
Execution Execute(const Schedule& schedule, const RunOptions& options);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_EXEC_EXECUTOR_H_

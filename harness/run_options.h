// RunOptions: how a schedule is run, namely by which executor, against which
// map, with which injected fault.
//
// Core types, because more than the executors name them: .sched headers
// (codec/), replay commands and report headers (pipeline/), regression files
// (minimize/) and the CLI's flags. Executor and map names come from
// the tables below (name_table.h); fault names from the map's own table
// (tophash::kFaults, faults.h).

#ifndef THFUZZ_HARNESS_RUN_OPTIONS_H_
#define THFUZZ_HARNESS_RUN_OPTIONS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "harness/name_table.h"
#include "harness/schedule.h"
#include "tophash/policy.h"

namespace thfuzz {

class MapAdapter;  // exec/adapter.h

enum class ExecutorKind : uint8_t { kSerial, kControlled, kStress };

inline constexpr NameRow<ExecutorKind> kExecutors[] = {
    {ExecutorKind::kSerial, "serial",
     "whole operations in a decision-chosen order, each checked against the "
     "oracle; deterministic"},
    {ExecutorKind::kControlled, "controlled",
     "fibers switched at the map's scheduling points by the decisions, then "
     "PCT; deterministic"},
    {ExecutorKind::kStress, "stress",
     "real threads released together, with timing noise; not deterministic"},
};
static_assert(InEnumOrder(kExecutors));

enum class MapKind : uint8_t { kTophash, kOracle, kTbb, kCuckoo };

inline constexpr NameRow<MapKind> kMapKinds[] = {
    {MapKind::kTophash, "tophash",
     "the production tophash map (the only one with faults)"},
    {MapKind::kOracle, "oracle",
     "absl::flat_hash_map behind a mutex (the harness's self-check)"},
    {MapKind::kTbb, "tbb", "tbb::concurrent_hash_map"},
    {MapKind::kCuckoo, "cuckoo", "libcuckoo's cuckoohash_map"},
};
static_assert(InEnumOrder(kMapKinds));

// "serial", "controlled", "stress".
inline std::string_view ExecutorName(ExecutorKind kind) {
  return NameIn(kExecutors, kind);
}
inline std::optional<ExecutorKind> ParseExecutor(std::string_view name) {
  return ParseIn(kExecutors, name);
}
// "tophash", "oracle", "tbb", "cuckoo".
inline std::string_view MapKindName(MapKind kind) {
  return NameIn(kMapKinds, kind);
}
inline std::optional<MapKind> ParseMapKind(std::string_view name) {
  return ParseIn(kMapKinds, name);
}

// Serial and controlled runs are functions of the schedule: the same input
// gives the same history, so one run decides and replays are exact.
inline bool IsDeterministic(ExecutorKind executor) {
  return executor != ExecutorKind::kStress;
}

struct RunOptions {
  ExecutorKind executor = ExecutorKind::kControlled;
  MapKind map = MapKind::kTophash;
  tophash::Fault fault = tophash::Fault::kNone;  // tophash map only
  // Controlled: scheduler steps for the whole execution. Serial and stress:
  // scheduling points one operation may pass before it counts as hung.
  uint64_t step_budget = 100000;
  // Stress: wall-clock limit for one execution before it counts as hung.
  std::chrono::milliseconds stress_timeout{2000};
  // Every executor: wall-clock time a thread inside an operation may spend
  // without reaching any scheduling point before the watchdog declares the
  // process hung (exec/executor.h, SetHangHandler()); zero turns it off.
  std::chrono::milliseconds watchdog{5000};
  // When set, the map under test (any executor; `map` is then ignored): how
  // a library user plugs in a map the harness has no adapter for.
  std::function<std::unique_ptr<MapAdapter>()> make_map = nullptr;
  // Controlled: record context switches and stale reads in
  // Execution::trace, naming each access (for reports; costs time).
  bool trace = false;
  // Controlled: the granularity to run at instead of the schedule's own
  // (Schedule::granularity), as --granularity and THFUZZ_GRANULARITY ask.
  std::optional<Granularity> granularity = std::nullopt;
  // Controlled: where to count concurrency events for the fuzzing engines
  // (exec/feedback_counters.h): empty (the default) records nothing;
  // otherwise exactly kConcurrencyCounters bytes, zeroed by the caller,
  // which the run only adds to. Recording never changes the execution.
  std::span<uint8_t> concurrency_counters;
};

// The granularity a controlled run of `schedule` under `options` uses.
inline Granularity EffectiveGranularity(const Schedule& schedule,
                                        const RunOptions& options) {
  return options.granularity.value_or(schedule.granularity);
}

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_RUN_OPTIONS_H_

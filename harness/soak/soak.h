// Soak: real threads against one map for minutes, with the history checked
// while it is recorded.
//
// RunSoak() starts `threads` workers that call find, insert,
// insert_or_assign, erase and (now and then) reserve on `keys` keys of one
// map, as fast as they can, each call stamped with a global clock like the
// stress executor's. The run is cut into windows of about `window_ops`
// operations at quiescent points: the workers pause between operations,
// the map's contents are read (ForEach, check_invariants), and the workers
// go on. Each window is then an independent history: it starts from the
// contents read at the previous cut (one setup insert per present key,
// before everything) and ends in the contents read at its own cut (its
// final snapshot). Every linearization of the whole run passes through
// those snapshots, so the run is linearizable exactly when each window is;
// a checker thread checks window i while the workers fill window i+1. At
// most two windows wait for the checker (the workers wait otherwise), so
// memory stays flat however long the run.
//
// Size and clear are left out: they need the whole-map search, which does
// not scale to windows of this length.
//
// The run stops at the first violation (a value read that is no valid
// stamp of its key, a checker violation, broken invariants at a cut, or an
// operation that runs longer than `op_timeout`). The finding carries the
// window's history, the checker's result, a cut-down history that fails on
// its own (the explained sub-history) and the last operations before the
// violation as a Schedule within the schedule caps, for the minimizer
// (harness/minimize). A window the checker cannot decide in its budget is
// counted as unknown and the run goes on.

#ifndef THFUZZ_HARNESS_SOAK_SOAK_H_
#define THFUZZ_HARNESS_SOAK_SOAK_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "harness/check/checker.h"
#include "harness/history.h"
#include "harness/run_options.h"
#include "harness/schedule.h"
#include "harness/violation.h"
#include "tophash/policy.h"

namespace thfuzz {

// The checker's budget for one window: a tenth of the default memo table,
// so that an undecidable window cannot grow the run's memory.
inline CheckOptions WindowCheckOptions() {
  CheckOptions options;
  options.budget.max_cache_bytes = size_t{128} << 20;
  return options;
}

struct SoakOptions {
  unsigned threads = 4;  // 1..kMaxSoakThreads
  std::chrono::milliseconds duration{60'000};
  // 1..Schedule::kMaxKeys, so that a finding replays as a schedule.
  unsigned keys = 64;
  MapKind map = MapKind::kTophash;
  tophash::Fault fault = tophash::Fault::kNone;  // tophash only
  unsigned shards_log2 = 2;  // tophash: 1 << shards_log2 shards
  uint64_t seed = 1;         // the workers' operation streams
  size_t window_ops = 50'000;
  std::chrono::milliseconds op_timeout{2'000};  // longer: a liveness failure
  CheckOptions check = WindowCheckOptions();    // per window
  // Called about every progress_interval from the thread running RunSoak.
  std::function<void(const struct SoakProgress&)> on_progress;
  std::chrono::milliseconds progress_interval{1'000};
  // Set to true (e.g. by a SIGINT handler) to stop at the next cut.
  const std::atomic<bool>* interrupt = nullptr;
};

inline constexpr unsigned kMaxSoakThreads = 64;

struct SoakProgress {
  std::chrono::milliseconds elapsed{0};
  uint64_t ops = 0;              // recorded so far
  uint64_t windows_checked = 0;  // decided (or unknown)
  uint64_t ops_checked = 0;
  uint64_t unknown_windows = 0;
  std::chrono::milliseconds last_check{0};  // the latest window's check
  size_t rss_kib = 0;                       // resident set now
};

struct SoakFinding {
  Violation violation;
  History window;       // the window it happened in, as checked
  CheckResult checked;  // the checker's result on `window` (if it ran)
  // A history that shows the violation by itself: the explained
  // sub-history, or the operations before the violation; `tophash-fuzz
  // check` replays it.
  History cut;
  // The last operations before the violation (at most Schedule's caps),
  // with the map's settings: what the minimizer starts from, with
  // `executor`. For a sequential fault (IsSequentialFault) they are
  // replayed one at a time by the serial executor, in invoke order, after
  // inserts of the keys present before them (SerialCutSchedule); for the
  // others the threads' last operations run on the stress executor.
  Schedule schedule;
  ExecutorKind executor = ExecutorKind::kStress;
};

struct SoakResult {
  SoakProgress totals;
  size_t peak_rss_kib = 0;
  std::chrono::milliseconds check_time{0};  // all windows' checks
  std::chrono::milliseconds max_window_check{0};
  std::optional<SoakFinding> finding;
  bool interrupted = false;
  // A worker hung inside a map that cannot be interrupted (not tophash):
  // its thread was left running and the map leaked.
  bool abandoned_threads = false;
};

// Checks the options; "" when usable, else what is wrong.
std::string ValidateSoakOptions(const SoakOptions& options);

// The map settings a soak run uses, as a schedule without operations.
Schedule SoakMapSetup(const SoakOptions& options);

SoakResult RunSoak(const SoakOptions& options);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_SOAK_SOAK_H_

// Minimize: structured delta debugging of a failing schedule.
//
// The minimizer works on the Schedule, never on bytes: it drops threads and
// operations (in halving chunks, then one at a time, then pairs on one key),
// merges threads and moves operations into thread 0, simplifies operations
// (insert_or_assign -> insert, smaller reserve amounts), renames keys to the
// smallest indices and shrinks the key count, lowers the map settings
// (shards, capacity, key shape, seed) and drops and lowers scheduling
// decisions (truncation first, as bounded-preemption search prefers fewer
// forced switches). A candidate replaces the current case when it is cheaper
// (schedule_cost.h) and the predicate says it still fails; the passes repeat
// until a whole round changes nothing.
//
// 1-minimal, precisely: when Minimize() stops at its fixpoint
// (MinimizeStop::kFixpoint), no single one of these edits of the result still
// fails: removing one thread, one operation, or one decision byte; removing
// two operations on the same key (or two whole-map operations); merging one
// thread into another (before or after its operations); moving the first
// operation of a thread > 0 to the start or end of thread 0; replacing one
// insert_or_assign by insert; lowering one reserve amount to 0 or half;
// renaming one key index to any smaller index; lowering the key count to
// the largest key used + 1; lowering shards, capacity, key shape or seed to
// 0 (or by one step); lowering one decision byte to any smaller value
// below 8 (a decision picks byte % n among n <= 8 threads, so these cover
// every choice). With reseed_tries > 0, "no edit still fails" means: not
// with the edited schedule's seed nor with any seed tried for it. A stop on
// budget or interrupt keeps the smallest failing case found so far, which
// is not necessarily 1-minimal.
//
// The predicate is injected, so the same code minimizes against the real
// pipeline (failure_predicate.h) and against synthetic failures in tests.

#ifndef THFUZZ_HARNESS_MINIMIZE_MINIMIZER_H_
#define THFUZZ_HARNESS_MINIMIZE_MINIMIZER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include "harness/name_table.h"
#include "harness/schedule.h"

namespace thfuzz {

// True if the schedule still shows the failure being minimized.
using FailurePredicate = std::function<bool(const Schedule&)>;

struct MinimizeProgress {
  const Schedule* best = nullptr;  // the smallest failing case so far
  uint64_t executions = 0;         // predicate calls
  uint64_t accepted = 0;           // reductions that kept the failure
  std::chrono::milliseconds elapsed{0};
};

struct MinimizeOptions {
  uint64_t max_executions = 100'000;
  std::chrono::milliseconds max_wall_time{60'000};
  // Called about once per progress_interval while minimizing.
  std::function<void(const MinimizeProgress&)> on_progress;
  std::chrono::milliseconds progress_interval{1'000};
  // When set to true (e.g. by a SIGINT handler), stops at the next
  // candidate and returns the best case so far.
  const std::atomic<bool>* interrupt = nullptr;
  // A candidate that passes is retried with this many other seeds. Once the
  // decisions run out, the controlled executor interleaves by PCT
  // priorities drawn from the seed and spread over the operation count, so
  // removing one operation reshuffles the whole interleaving; re-seeding
  // looks for an interleaving of the smaller case that fails again. 0 for
  // predicates that ignore the seed. Every try counts as an execution.
  unsigned reseed_tries = 0;
};

enum class MinimizeStop : uint8_t {
  kFixpoint,
  kExecutionBudget,
  kTimeBudget,
  kInterrupted,
};

// Names for progress lines and regression notes (not parsed back).
inline constexpr NameRow<MinimizeStop> kMinimizeStops[] = {
    {MinimizeStop::kFixpoint, "fixpoint", "1-minimal (see above)"},
    {MinimizeStop::kExecutionBudget, "execution budget",
     "max_executions reached"},
    {MinimizeStop::kTimeBudget, "time budget", "max_wall_time reached"},
    {MinimizeStop::kInterrupted, "interrupted", "*interrupt became true"},
};
static_assert(InEnumOrder(kMinimizeStops));

inline std::string_view MinimizeStopName(MinimizeStop stop) {
  return NameIn(kMinimizeStops, stop);
}

struct MinimizeResult {
  Schedule schedule;  // the smallest failing case found
  uint64_t executions = 0;
  uint64_t accepted = 0;
  uint64_t rounds = 0;  // passes over all reductions
  std::chrono::milliseconds elapsed{0};
  MinimizeStop stop = MinimizeStop::kFixpoint;

  bool one_minimal() const { return stop == MinimizeStop::kFixpoint; }
};

// `failing` must be valid and satisfy `still_fails`; the caller confirms
// that (the minimizer does not spend an execution on it). Only valid
// schedules are passed to the predicate.
MinimizeResult Minimize(const Schedule& failing,
                        const FailurePredicate& still_fails,
                        const MinimizeOptions& options = {});

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_MINIMIZE_MINIMIZER_H_

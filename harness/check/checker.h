// Checker: is a recorded history linearizable with respect to a sequential
// absl::flat_hash_map?
//
// CheckHistory() answers in three steps.
//  1. Stamp screen: a value read (or left in the final snapshot) that no
//     write of its key produced is a torn, foreign or phantom value at once.
//  2. Decide: since linearizability is compositional, a history without
//     size or clear is checked key by key, each key's model being just
//     "absent or one value". With size or clear, each key is first checked
//     alone (its operations plus the clears); a key that fails alone proves
//     the whole history wrong, and otherwise the whole-map model is
//     searched. The final snapshot is an observation after everything, so
//     every linearization must end in exactly that state. Operations that
//     never returned may be placed anywhere after their call, or not at all.
//     A per-key problem goes to the fast path first: a sweep over the
//     frontiers of the history that uses the uniqueness of written values
//     (each read names its write) and decides the histories executors make
//     in linear time (internal/traceable_sweep.h). Where it cannot decide,
//     and for the whole map, a Wing–Gong backtracking search with Lowe's
//     memoization decides (internal/search.h). CheckResult::details says
//     which path decided what.
//  3. Diagnosis: a failing problem is shrunk to a small sub-history that
//     still fails the same way (internal/diagnosis.h), and explained in
//     words (report/explanation.h).
// Every decision shares one CheckBudget (steps, memo-table bytes, wall
// time); when it runs out the verdict is kUnknown, never a hang. Shrinking
// an explanation has its own allowance, at most the steps it took to decide
// the failing problem (so a report costs at most about twice the verdict),
// and cannot change the verdict.

#ifndef THFUZZ_HARNESS_CHECK_CHECKER_H_
#define THFUZZ_HARNESS_CHECK_CHECKER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/history.h"
#include "harness/name_table.h"
#include "harness/violation.h"

namespace thfuzz {

struct CheckBudget {
  uint64_t max_steps = 50'000'000;           // all searches together
  size_t max_cache_bytes = size_t{1} << 30;  // per search's memo table
  std::chrono::milliseconds max_wall_time{10'000};
  // Shrinking and explaining a violation, on top of the above: as many
  // steps as deciding the failing problem took, at least
  // min_explain_steps and at most max_explain_steps.
  uint64_t min_explain_steps = 20'000;
  uint64_t max_explain_steps = 5'000'000;
  std::chrono::milliseconds max_explain_time{2'000};
};

struct CheckOptions {
  CheckBudget budget;
  bool split_by_key = true;  // P-compositionality; off: whole-map search only
  bool memoize = true;       // off: plain Wing–Gong backtracking
  bool minimize = true;      // off: explain the failing problem unshrunk
  bool fast_path = true;     // off: the search decides every problem
};

enum class Verdict : uint8_t { kLinearizable, kViolation, kUnknown };

inline constexpr NameRow<Verdict> kVerdicts[] = {
    {Verdict::kLinearizable, "linearizable", "some order explains it"},
    {Verdict::kViolation, "violation", "no order explains it"},
    {Verdict::kUnknown, "unknown",
     "a budget ran out first: neither a pass nor a proof"},
};
static_assert(InEnumOrder(kVerdicts));

// "linearizable", "violation", "unknown".
inline std::string_view VerdictName(Verdict verdict) {
  return NameIn(kVerdicts, verdict);
}

struct CheckStats {
  uint64_t steps = 0;           // search and sweep steps, explanation excluded
  size_t peak_cache_bytes = 0;  // largest memo table (or sweep) of any one
  size_t problems = 0;          // problems decided (keys, the whole map)
  size_t fast_path_problems = 0;  // of which the traceable sweep decided
  uint64_t explain_steps = 0;     // spent shrinking the explanation
  std::chrono::microseconds wall_time{0};
};

struct CheckResult {
  Verdict verdict = Verdict::kUnknown;
  Violation violation;  // kind is kNone unless the verdict is kViolation
  // Of the explained sub-history: its longest linearizable prefix and the
  // operation that cannot be placed after it (indices into History::events;
  // nullopt when it is the final snapshot or the screen caught a value).
  std::vector<size_t> linearizable_prefix;
  std::optional<size_t> unplaceable_event;
  // When linearizable: one order of the history's operations that explains
  // every result and respects real time (event indices; operations that
  // never returned appear only where the search placed them). Reports use
  // it to show the map's state after any operation.
  std::vector<size_t> linearization;
  std::string unknown_reason;  // which budget ran out
  // Which path decided: "fast path: 64 of 64 per-key problems", with each
  // fallback to the search and why, and "whole map: search" when it ran.
  std::string details;
  CheckStats stats;
};

CheckResult CheckHistory(const History& history,
                         const CheckOptions& options = {});

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_CHECK_CHECKER_H_

// Diagnosis: why a non-linearizable problem fails, and its smallest form.
//
// When the search gives up on a problem, the deepest stack it reached is a
// longest linearizable prefix: every operation that could come next
// contradicts the model there (had one fit, the stack would have grown). The
// blocked operation is the completed one with the earliest response among
// those left: it must come next or after another of them, and none fits. Its
// recorded result against the model's answer names the violation kind.
//
// Minimize() then drops operations greedily: first everything but a window
// of the latest operations invoked before the blocked op returned (16, 32,
// 64, ... of them, with the writes of every value they read; the first
// window that still fails), then everything invoked after the blocked op
// returned, then halves, quarters, ... and finally one at a time. A drop is
// kept only while the rest still fails with the same kind, at the same
// blocked operation, and every value read still has a write in the rest.
// Each try is decided like the original problem (fast path, then search)
// under a separate budget; when it runs out, the smallest failing form
// found so far stands. The window step keeps the cost of a report
// proportional to the violation's neighbourhood, not to the history's
// length.

#ifndef THFUZZ_HARNESS_CHECK_INTERNAL_DIAGNOSIS_H_
#define THFUZZ_HARNESS_CHECK_INTERNAL_DIAGNOSIS_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "harness/check/internal/search.h"
#include "harness/check/internal/search_problem.h"
#include "harness/violation.h"

namespace thfuzz::check_internal {

struct Diagnosis {
  ViolationKind kind = ViolationKind::kNone;
  SearchProblem problem;         // the (minimized) failing problem
  std::vector<uint32_t> prefix;  // longest linearizable prefix, op indices
  std::optional<uint32_t> blocked;
  size_t original_op_count = 0;  // ops in the problem before minimizing
};

// `outcome` must be kNotLinearizable for `problem`.
Diagnosis Diagnose(const SearchProblem& problem, const SearchOutcome& outcome);

// Shrinks `diagnosis.problem` while it keeps failing the same way.
// `fast_path` as in Decide().
void Minimize(Diagnosis& diagnosis, SearchMeter& meter, bool fast_path);

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_DIAGNOSIS_H_

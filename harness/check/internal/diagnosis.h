// Diagnosis: why a non-linearizable problem fails, and its smallest form.
//
// When the search gives up on a problem, the deepest stack it reached is a
// longest linearizable prefix: every operation that could come next
// contradicts the model there (had one fit, the stack would have grown). The
// blocked operation is the completed one with the earliest response among
// those left: it must come next or after another of them, and none fits. Its
// recorded result against the model's answer names the violation kind.
//
// Minimize() then drops operations greedily, in halves, quarters, ... and
// finally one at a time, keeping a drop only while the rest still fails with
// the same kind and every value read still has a write in the rest. Each try
// is a full search under a separate budget; when it runs out, the smallest
// failing form found so far stands.

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
void Minimize(Diagnosis& diagnosis, SearchMeter& meter);

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_DIAGNOSIS_H_

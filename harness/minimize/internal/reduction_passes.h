// The minimizer's reduction passes.
//
// Each pass proposes candidates derived from the tester's current case and
// offers them to CandidateTester::Try(), rebuilding its candidates from the
// new current case after every success. A pass returns whether it changed the
// case. Structural passes (reduce_structure.cc) act on threads and
// operations; detail passes (reduce_details.cc) on keys, map settings and
// scheduling decisions.

#ifndef THFUZZ_HARNESS_MINIMIZE_INTERNAL_REDUCTION_PASSES_H_
#define THFUZZ_HARNESS_MINIMIZE_INTERNAL_REDUCTION_PASSES_H_

#include <cstddef>
#include <functional>
#include <span>
#include <string_view>

#include "harness/minimize/internal/candidate_tester.h"

namespace thfuzz::minimize_internal {

using ReductionPass = bool (*)(CandidateTester& tester);

struct NamedPass {
  std::string_view name;
  ReductionPass run;
};

// In the order one round runs them: cheap, large reductions first.
std::span<const NamedPass> AllReductionPasses();

// Delta debugging's chunk removal over a list of `count(current)` elements:
// removes chunks of n, n/2, ..., 1 elements, scanning from the end (so
// decision lists are truncated before their heads are touched).
bool RemoveChunks(CandidateTester& tester,
                  const std::function<size_t(const Schedule&)>& count,
                  const std::function<Schedule(const Schedule&, size_t begin,
                                               size_t end)>& without);

// Structural passes (reduce_structure.cc).
bool DropThreads(CandidateTester& tester);
bool MergeThreads(CandidateTester& tester);
bool DropOperations(CandidateTester& tester);
bool DropOperationPairs(CandidateTester& tester);
bool MoveIntoThreadZero(CandidateTester& tester);
bool SimplifyOperations(CandidateTester& tester);

// Detail passes (reduce_details.cc).
bool DropDecisions(CandidateTester& tester);
bool LowerDecisions(CandidateTester& tester);
bool RenameKeys(CandidateTester& tester);
bool LowerMapSettings(CandidateTester& tester);
// Weak -> fine or coarse, fine -> coarse, when the failure survives: a case
// that fails at a coarser granularity depends on fewer accesses.
bool LowerGranularity(CandidateTester& tester);

}  // namespace thfuzz::minimize_internal

#endif  // THFUZZ_HARNESS_MINIMIZE_INTERNAL_REDUCTION_PASSES_H_

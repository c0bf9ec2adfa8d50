// Decide: one SearchProblem's verdict, by the fast path where it can decide
// and by the search everywhere else.
//
// Per-key problems go to the traceable sweep first (traceable_sweep.h);
// when it cannot decide (too many operations open at once, too many
// configurations at one frontier) or does not apply (the whole-map problem,
// size()), the Wing-Gong/Lowe search (search.h) decides under the same
// meter. The Decision says which one answered, for the verdict's details.

#ifndef THFUZZ_HARNESS_CHECK_INTERNAL_DECIDE_H_
#define THFUZZ_HARNESS_CHECK_INTERNAL_DECIDE_H_

#include <string>

#include "harness/check/internal/search.h"
#include "harness/check/internal/search_problem.h"

namespace thfuzz::check_internal {

struct Decision {
  SearchOutcome outcome;
  bool by_fast_path = false;
  // Set when the fast path applied but handed over to the search: why.
  std::string fast_path_gave_up;
};

Decision Decide(const SearchProblem& problem, SearchMeter& meter,
                bool fast_path);

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_DECIDE_H_

// A Diagnosis in the history's own terms, for the words of
// report/explanation.h.
//
// The search works on value ids and key slots (search_problem.h); the
// explanation talks about events, keys and stamps. CounterexampleOf()
// translates, and replays the model over the longest linearizable prefix to
// say what the map held there and what the blocked operation would have
// returned.

#ifndef THFUZZ_HARNESS_CHECK_INTERNAL_COUNTEREXAMPLE_H_
#define THFUZZ_HARNESS_CHECK_INTERNAL_COUNTEREXAMPLE_H_

#include "harness/check/internal/diagnosis.h"
#include "harness/check/internal/search_problem.h"
#include "harness/history.h"
#include "harness/report/explanation.h"

namespace thfuzz::check_internal {

Counterexample CounterexampleOf(const History& history,
                                const ValueTable& values,
                                const Diagnosis& diagnosis);

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_COUNTEREXAMPLE_H_

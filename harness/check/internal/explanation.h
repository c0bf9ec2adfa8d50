// Explanation: a Diagnosis put into plain words.
//
// The text names the operation that cannot be placed, what it returned and
// what the map would have answered after the longest linearizable prefix;
// when a read's value comes from a write that had not even started when the
// read returned, it says exactly that. It then lists the minimal failing
// sub-history in the history file form (PrintEvent, and a `final {...}`
// line), so that a reader can replay the argument by hand and the listing
// parses as a history file (HISTORY.md) that fails the same way.

#ifndef THFUZZ_HARNESS_CHECK_INTERNAL_EXPLANATION_H_
#define THFUZZ_HARNESS_CHECK_INTERNAL_EXPLANATION_H_

#include <string>

#include "harness/check/internal/diagnosis.h"
#include "harness/check/internal/search_problem.h"
#include "harness/history.h"
#include "harness/violation.h"

namespace thfuzz::check_internal {

Violation Explain(const History& history, const ValueTable& values,
                  const Diagnosis& diagnosis);

// "T1#0 find(k3)", "T0#2 size()", or "the final snapshot".
std::string OpName(const History& history, const SearchProblem& problem,
                   const SearchOp& op);

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_EXPLANATION_H_

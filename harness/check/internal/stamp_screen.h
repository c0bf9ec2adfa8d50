// Stamp screen: the checks that need no search.
//
// Every value a find returned (and every value in the final snapshot) must be
// one that some write of the same key in this history stored. A value that
// no write produced is classified by CheckStamp(): torn (its words do not fit
// together), foreign (a whole value of another key), or phantom (zeros, or a
// well-formed stamp that nobody here wrote). Executors report these as they
// happen; the checker repeats the screen so that histories from files and
// generators are judged the same way, and so that the search never has to
// explain a value out of nothing.

#ifndef THFUZZ_HARNESS_CHECK_INTERNAL_STAMP_SCREEN_H_
#define THFUZZ_HARNESS_CHECK_INTERNAL_STAMP_SCREEN_H_

#include <optional>

#include "harness/check/internal/search_problem.h"
#include "harness/history.h"
#include "harness/violation.h"

namespace thfuzz::check_internal {

// `problems` is BuildProblems(history): the screen works on its value ids.
std::optional<Violation> ScreenStamps(const History& history,
                                      const ProblemSet& problems);

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_STAMP_SCREEN_H_

// Reference checker: linearizability by brute force, to keep the real
// checker honest.
//
// It shares no code with the checker beyond the History type: it walks every
// total order of the events that respects real time (a completed event whose
// response precedes another's invoke comes first), with each event that never
// returned either placed somewhere after its callers' predecessors or left
// out, and replays each order on a real absl::flat_hash_map, accepting the
// history as soon as one order reproduces every recorded result and ends in
// the final snapshot. A prefix whose last step already disagrees is not
// extended (every order through it fails the same way). The cost is up to
// n! orders, so it refuses histories with more than kMaxReferenceEvents.

#ifndef THFUZZ_HARNESS_CHECK_TESTING_REFERENCE_CHECKER_H_
#define THFUZZ_HARNESS_CHECK_TESTING_REFERENCE_CHECKER_H_

#include <cstddef>
#include <optional>

#include "harness/history.h"

namespace thfuzz {

inline constexpr size_t kMaxReferenceEvents = 10;

// true: linearizable; false: not; nullopt: more than kMaxReferenceEvents.
std::optional<bool> ReferenceIsLinearizable(const History& history);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_CHECK_TESTING_REFERENCE_CHECKER_H_

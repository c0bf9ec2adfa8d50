// Explanation: why no order explains a history, in plain words.
//
// The checker (harness/check) finds a counterexample: a small sub-history
// that no order consistent with real time explains, the longest prefix of
// it that some order does explain, and the operation that cannot come next.
// It hands that over as a Counterexample in the history's own terms (event
// indices, keys, stamps), and ExplainCounterexample() words it: the
// operation that cannot be placed, what it returned and what the map would
// have answered after the prefix; when a read's value comes from a write
// that had not even started when the read returned, it says exactly that.
// It then lists the sub-history in the history file form (PrintEvent), so
// that a reader can replay the argument by hand.

#ifndef THFUZZ_HARNESS_REPORT_EXPLANATION_H_
#define THFUZZ_HARNESS_REPORT_EXPLANATION_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "harness/history.h"
#include "harness/stamp.h"
#include "harness/violation.h"

namespace thfuzz {

// Stands for the final snapshot among the event indices of a counterexample:
// an observation of the whole map after every operation.
inline constexpr size_t kFinalSnapshot = std::numeric_limits<size_t>::max();

struct Counterexample {
  ViolationKind kind = ViolationKind::kNone;
  // The keys the failing sub-history is about, ascending: one key, or every
  // key of the history when size or clear made it a whole-map problem.
  std::vector<uint64_t> keys;
  // Its operations in order: event indices, and kFinalSnapshot.
  std::vector<size_t> ops;
  // Per key, the final snapshot's value; nullopt: absent.
  std::vector<std::optional<Stamp>> final_values;
  // Operations (the final snapshot not counted) before it was minimized.
  size_t original_op_count = 0;
  // The longest linearizable prefix, in linearization order.
  std::vector<size_t> prefix;
  // The operation that cannot be placed after the prefix; nullopt when the
  // search found no single one to blame.
  std::optional<size_t> blocked;
  // Per key, the map's contents after the prefix; nullopt: absent.
  std::vector<std::optional<Stamp>> state_after_prefix;
  // The blocked event with the result the map would have given instead (ok,
  // out, size); unused when the final snapshot is blocked.
  Event answer;
};

// The violation: kind, key, the events involved, a one-line summary and the
// explanation.
Violation ExplainCounterexample(const History& history,
                                const Counterexample& counterexample);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_REPORT_EXPLANATION_H_

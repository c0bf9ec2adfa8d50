// Witness: one linearization of a whole history, from the searches' own.
//
// When a history is linearizable the checker has found an order for each
// problem it searched: one per key when keys are independent, or one for
// the whole map when size or clear ties them together. A report wants one
// order of everything, to show the map's state after any operation.
// Linearizability is local (Herlihy and Wing): the per-key orders together
// with real-time order have a common extension, and MergeOrders() builds
// one. Each operation gets the earliest point in its interval that keeps
// its key's order (the latest invoke among it and the operations before it
// there, which never passes its own response, since an order consistent
// with real time never puts an operation after one that started after it
// returned); sorting by those points keeps every key's order and real-time
// order. Reserve, which no problem holds, goes in at its invoke time.
// Operations that never returned and that no order placed are left out.

#ifndef THFUZZ_HARNESS_CHECK_INTERNAL_WITNESS_H_
#define THFUZZ_HARNESS_CHECK_INTERNAL_WITNESS_H_

#include <cstddef>
#include <vector>

#include "harness/history.h"

namespace thfuzz::check_internal {

// `orders`: event indices in linearization order, one list per problem,
// no event in two lists.
std::vector<size_t> MergeOrders(const History& history,
                                const std::vector<std::vector<size_t>>& orders);

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_WITNESS_H_

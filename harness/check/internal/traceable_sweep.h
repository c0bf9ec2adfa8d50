// TraceableSweep: the checker's fast path for one key's history.
//
// Every value the harness writes is a unique stamp, so a successful find
// names the one write it saw (the read-from map of Gibbons & Korach's
// register results, the traceability of Jepsen's Elle). The sweep uses that
// to decide a per-key problem in time linear in its length for the histories
// executors produce, instead of the search's exponential worst case.
//
// It explores the same configurations as the Wing-Gong/Lowe search (the set
// of linearized operations and the state they lead to), but breadth first,
// one frontier at a time. The frontier is the completed operation with the
// earliest response among those not yet linearized; every operation that
// returned before it is linearized, and only the ones open at it (called but
// not yet returned) can differ between configurations. So a configuration
// is a bit mask over the open operations (at most 64) plus the key's state,
// and the sweep keeps just the configurations of the current frontier (and
// one 8-byte node per step, to print the witness or the longest prefix). Two
// rules keep that set small, and neither changes the answer:
//   * free moves: an operation that changes nothing (a find, an insert that
//     returned false, an erase that returned false, the final snapshot) is
//     linearized as soon as it can be and fits; taking it early never blocks
//     another operation (an exchange argument);
//   * dead values: by the read-from map, a present value that no remaining
//     read names and the final snapshot does not show cannot be told apart
//     from any other present value by anything left, so all such states are
//     folded into one, "present". The stamps' traceability is what makes
//     this fold apply almost everywhere: most writes are read a few times
//     right after they land, then die.
// When more than `max_open` operations are open at once or a frontier has
// more than `max_width` configurations, the sweep stops without an answer
// and the caller falls back to the search; so its cost is at most
// O(ops * max_width * max_open) steps, charged to the shared SearchMeter.
//
// A "linearizable" answer comes with a witness order, which is replayed on
// the MapModel and checked against real time before it is returned; a
// witness that fails (a bug) makes the sweep answer "cannot decide". A
// "not linearizable" answer comes with a longest linearizable prefix, as
// the search's does.

#ifndef THFUZZ_HARNESS_CHECK_INTERNAL_TRACEABLE_SWEEP_H_
#define THFUZZ_HARNESS_CHECK_INTERNAL_TRACEABLE_SWEEP_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/check/internal/search.h"
#include "harness/check/internal/search_problem.h"

namespace thfuzz::check_internal {

struct SweepLimits {
  size_t max_open = 64;     // operations open at one frontier (one mask)
  size_t max_width = 4096;  // configurations at one frontier
};

struct SweepOutcome {
  // kLinearizable, kNotLinearizable or kOutOfBudget; meaningful only when
  // `decided`, as is `longest_prefix` (see SearchOutcome).
  SearchOutcome search;
  bool decided = false;
  std::string cannot_decide;  // why not, when !decided
};

// The sweep applies to problems on one key slot without size().
bool SweepApplies(const SearchProblem& problem);

SweepOutcome SweepTraceable(const SearchProblem& problem, SearchMeter& meter,
                            const SweepLimits& limits = {});

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_TRACEABLE_SWEEP_H_

// The fast path, then the search (see decide.h).

#include "harness/check/internal/decide.h"

#include <utility>

#include "harness/check/internal/traceable_sweep.h"

namespace thfuzz::check_internal {

Decision Decide(const SearchProblem& problem, SearchMeter& meter,
                bool fast_path) {
  Decision decision;
  if (fast_path && SweepApplies(problem)) {
    SweepOutcome sweep = SweepTraceable(problem, meter);
    if (sweep.decided) {
      decision.outcome = std::move(sweep.search);
      decision.by_fast_path = true;
      return decision;
    }
    decision.fast_path_gave_up = std::move(sweep.cannot_decide);
  }
  decision.outcome = Search(problem, meter);
  return decision;
}

}  // namespace thfuzz::check_internal

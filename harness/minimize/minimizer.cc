// The minimizer's fixpoint loop over the reduction passes.

#include "harness/minimize/minimizer.h"

#include <optional>

#include "harness/minimize/internal/candidate_tester.h"
#include "harness/minimize/internal/reduction_passes.h"

namespace thfuzz {

MinimizeResult Minimize(const Schedule& failing,
                        const FailurePredicate& still_fails,
                        const MinimizeOptions& options) {
  minimize_internal::CandidateTester tester(failing, still_fails, options);
  MinimizeResult result;
  std::optional<MinimizeStop> stop;
  while (!stop) {
    bool changed = false;
    ++result.rounds;
    for (const minimize_internal::NamedPass& pass :
         minimize_internal::AllReductionPasses()) {
      changed |= pass.run(tester);
    }
    // Stop conditions never clear, so a round that ends unstopped tried
    // every candidate: without a change, that is the fixpoint.
    stop = tester.stop();
    if (!stop && !changed) stop = MinimizeStop::kFixpoint;
  }
  result.schedule = tester.current();
  result.executions = tester.executions();
  result.accepted = tester.accepted();
  result.elapsed = tester.elapsed();
  result.stop = *stop;
  return result;
}

}  // namespace thfuzz

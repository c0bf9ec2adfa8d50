// Pipeline-backed failure predicates for the minimizer.

#include "harness/minimize/failure_predicate.h"

#include <utility>

namespace thfuzz {

FailurePredicate ShowsViolation(ViolationKind kind,
                                const PipelineOptions& options,
                                std::shared_ptr<ExecutionCounter> counter) {
  return [kind, options, counter](const Schedule& schedule) {
    if (counter) ++counter->runs;
    Outcome outcome = RunAndCheck(schedule, options);
    return outcome.verdict == Verdict::kViolation &&
           outcome.violation.kind == kind;
  };
}

FailurePredicate AnyOfTrials(FailurePredicate once, size_t trials) {
  return [once = std::move(once), trials](const Schedule& schedule) {
    for (size_t i = 0; i < trials; ++i) {
      if (once(schedule)) return true;
    }
    return false;
  };
}

FailurePredicate ReproducesViolation(
    ViolationKind kind, const PipelineOptions& options, size_t trials,
    std::shared_ptr<ExecutionCounter> counter) {
  FailurePredicate once = ShowsViolation(kind, options, std::move(counter));
  if (IsDeterministic(options.run.executor) || trials <= 1) return once;
  return AnyOfTrials(std::move(once), trials);
}

Outcome RunUntilViolation(const Schedule& schedule,
                          const PipelineOptions& options, size_t trials) {
  if (IsDeterministic(options.run.executor)) trials = 1;
  Outcome outcome;
  for (size_t i = 0; i < std::max<size_t>(trials, 1); ++i) {
    outcome = RunAndCheck(schedule, options);
    if (outcome.verdict == Verdict::kViolation) break;
  }
  return outcome;
}

}  // namespace thfuzz

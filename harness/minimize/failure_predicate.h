// Failure predicates: what "still fails" means when minimizing a real
// finding.
//
// A candidate still fails when the pipeline (RunAndCheck) judges it a
// violation of the same kind, with the same fault and executor. Controlled
// and serial runs are deterministic, so one run decides. Stress runs are
// not: AnyOfTrials() counts a candidate as failing if at least one of N runs
// fails, which can only err towards keeping a candidate that fails rarely
// (never towards accepting one that cannot fail at all). A checker verdict
// of "unknown" is not a failure.

#ifndef THFUZZ_HARNESS_MINIMIZE_FAILURE_PREDICATE_H_
#define THFUZZ_HARNESS_MINIMIZE_FAILURE_PREDICATE_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "harness/minimize/minimizer.h"
#include "harness/pipeline/pipeline.h"

namespace thfuzz {

// Counts what the predicates built here cost; shared by copies.
struct ExecutionCounter {
  uint64_t runs = 0;  // pipeline executions (every trial counts)
};

// One pipeline run: a violation of `kind`?
FailurePredicate ShowsViolation(ViolationKind kind,
                                const PipelineOptions& options,
                                std::shared_ptr<ExecutionCounter> counter);

// Fails if `once` fails in at least one of `trials` calls (trials >= 1).
FailurePredicate AnyOfTrials(FailurePredicate once, size_t trials);

// The predicate for minimizing a finding: ShowsViolation, repeated `trials`
// times when the executor is not deterministic (stress).
FailurePredicate ReproducesViolation(ViolationKind kind,
                                     const PipelineOptions& options,
                                     size_t trials,
                                     std::shared_ptr<ExecutionCounter> counter);

// Runs `schedule` up to `trials` times (once when deterministic) and returns
// the first outcome that is a violation, or the last outcome if none is.
Outcome RunUntilViolation(const Schedule& schedule,
                          const PipelineOptions& options, size_t trials);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_MINIMIZE_FAILURE_PREDICATE_H_

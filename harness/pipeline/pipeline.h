// The pipeline: schedule -> executor -> checker -> verdict.
//
// Everything that judges a schedule (the fuzz targets, the CLI, the
// minimizer, the corpus replay test) goes through RunAndCheck(), so they all
// agree on what a violation is. The executor's own findings (stamps, oracle
// mismatches, liveness, use-after-free) come first; when it found nothing the
// linearizability checker searches the history. A checker that runs out of
// budget answers "unknown", which callers must not count as a pass or as a
// failure.

#ifndef THFUZZ_HARNESS_PIPELINE_PIPELINE_H_
#define THFUZZ_HARNESS_PIPELINE_PIPELINE_H_

#include <string>

#include "harness/check/checker.h"
#include "harness/exec/executor.h"
#include "harness/pipeline/replay_command.h"
#include "harness/schedule.h"
#include "harness/violation.h"

namespace thfuzz {

struct PipelineOptions {
  RunOptions run;
  CheckOptions check = FuzzingCheckOptions();

  // Budgets for one fuzzing execution: small enough that a pathological
  // history costs a fraction of a second, large enough for any history a
  // schedule (at most 256 operations) can make in practice.
  static CheckOptions FuzzingCheckOptions();
};

struct Outcome {
  Execution execution;
  Granularity granularity = Granularity::kCoarse;  // the schedule's
  Verdict verdict = Verdict::kLinearizable;
  Violation violation;         // kind kNone unless verdict is kViolation
  std::string unknown_reason;  // why the checker gave up, if it did
  bool checker_ran = false;
};

Outcome RunAndCheck(const Schedule& schedule, const PipelineOptions& options);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_PIPELINE_PIPELINE_H_

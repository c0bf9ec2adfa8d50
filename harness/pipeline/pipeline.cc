// Running a schedule and judging its history.

#include "harness/pipeline/pipeline.h"

#include <string>

namespace thfuzz {

CheckOptions PipelineOptions::FuzzingCheckOptions() {
  CheckOptions options;
  options.budget.max_steps = 2'000'000;
  options.budget.max_cache_bytes = size_t{64} << 20;
  options.budget.max_wall_time = std::chrono::milliseconds(2'000);
  options.budget.max_explain_steps = 1'000'000;
  options.budget.max_explain_time = std::chrono::milliseconds(1'000);
  return options;
}

Outcome RunAndCheck(const Schedule& schedule, const PipelineOptions& options) {
  Outcome outcome;
  outcome.granularity = EffectiveGranularity(schedule, options.run);
  outcome.execution = Execute(schedule, options.run);
  if (outcome.execution.violation) {
    outcome.verdict = Verdict::kViolation;
    outcome.violation = *outcome.execution.violation;
    return outcome;
  }
  CheckResult result = CheckHistory(outcome.execution.history, options.check);
  outcome.checker_ran = true;
  outcome.verdict = result.verdict;
  if (result.verdict == Verdict::kViolation)
    outcome.violation = result.violation;
  if (result.verdict == Verdict::kUnknown) {
    outcome.unknown_reason = result.unknown_reason;
  }
  return outcome;
}

}  // namespace thfuzz

// Running a schedule and judging its history.

#include "harness/pipeline/pipeline.h"

#include <string>

#include "harness/report/html_report.h"
#include "harness/report/report.h"

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

namespace {

ReportContext ContextFor(const Outcome& outcome, const RunOptions& options,
                         const std::string& replay_command) {
  ReportContext context;
  if (options.fault != tophash::Fault::kNone) {
    context.fault = std::string(tophash::FaultName(options.fault));
  }
  context.executor = std::string(ExecutorName(options.executor));
  if (options.executor == ExecutorKind::kControlled &&
      outcome.granularity != Granularity::kCoarse) {
    context.granularity = std::string(GranularityName(outcome.granularity));
  }
  context.replay_command = replay_command;
  for (const TraceEntry& entry : outcome.execution.trace) {
    context.trace.push_back({entry.time, entry.text});
  }
  return context;
}

}  // namespace

std::string ReportFor(const Outcome& outcome, const RunOptions& options,
                      const std::string& replay_command) {
  return RenderReport(outcome.execution.history, outcome.violation,
                      ContextFor(outcome, options, replay_command));
}

std::string HtmlReportFor(const Outcome& outcome, const RunOptions& options,
                          const std::string& replay_command) {
  return RenderHtmlReport(outcome.execution.history, outcome.violation,
                          ContextFor(outcome, options, replay_command));
}

}  // namespace thfuzz

// Text and HTML reports of outcomes (see outcome_report.h).

#include "harness/pipeline/outcome_report.h"

#include <algorithm>

#include "harness/report/html_report.h"

namespace thfuzz {
namespace {

// The kinds the checker reports itself, so it can explain them too. (An
// invariant failure is asked about as well: see ExplainedViolation.)
bool CheckerCanExplain(ViolationKind kind) {
  switch (kind) {
    case ViolationKind::kGhostRead:
    case ViolationKind::kLostKey:
    case ViolationKind::kWrongResult:
    case ViolationKind::kWrongSize:
    case ViolationKind::kBadFinalState:
      return true;
    default:
      return false;
  }
}

CheckResult CheckForReport(const History& history) {
  return CheckHistory(history, PipelineOptions::FuzzingCheckOptions());
}

}  // namespace

Violation ExplainedViolation(const Outcome& outcome) {
  Violation violation = outcome.violation;
  bool structural = violation.kind == ViolationKind::kInvariantFailure;
  if (outcome.checker_ran ||
      !(CheckerCanExplain(violation.kind) || structural)) {
    return violation;
  }
  CheckResult checked = CheckForReport(outcome.execution.history);
  if (checked.verdict != Verdict::kViolation) return violation;
  const Violation& checker = checked.violation;
  if (!violation.explanation.empty()) violation.explanation += "\n";
  // A broken structure often loses keys too; the checker says which.
  if (structural) {
    violation.explanation += "The history shows it too: " +
                             std::string(ViolationKindName(checker.kind)) +
                             ". ";
  }
  violation.explanation += checker.explanation;
  violation.events.insert(violation.events.end(), checker.events.begin(),
                          checker.events.end());
  std::sort(violation.events.begin(), violation.events.end());
  violation.events.erase(
      std::unique(violation.events.begin(), violation.events.end()),
      violation.events.end());
  if (!violation.offending) violation.offending = checker.offending;
  return violation;
}

ReportContext ContextFor(const Outcome& outcome, const RunOptions& options,
                         const std::string& replay_command, bool with_order) {
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
  // Fine and weak runs' context switches and stale reads, for the report's
  // trace and the HTML page's lanes.
  for (const TraceEntry& entry : outcome.execution.trace) {
    context.trace.push_back({entry.kind == TraceEntry::Kind::kSwitch
                                 ? ReportTraceLine::Kind::kSwitch
                                 : ReportTraceLine::Kind::kStaleRead,
                             entry.time, entry.thread, entry.text});
  }
  if (!with_order || outcome.verdict == Verdict::kUnknown) return context;
  CheckResult checked = CheckForReport(outcome.execution.history);
  context.order = checked.verdict == Verdict::kLinearizable
                      ? checked.linearization
                      : checked.linearizable_prefix;
  context.order_is_prefix = checked.verdict != Verdict::kLinearizable;
  return context;
}

std::string ReportFor(const Outcome& outcome, const RunOptions& options,
                      const std::string& replay_command) {
  return RenderReport(outcome.execution.history, ExplainedViolation(outcome),
                      ContextFor(outcome, options, replay_command, false));
}

std::string HtmlReportFor(const Outcome& outcome, const RunOptions& options,
                          const std::string& replay_command,
                          const std::string& source) {
  ReportContext context = ContextFor(outcome, options, replay_command, true);
  context.source = source;
  return RenderHtmlReport(outcome.execution.history,
                          ExplainedViolation(outcome), context);
}

}  // namespace thfuzz

// Screen, split, search, diagnose (see checker.h).

#include "harness/check/checker.h"

#include <utility>

#include "harness/check/internal/counterexample.h"
#include "harness/check/internal/diagnosis.h"
#include "harness/check/internal/search.h"
#include "harness/check/internal/search_problem.h"
#include "harness/check/internal/stamp_screen.h"
#include "harness/report/explanation.h"

namespace thfuzz {
namespace {

using check_internal::SearchMeter;
using check_internal::SearchOutcome;
using check_internal::SearchProblem;
using check_internal::SearchVerdict;
using Clock = std::chrono::steady_clock;

SearchMeter MakeMeter(const CheckOptions& options, uint64_t steps,
                      std::chrono::milliseconds time) {
  SearchMeter meter;
  meter.step_limit = steps;
  meter.cache_byte_limit = options.budget.max_cache_bytes;
  meter.deadline = Clock::now() + time;
  meter.memoize = options.memoize;
  return meter;
}

class Checker {
 public:
  Checker(const History& history, const CheckOptions& options)
      : history_(history),
        options_(options),
        problems_(check_internal::BuildProblems(history)),
        meter_(MakeMeter(options, options.budget.max_steps,
                         options.budget.max_wall_time)) {}

  CheckResult Run();

 private:
  // True once `problem` has settled the verdict (a violation was found).
  bool SearchOne(const SearchProblem& problem);
  void ReportViolation(const SearchProblem& problem,
                       const SearchOutcome& outcome);

  const History& history_;
  const CheckOptions& options_;
  check_internal::ProblemSet problems_;
  SearchMeter meter_;
  CheckResult result_;
  bool out_of_budget_ = false;
};

bool Checker::SearchOne(const SearchProblem& problem) {
  SearchOutcome outcome = check_internal::Search(problem, meter_);
  ++result_.stats.searches;
  if (outcome.verdict == SearchVerdict::kOutOfBudget) out_of_budget_ = true;
  if (outcome.verdict != SearchVerdict::kNotLinearizable) return false;
  ReportViolation(problem, outcome);
  return true;
}

void Checker::ReportViolation(const SearchProblem& problem,
                              const SearchOutcome& outcome) {
  check_internal::Diagnosis diagnosis =
      check_internal::Diagnose(problem, outcome);
  if (options_.minimize) {
    SearchMeter explain_meter =
        MakeMeter(options_, options_.budget.max_explain_steps,
                  options_.budget.max_explain_time);
    check_internal::Minimize(diagnosis, explain_meter);
  }
  result_.verdict = Verdict::kViolation;
  result_.violation = ExplainCounterexample(
      history_,
      check_internal::CounterexampleOf(history_, problems_.values, diagnosis));
  for (uint32_t op : diagnosis.prefix) {
    size_t event = diagnosis.problem.ops[op].event;
    if (event != check_internal::kNoEvent) {
      result_.linearizable_prefix.push_back(event);
    }
  }
  if (diagnosis.blocked) {
    size_t event = diagnosis.problem.ops[*diagnosis.blocked].event;
    if (event != check_internal::kNoEvent) result_.unplaceable_event = event;
  }
}

CheckResult Checker::Run() {
  if (std::optional<Violation> screened =
          check_internal::ScreenStamps(history_)) {
    result_.verdict = Verdict::kViolation;
    result_.violation = std::move(*screened);
    return std::move(result_);
  }
  bool settled = false;
  if (options_.split_by_key) {
    for (const SearchProblem& problem : problems_.per_key) {
      if ((settled = SearchOne(problem))) break;
    }
  }
  bool whole_map = !options_.split_by_key || problems_.needs_whole_map;
  if (!settled && whole_map) settled = SearchOne(problems_.whole_map);
  if (!settled) {
    result_.verdict =
        out_of_budget_ ? Verdict::kUnknown : Verdict::kLinearizable;
    if (out_of_budget_) result_.unknown_reason = meter_.exhausted;
  }
  result_.stats.steps = meter_.steps;
  result_.stats.peak_cache_bytes = meter_.peak_cache_bytes;
  return std::move(result_);
}

}  // namespace

CheckResult CheckHistory(const History& history, const CheckOptions& options) {
  auto start = Clock::now();
  Checker checker(history, options);
  CheckResult result = checker.Run();
  result.stats.wall_time =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() -
                                                            start);
  return result;
}

}  // namespace thfuzz

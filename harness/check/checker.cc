// Screen, split, decide, diagnose (see checker.h).

#include "harness/check/checker.h"

#include <algorithm>
#include <utility>

#include "harness/check/internal/counterexample.h"
#include "harness/check/internal/decide.h"
#include "harness/check/internal/diagnosis.h"
#include "harness/check/internal/search.h"
#include "harness/check/internal/search_problem.h"
#include "harness/check/internal/stamp_screen.h"
#include "harness/check/internal/witness.h"
#include "harness/report/explanation.h"

namespace thfuzz {
namespace {

using check_internal::Decision;
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
        problems_(
            check_internal::BuildProblems(history, !options.split_by_key)),
        meter_(MakeMeter(options, options.budget.max_steps,
                         options.budget.max_wall_time)) {}

  CheckResult Run();

 private:
  // True once `problem` has settled the verdict (a violation was found).
  bool DecideOne(const SearchProblem& problem, bool whole_map);
  void ReportViolation(const SearchProblem& problem,
                       const SearchOutcome& outcome, uint64_t decide_steps,
                       bool by_fast_path);
  std::string Details(bool whole_map_searched) const;

  const History& history_;
  const CheckOptions& options_;
  check_internal::ProblemSet problems_;
  SearchMeter meter_;
  CheckResult result_;
  // The orders of the problems found linearizable, in event indices.
  std::vector<std::vector<size_t>> orders_;
  bool out_of_budget_ = false;
  size_t per_key_decided_ = 0;
  size_t per_key_fast_ = 0;
  bool whole_map_by_fast_path_ = false;
  std::string fallbacks_;  // "k7: why; k9: why" for the details
};

bool Checker::DecideOne(const SearchProblem& problem, bool whole_map) {
  uint64_t steps_before = meter_.steps;
  Decision decision =
      check_internal::Decide(problem, meter_, options_.fast_path);
  ++result_.stats.problems;
  if (decision.by_fast_path) ++result_.stats.fast_path_problems;
  if (whole_map) {
    whole_map_by_fast_path_ = decision.by_fast_path;
  } else {
    ++per_key_decided_;
    per_key_fast_ += decision.by_fast_path;
  }
  if (!decision.fast_path_gave_up.empty() && fallbacks_.size() < 200) {
    fallbacks_ += (fallbacks_.empty() ? "" : "; ") + std::string("k") +
                  std::to_string(problem.slot_keys[0]) + ": " +
                  decision.fast_path_gave_up;
  }
  const SearchOutcome& outcome = decision.outcome;
  if (outcome.verdict == SearchVerdict::kOutOfBudget) out_of_budget_ = true;
  if (outcome.verdict == SearchVerdict::kLinearizable) {
    std::vector<size_t>& order = orders_.emplace_back();
    for (uint32_t op : outcome.longest_prefix) {
      size_t event = problem.ops[op].event;
      if (event != check_internal::kNoEvent) order.push_back(event);
    }
  }
  if (outcome.verdict != SearchVerdict::kNotLinearizable) return false;
  ReportViolation(problem, outcome, meter_.steps - steps_before,
                  decision.by_fast_path);
  return true;
}

void Checker::ReportViolation(const SearchProblem& problem,
                              const SearchOutcome& outcome,
                              uint64_t decide_steps, bool by_fast_path) {
  check_internal::Diagnosis diagnosis =
      check_internal::Diagnose(problem, outcome);
  if (options_.minimize) {
    const CheckBudget& budget = options_.budget;
    uint64_t allowance = std::clamp(decide_steps, budget.min_explain_steps,
                                    budget.max_explain_steps);
    SearchMeter explain_meter =
        MakeMeter(options_, allowance, budget.max_explain_time);
    check_internal::Minimize(diagnosis, explain_meter, options_.fast_path);
    result_.stats.explain_steps = explain_meter.steps;
  }
  result_.verdict = Verdict::kViolation;
  result_.violation = ExplainCounterexample(
      history_,
      check_internal::CounterexampleOf(history_, problems_.values, diagnosis));
  result_.violation.explanation +=
      by_fast_path ? "Decided by the traceable fast path.\n"
                   : "Decided by the Wing-Gong/Lowe search.\n";
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

std::string Checker::Details(bool whole_map_searched) const {
  std::string details;
  if (per_key_decided_ > 0) {
    size_t fast = per_key_fast_;
    details = "fast path: " + std::to_string(fast) + " of " +
              std::to_string(per_key_decided_) + " per-key problems";
    if (fast < per_key_decided_) {
      details += "; search: " + std::to_string(per_key_decided_ - fast);
      if (!fallbacks_.empty()) details += " (" + fallbacks_ + ")";
    }
  }
  if (whole_map_searched) {
    details += (details.empty() ? "" : "; ") + std::string("whole map: ") +
               (whole_map_by_fast_path_ ? "fast path" : "search");
  }
  return details;
}

CheckResult Checker::Run() {
  if (std::optional<Violation> screened =
          check_internal::ScreenStamps(history_, problems_)) {
    result_.verdict = Verdict::kViolation;
    result_.violation = std::move(*screened);
    result_.details = "stamp screen";
    return std::move(result_);
  }
  bool settled = false;
  if (options_.split_by_key) {
    for (const SearchProblem& problem : problems_.per_key) {
      if ((settled = DecideOne(problem, /*whole_map=*/false))) break;
    }
  }
  bool whole_map = !options_.split_by_key || problems_.needs_whole_map;
  bool whole_map_searched = !settled && whole_map;
  if (whole_map_searched) {
    // The whole map's order covers every key: it replaces theirs.
    orders_.clear();
    settled = DecideOne(problems_.whole_map, /*whole_map=*/true);
  }
  if (!settled) {
    result_.verdict =
        out_of_budget_ ? Verdict::kUnknown : Verdict::kLinearizable;
    if (out_of_budget_) result_.unknown_reason = meter_.exhausted;
  }
  if (result_.verdict == Verdict::kLinearizable) {
    result_.linearization = check_internal::MergeOrders(history_, orders_);
  }
  result_.details = Details(whole_map_searched);
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

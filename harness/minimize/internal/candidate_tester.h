// CandidateTester: the one gate every reduction candidate passes through.
//
// It holds the current (smallest failing) schedule and accepts a candidate
// only if the candidate is valid, strictly cheaper (schedule_cost.h), not a
// schedule already seen to pass, and the predicate says it still fails. It
// also enforces the budgets and the interrupt flag and reports progress, so
// the reduction passes stay plain loops over candidates.

#ifndef THFUZZ_HARNESS_MINIMIZE_INTERNAL_CANDIDATE_TESTER_H_
#define THFUZZ_HARNESS_MINIMIZE_INTERNAL_CANDIDATE_TESTER_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

#include "harness/minimize/minimizer.h"
#include "harness/minimize/schedule_cost.h"

namespace thfuzz::minimize_internal {

class CandidateTester {
 public:
  CandidateTester(const Schedule& failing, const FailurePredicate& still_fails,
                  const MinimizeOptions& options);

  // Makes `candidate` the current case if it is cheaper and still fails.
  bool Try(const Schedule& candidate);

  const Schedule& current() const { return current_; }
  // Why minimizing must stop now, if it must.
  std::optional<MinimizeStop> stop() const;
  bool stopped() const { return stop().has_value(); }

  uint64_t executions() const { return executions_; }
  uint64_t accepted() const { return accepted_; }
  std::chrono::milliseconds elapsed() const;

 private:
  std::optional<Schedule> FailingVariant(const Schedule& candidate);
  void MaybeReportProgress();

  Schedule current_;
  ScheduleCost current_cost_;
  const FailurePredicate& still_fails_;
  const MinimizeOptions& options_;
  std::unordered_set<std::string> known_passing_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_report_;
  uint64_t executions_ = 0;
  uint64_t accepted_ = 0;
};

}  // namespace thfuzz::minimize_internal

#endif  // THFUZZ_HARNESS_MINIMIZE_INTERNAL_CANDIDATE_TESTER_H_

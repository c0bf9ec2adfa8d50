// The minimizer's acceptance gate: validity, cost, memo, budget, predicate.

#include "harness/minimize/internal/candidate_tester.h"

#include <string>
#include <vector>

#include "harness/codec/codec.h"
#include "harness/random.h"

namespace thfuzz::minimize_internal {
namespace {

using Clock = std::chrono::steady_clock;

std::string Key(const Schedule& schedule) {
  std::vector<uint8_t> bytes = EncodeSchedule(schedule);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

CandidateTester::CandidateTester(const Schedule& failing,
                                 const FailurePredicate& still_fails,
                                 const MinimizeOptions& options)
    : current_(failing),
      current_cost_(CostOf(failing)),
      still_fails_(still_fails),
      options_(options),
      start_(Clock::now()),
      last_report_(start_) {}

std::chrono::milliseconds CandidateTester::elapsed() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                               start_);
}

std::optional<MinimizeStop> CandidateTester::stop() const {
  if (options_.interrupt != nullptr && options_.interrupt->load()) {
    return MinimizeStop::kInterrupted;
  }
  if (executions_ >= options_.max_executions) {
    return MinimizeStop::kExecutionBudget;
  }
  if (elapsed() >= options_.max_wall_time) return MinimizeStop::kTimeBudget;
  return std::nullopt;
}

bool CandidateTester::Try(const Schedule& candidate) {
  if (stopped()) return false;
  if (!(CostOf(candidate) < current_cost_)) return false;
  if (!ValidateSchedule(candidate).empty()) return false;
  // Passing candidates are remembered: a later round often rebuilds one.
  // Failing ones never recur, since the current case only gets cheaper.
  std::string key = Key(candidate);
  if (known_passing_.count(key)) return false;
  std::optional<Schedule> failing = FailingVariant(candidate);
  if (failing) {
    current_ = std::move(*failing);
    current_cost_ = CostOf(current_);
    ++accepted_;
  } else {
    known_passing_.insert(std::move(key));
  }
  MaybeReportProgress();
  return failing.has_value();
}

// The candidate itself, or else a re-seeded copy, that still fails.
std::optional<Schedule> CandidateTester::FailingVariant(
    const Schedule& candidate) {
  ++executions_;
  if (still_fails_(candidate)) return candidate;
  Schedule reseeded = candidate;
  for (unsigned i = 1; i <= options_.reseed_tries && !stopped(); ++i) {
    reseeded.seed = FrozenMix64(candidate.seed + i);
    // Only progress counts: a seed-0 candidate re-seeded may be no cheaper.
    if (!(CostOf(reseeded) < current_cost_)) break;
    ++executions_;
    if (still_fails_(reseeded)) return reseeded;
  }
  return std::nullopt;
}

void CandidateTester::MaybeReportProgress() {
  if (!options_.on_progress) return;
  Clock::time_point now = Clock::now();
  if (now - last_report_ < options_.progress_interval) return;
  last_report_ = now;
  options_.on_progress({&current_, executions_, accepted_, elapsed()});
}

}  // namespace thfuzz::minimize_internal

// The controlled executor's scheduler: decisions, PCT, fairness, liveness.

#include "harness/exec/internal/scheduler.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

#include "harness/exec/internal/abort.h"

namespace thfuzz::exec_internal {
namespace {

thread_local Scheduler* current_scheduler = nullptr;

// PCT with depth 3: two priority change points.
constexpr int kChangePoints = 2;
// Scheduling points an operation passes, on average, in the tophash map;
// PCT spreads its change points over the expected length of the run.
constexpr uint64_t kPointsPerOperation = 8;
// Picks among spinning fibers only, in a row, before the run counts as hung.
constexpr uint64_t kIdlePickLimit = 512;

}  // namespace

Scheduler::Scheduler(const Schedule& schedule, uint64_t step_budget)
    : threads_(schedule.threads.size()),
      decisions_(schedule.decisions, schedule.seed),
      step_budget_(step_budget) {
  SeededRandom& random = decisions_.random();
  std::vector<int64_t> priorities(threads_.size());
  std::iota(priorities.begin(), priorities.end(), kChangePoints + 1);
  for (size_t i = priorities.size(); i > 1; --i) {
    std::swap(priorities[i - 1], priorities[random.Below(i)]);
  }
  for (size_t t = 0; t < threads_.size(); ++t) {
    threads_[t].priority = priorities[t];
  }
  uint64_t expected =
      std::max<uint64_t>(1, schedule.TotalOps() * kPointsPerOperation);
  for (int i = 0; i < kChangePoints; ++i) {
    change_points_.push_back(1 + random.Next() % expected);
  }
  lowest_priority_ = kChangePoints;
  previous_current_ = current_scheduler;
  current_scheduler = this;
}

Scheduler::~Scheduler() { current_scheduler = previous_current_; }

Scheduler* Scheduler::Current() { return current_scheduler; }

void Scheduler::Run(const std::function<void(size_t thread)>& body) {
  for (size_t t = 0; t < threads_.size(); ++t) {
    threads_[t].fiber = std::make_unique<Fiber>([&body, t] { body(t); });
  }
  for (;;) {
    size_t next = next_ != kNone ? next_ : PickNextFiber();
    next_ = kNone;
    if (next == kNone) {
      auto live =
          std::find_if(threads_.begin(), threads_.end(),
                       [](const Logical& l) { return !l.fiber->done(); });
      if (live == threads_.end()) break;
      // Fibers remain but none can run: every one is blocked.
      DeclareHung("deadlock: every unfinished thread waits for a lock");
      next = live - threads_.begin();
    }
    running_ = next;
    threads_[next].fiber->Resume();
    running_ = kNone;
  }
}

// Candidates are fibers that can run; while aborting, blocked ones too (they
// must unwind). Non-spinning candidates go first.
size_t Scheduler::PickNextFiber() {
  std::vector<size_t> busy, spinning;
  for (size_t t = 0; t < threads_.size(); ++t) {
    const Logical& l = threads_[t];
    if (l.fiber->done() || (l.blocked_on != nullptr && !aborting_)) continue;
    (l.spinning ? spinning : busy).push_back(t);
  }
  if (aborting_) {
    if (!busy.empty()) return busy.front();
    return spinning.empty() ? kNone : spinning.front();
  }
  const std::vector<size_t>& pool = busy.empty() ? spinning : busy;
  if (pool.empty()) return kNone;
  idle_picks_ = busy.empty() ? idle_picks_ + 1 : 0;
  if (!decisions_.Exhausted()) return pool[decisions_.Pick(pool.size())];
  return *std::max_element(pool.begin(), pool.end(), [&](size_t a, size_t b) {
    return threads_[a].priority < threads_[b].priority;
  });
}

void Scheduler::MaybeChangePriority() {
  for (uint64_t point : change_points_) {
    if (point == steps_) threads_[running_].priority = --lowest_priority_;
  }
}

void Scheduler::Point(bool waiting) {
  if (!InFiber()) return;
  if (aborting_) throw ExecutionAborted{};
  ++steps_;
  threads_[running_].spinning = waiting;
  if (steps_ > step_budget_) {
    DeclareHung("the execution passed its budget of " +
                std::to_string(step_budget_) + " scheduling steps");
    throw ExecutionAborted{};
  }
  MaybeChangePriority();
  size_t next = PickNextFiber();
  if (idle_picks_ > kIdlePickLimit) {
    DeclareHung("livelock: only threads waiting on each other could run");
    throw ExecutionAborted{};
  }
  if (next != running_) SwitchTo(next);
}

void Scheduler::BlockOn(const void* resource) {
  if (!InFiber()) return;
  if (aborting_) throw ExecutionAborted{};
  ++steps_;
  threads_[running_].blocked_on = resource;
  threads_[running_].spinning = false;
  SwitchTo(kNone);  // the main loop chooses, or declares a deadlock
  if (aborting_) throw ExecutionAborted{};
}

void Scheduler::Wake(const void* resource) {
  for (Logical& l : threads_) {
    if (l.blocked_on == resource) l.blocked_on = nullptr;
  }
}

void Scheduler::SwitchTo(size_t next) {
  size_t self = running_;
  next_ = next;
  ++switches_;
  threads_[self].fiber->Suspend();
  // Resumed by the main loop; running_ is ours again.
  if (aborting_) throw ExecutionAborted{};
}

void Scheduler::DeclareHung(std::string reason) {
  if (!aborting_) hung_reason_ = std::move(reason);
  aborting_ = true;
}

}  // namespace thfuzz::exec_internal

// The controlled executor's scheduler: decisions, PCT, fairness, liveness.

#include "harness/exec/internal/scheduler.h"

#include <algorithm>
#include <array>
#include <exception>
#include <numeric>
#include <string>
#include <utility>

#include "harness/exec/internal/abort.h"
#include "harness/exec/internal/concurrency_feedback.h"

namespace thfuzz::exec_internal {
namespace {

thread_local Scheduler* current_scheduler = nullptr;

// PCT with depth 3: two priority change points.
constexpr int kChangePoints = 2;
// Scheduling points an operation passes, on average, in the tophash map;
// PCT spreads its change points over the expected length of the run.
// Measured on generated schedules: 8.6 at coarse granularity, 70 at fine and
// weak (every shared access is a point).
constexpr uint64_t kPointsPerOperation = 8;
constexpr uint64_t kPointsPerOperationFine = 64;
// Picks among spinning fibers only, in a row, before the run counts as hung.
constexpr uint64_t kIdlePickLimit = 512;
// Weak granularity, once decisions run out: a load reads an older store one
// time in kStaleOdds (uniformly among the allowed older ones).
constexpr uint64_t kStaleOdds = 2;

// A fiber that unwinds from an aborted execution runs the map's destructors
// (an epoch guard's store, say), which reach scheduling points again: those
// run straight through, since throwing there again would terminate. Only an
// aborted execution unwinds a fiber (the executor lets no other exception
// out of one), so the points ask this, a libstdc++ call and a TLS lookup
// that cost 4% of a campaign when asked at every access, only once aborting.
bool Unwinding() { return std::uncaught_exceptions() > 0; }

}  // namespace

Scheduler::Scheduler(const Schedule& schedule, uint64_t step_budget,
                     Granularity granularity)
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
  uint64_t per_operation = granularity == Granularity::kCoarse
                               ? kPointsPerOperation
                               : kPointsPerOperationFine;
  uint64_t expected =
      std::max<uint64_t>(1, schedule.TotalOps() * per_operation);
  for (int i = 0; i < kChangePoints; ++i) {
    change_points_.push_back(1 + random.Next() % expected);
  }
  std::sort(change_points_.begin(), change_points_.end());
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
  heartbeat_.SetBusy(true);
  size_t previous = kNone;
  for (;;) {
    size_t next = next_ != kNone ? next_ : PickNextFiber();
    next_ = kNone;
    if (next == kNone) {
      auto live = std::find_if(threads_.begin(), threads_.end(),
                               [](const Logical& l) { return !l.finished; });
      if (live == threads_.end()) break;
      // Fibers remain but none can run: every one is blocked.
      DeclareHung("deadlock: every unfinished thread waits for a lock");
      next = live - threads_.begin();
    }
    if (next != previous) {
      if (tracing()) RecordSwitch(previous, next);
      if (feedback_ != nullptr) ObserveSwitch(previous, next);
    }
    running_ = next;
    heartbeat_.Run(next);
    threads_[next].fiber->Resume();
    threads_[next].finished = threads_[next].fiber->done();
    running_ = kNone;
    previous = next;
  }
  heartbeat_.SetBusy(false);
}

void Scheduler::TraceInto(
    std::vector<TraceEntry>* trace,
    std::function<std::string(const void*)> name_address) {
  trace_ = trace;
  name_address_ = std::move(name_address);
}

void Scheduler::Record(TraceEntry entry) {
  if (trace_ != nullptr && trace_->size() < Execution::kMaxTrace) {
    trace_->push_back(std::move(entry));
  }
}

void Scheduler::RecordSwitch(size_t previous, size_t next) {
  // A thread that finished did not switch out; one that starts did not
  // stop anywhere.
  if (previous == kNone || threads_[previous].finished) return;
  TraceEntry entry;
  entry.kind = TraceEntry::Kind::kSwitch;
  entry.time = clock_;
  entry.thread = static_cast<uint8_t>(previous);
  entry.other = static_cast<uint8_t>(next);
  std::string where =
      threads_[previous].blocked_on != nullptr
          ? "blocked on a lock"
          : "paused " + heartbeat_.LastPoint(previous, name_address_);
  entry.text = "T" + std::to_string(previous) + " " + where + "; T" +
               std::to_string(next) + " runs";
  Record(std::move(entry));
}

void Scheduler::ObserveSwitch(size_t previous, size_t next) {
  // The same switches as RecordSwitch() traces.
  if (previous == kNone || threads_[previous].finished) return;
  const Logical& stopped = threads_[previous];
  SwitchReason why = stopped.blocked_on != nullptr ? SwitchReason::kBlocked
                     : stopped.spinning            ? SwitchReason::kSpinning
                                                   : SwitchReason::kPicked;
  feedback_->Switched(previous, next, why);
}

// Candidates are fibers that can run; while aborting, blocked ones too (they
// must unwind). Non-spinning candidates go first. This runs at every
// scheduling point (every access at fine granularity), so each case is one
// pass over the threads with no allocation.
size_t Scheduler::PickNextFiber() {
  if (aborting_) return PickWhileAborting();
  if (!decisions_.Exhausted()) return PickByDecision();
  return PickByPriority();
}

size_t Scheduler::PickWhileAborting() const {
  size_t first_spinning = kNone;
  for (size_t t = 0; t < threads_.size(); ++t) {
    const Logical& l = threads_[t];
    if (l.finished) continue;
    if (!l.spinning) return t;
    if (first_spinning == kNone) first_spinning = t;
  }
  return first_spinning;
}

size_t Scheduler::PickByDecision() {
  std::array<size_t, Schedule::kMaxThreads> busy, spinning;
  size_t busy_count = 0, spinning_count = 0;
  for (size_t t = 0; t < threads_.size(); ++t) {
    const Logical& l = threads_[t];
    if (l.finished || l.blocked_on != nullptr) continue;
    if (l.spinning) {
      spinning[spinning_count++] = t;
    } else {
      busy[busy_count++] = t;
    }
  }
  if (busy_count == 0 && spinning_count == 0) return kNone;
  idle_picks_ = busy_count == 0 ? idle_picks_ + 1 : 0;
  if (busy_count == 0) return spinning[decisions_.Pick(spinning_count)];
  return busy[decisions_.Pick(busy_count)];
}

// PCT: the runnable thread with the highest priority (priorities are
// distinct).
size_t Scheduler::PickByPriority() {
  size_t best_busy = kNone, best_spinning = kNone;
  for (size_t t = 0; t < threads_.size(); ++t) {
    const Logical& l = threads_[t];
    if (l.finished || l.blocked_on != nullptr) continue;
    size_t& best = l.spinning ? best_spinning : best_busy;
    if (best == kNone || l.priority > threads_[best].priority) best = t;
  }
  if (best_busy == kNone && best_spinning == kNone) return kNone;
  idle_picks_ = best_busy == kNone ? idle_picks_ + 1 : 0;
  return best_busy != kNone ? best_busy : best_spinning;
}

void Scheduler::MaybeChangePriority() {
  // change_points_ is sorted; equal points lower the priority once each.
  while (next_change_ < change_points_.size() &&
         change_points_[next_change_] <= steps_) {
    if (change_points_[next_change_] == steps_) {
      threads_[running_].priority = --lowest_priority_;
    }
    ++next_change_;
  }
}

void Scheduler::Point(bool waiting) {
  if (!InFiber()) return;
  if (aborting_) {
    if (Unwinding()) return;
    throw ExecutionAborted{};
  }
  threads_[running_].spinning = waiting;
  Yield();
}

void Scheduler::AccessPoint(const Access& access) {
  if (!InFiber()) return;
  if (aborting_) {
    if (Unwinding()) return;
    throw ExecutionAborted{};
  }
  heartbeat_.Pass(running_, access);
  if (feedback_ != nullptr) {
    feedback_->Passed(running_, ConcurrencyRecorder::AccessKey(access));
  }
  Yield();
}

size_t Scheduler::PickStore(size_t candidates) {
  if (!decisions_.Exhausted()) return decisions_.Pick(candidates);
  SeededRandom& random = decisions_.random();
  if (random.Below(kStaleOdds) != 0) return 0;
  return 1 + random.Below(candidates - 1);
}

void Scheduler::Yield() {
  ++steps_;
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
  if (feedback_ != nullptr) {
    feedback_->Retried(running_, RetryKind::kLockBlocked, 0);
  }
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

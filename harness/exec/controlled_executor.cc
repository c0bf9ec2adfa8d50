// The controlled executor: logical threads as fibers on one OS thread, every
// interleaving decided by the schedule (internal/scheduler.h), so the same
// input always yields the same history, bit for bit.
//
// The tophash map runs with ControlledPolicy: its point() calls go to the
// scheduler, its shard locks are FiberMutexes (a contended lock blocks the
// fiber, not the OS thread), and its memory goes through a Quarantine so a
// read of a freed bucket array is reported as use-after-free. Other maps run
// unmodified; they are interleaved at operation boundaries only.

#include <algorithm>
#include <memory>
#include <string>

#include "harness/exec/executor.h"
#include "harness/exec/internal/abort.h"
#include "harness/exec/internal/executors.h"
#include "harness/exec/internal/quarantine.h"
#include "harness/exec/internal/run_operation.h"
#include "harness/exec/internal/scheduler.h"
#include "harness/exec/tophash_adapter.h"

namespace thfuzz::internal {
namespace {

// A lock for fibers: contention parks the fiber in the scheduler.
class FiberMutex {
 public:
  void lock() {
    while (locked_) Scheduler::Current()->BlockOn(this);
    locked_ = true;
  }
  void unlock() {
    locked_ = false;
    if (Scheduler* scheduler = Scheduler::Current()) scheduler->Wake(this);
  }

 private:
  bool locked_ = false;
};

struct ControlledContext {
  Scheduler* scheduler = nullptr;
  Quarantine quarantine;
  std::optional<Violation> use_after_free;
};

class ControlledPolicy : public tophash::StdAtomics {
 public:
  using Mutex = FiberMutex;

  ControlledPolicy(ControlledContext* context, tophash::Fault fault)
      : context_(context), fault_(fault) {}

  void point(tophash::Site site, const void* object = nullptr) {
    // Switch first: what matters is whether `object` is freed when this
    // fiber resumes and touches it.
    context_->scheduler->Point(site == tophash::Site::kReadWaitWriter);
    if (context_->quarantine.Contains(object) && !context_->use_after_free) {
      Violation violation;
      violation.kind = ViolationKind::kUseAfterFree;
      violation.summary =
          "T" + std::to_string(context_->scheduler->running_thread()) +
          " reached freed bucket memory at the map's " +
          std::string(tophash::SiteName(site)) + " point";
      context_->use_after_free = violation;
    }
  }
  bool enabled(tophash::Fault fault) const { return fault == fault_; }
  void* allocate(size_t bytes) { return context_->quarantine.Allocate(bytes); }
  void deallocate(void* block, size_t bytes) noexcept {
    context_->quarantine.Free(block, bytes);
  }

 private:
  ControlledContext* context_;
  tophash::Fault fault_;
};

}  // namespace

Execution RunControlled(const Schedule& schedule, const RunOptions& options) {
  Execution execution;
  History& history = execution.history;
  // The context (and its quarantine) must outlive the map.
  ControlledContext context;
  Scheduler scheduler(schedule, options.step_budget);
  context.scheduler = &scheduler;
  std::unique_ptr<MapAdapter> map =
      options.map == MapKind::kTophash
          ? std::make_unique<TophashAdapter<ControlledPolicy>>(
                schedule, ControlledPolicy(&context, options.fault))
          : MakeUninstrumentedMap(options.map);

  scheduler.Run([&](size_t thread) {
    const auto& ops = schedule.threads[thread];
    for (size_t i = 0; i < ops.size() && !scheduler.aborting(); ++i) {
      try {
        scheduler.Point(/*waiting=*/false);  // operations interleave whole
      } catch (const ExecutionAborted&) {
        return;
      }
      Event event = MakeEvent(schedule, thread, i);
      event.invoke = scheduler.Tick();
      try {
        ApplyToMap(*map, event);
        event.response = scheduler.Tick();
      } catch (const ExecutionAborted&) {
        event.completed = false;
      }
      history.events.push_back(event);
    }
  });
  std::sort(history.events.begin(), history.events.end(),
            [](const Event& a, const Event& b) { return a.invoke < b.invoke; });

  KeepFirst(execution.violation, context.use_after_free);
  for (const Event& event : history.events) {
    KeepFirst(execution.violation, CheckEventRead(schedule, event));
  }
  if (scheduler.aborting()) {
    KeepFirst(execution.violation,
              HungViolation(history, scheduler.hung_reason()));
  }
  KeepFirst(execution.violation, RecordFinalState(*map, schedule, history));
  execution.steps = scheduler.steps();
  execution.context_switches = scheduler.context_switches();
  return execution;
}

}  // namespace thfuzz::internal

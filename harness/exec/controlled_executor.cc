// The controlled executor: logical threads as fibers on one OS thread, every
// interleaving decided by the schedule (internal/scheduler.h), so the same
// input always yields the same history, bit for bit.
//
// The tophash map runs with ControlledPolicy: its point() calls go to the
// scheduler, its shard locks are FiberMutexes (a contended lock blocks the
// fiber, not the OS thread), its shared words are ControlledAtomics, and its
// memory goes through a Quarantine so a read of a freed bucket array is
// reported as use-after-free. The schedule's granularity decides what the
// atomics do: nothing more than std::atomic (coarse), a scheduling point
// before each access (fine), or that plus the C++ memory model (weak), see
// internal/controlled_memory.h. Other maps run unmodified; they are
// interleaved at operation boundaries only.

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/exec/executor.h"
#include "harness/exec/internal/abort.h"
#include "harness/exec/internal/concurrency_feedback.h"
#include "harness/exec/internal/controlled_atomic.h"
#include "harness/exec/internal/controlled_memory.h"
#include "harness/exec/internal/executors.h"
#include "harness/exec/internal/quarantine.h"
#include "harness/exec/internal/run_operation.h"
#include "harness/exec/internal/scheduler.h"
#include "harness/exec/internal/tophash_adapter.h"

namespace thfuzz::exec_internal {
namespace {

using exec_internal::ControlledMemory;

// A lock for fibers: contention parks the fiber in the scheduler. At weak
// granularity unlock() releases and lock() acquires, as for a real mutex.
class FiberMutex {
 public:
  void lock() {
    while (locked_) Scheduler::Current()->BlockOn(this);
    locked_ = true;
    if (ControlledMemory* memory = ControlledMemory::Active()) {
      memory->AcquireLock(clock_);
    }
  }
  void unlock() {
    if (ControlledMemory* memory = ControlledMemory::Active()) {
      memory->ReleaseLock(clock_);
    }
    locked_ = false;
    if (Scheduler* scheduler = Scheduler::Current()) scheduler->Wake(this);
  }

 private:
  bool locked_ = false;
  exec_internal::VectorClock clock_;
};

// An operation of the schedule: thread and index in its list.
struct OpId {
  size_t thread = 0;
  size_t index = 0;
};

struct ControlledContext {
  Scheduler* scheduler = nullptr;
  Quarantine quarantine;
  std::optional<Violation> use_after_free;
  // For the use-after-free report: each thread's operation in progress,
  // and which operation freed each block (start -> end, who).
  std::vector<size_t> current_op;
  std::map<uintptr_t, std::pair<uintptr_t, OpId>> freed_by;
  OpId reader;                // the operation that reached freed memory
  std::optional<OpId> freer;  // the one that had freed it, if known
  size_t freed_bytes = 0;

  OpId Running() const {
    size_t thread = scheduler->running_thread();
    return {thread, thread < current_op.size() ? current_op[thread] : 0};
  }
};

class ControlledPolicy {
 public:
  using Mutex = FiberMutex;
  template <class T>
  using Atomic = exec_internal::ControlledAtomic<T>;

  static void fence(
      std::memory_order order,
      exec_internal::SourceSite where = exec_internal::SourceSite::Current()) {
    exec_internal::ControlledFence(order, where);
  }
  // Coarse runs keep the OS thread's slot, shared by all fibers, as they
  // always did: no access inside the epoch's bookkeeping is a scheduling
  // point there, and a different slot would change when tables are freed,
  // hence which decisions stored regressions consume.
  static size_t thread_slot() {
    exec_internal::AccessObserver* observer =
        exec_internal::AccessObserver::Current();
    return observer != nullptr ? observer->ThreadSlot()
                               : tophash::internal::ThisThreadIndex();
  }

  ControlledPolicy(ControlledContext* context, tophash::Fault fault)
      : context_(context), fault_(fault) {}

  void point(tophash::Site site, const void* object = nullptr) {
    Scheduler& scheduler = *context_->scheduler;
    if (scheduler.InFiber()) {
      scheduler.heartbeat().Pass(scheduler.running_thread(), site);
      if (ConcurrencyRecorder* feedback = scheduler.feedback()) {
        ObservePoint(*feedback, scheduler.running_thread(), site);
      }
    }
    // Switch first: what matters is whether `object` is freed when this
    // fiber resumes and touches it.
    scheduler.Point(site == tophash::Site::kReadWaitWriter);
    if (context_->quarantine.Contains(object) && !context_->use_after_free) {
      context_->reader = context_->Running();
      auto address = reinterpret_cast<uintptr_t>(object);
      auto block = context_->freed_by.upper_bound(address);
      if (block != context_->freed_by.begin() &&
          address < std::prev(block)->second.first) {
        --block;
        context_->freer = block->second.second;
        context_->freed_bytes = block->second.first - block->first;
      }
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
  // A named point for concurrency feedback: a retry or a wait, then the
  // thread's new last point.
  static void ObservePoint(ConcurrencyRecorder& feedback, size_t thread,
                           tophash::Site site) {
    uint32_t key = ConcurrencyRecorder::NamedPointKey(site);
    if (site == tophash::Site::kReadRetry) {
      feedback.Retried(thread, RetryKind::kReadRetry, key);
    } else if (site == tophash::Site::kReadWaitWriter) {
      feedback.Retried(thread, RetryKind::kWaitWriter, key);
    }
    feedback.Passed(thread, key);
  }
  void* allocate(size_t bytes) { return context_->quarantine.Allocate(bytes); }
  // For traces: the block an address of the map's memory lies in.
  std::optional<Quarantine::Block> FindBlock(const void* address) const {
    return context_->quarantine.FindBlock(address);
  }
  void deallocate(void* block, size_t bytes) noexcept {
    auto start = reinterpret_cast<uintptr_t>(block);
    context_->freed_by[start] = {start + bytes, context_->Running()};
    context_->quarantine.Free(block, bytes);
  }

 private:
  ControlledContext* context_;
  tophash::Fault fault_;
};

// Names the operations of a use-after-free: the one that reached the freed
// memory becomes the violation's offending event, and the summary says
// which operation had freed the table.
void NameUseAfterFree(const ControlledContext& context, const History& history,
                      Violation& violation) {
  auto find = [&](const OpId& op) -> std::optional<size_t> {
    for (size_t e = 0; e < history.events.size(); ++e) {
      if (history.events[e].thread == op.thread &&
          history.events[e].index == op.index) {
        return e;
      }
    }
    return std::nullopt;
  };
  std::optional<size_t> reader = find(context.reader);
  if (!reader) return;
  violation.offending = *reader;
  violation.events.push_back(*reader);
  std::string summary =
      EventName(history.events[*reader]) + " reached freed bucket memory";
  if (context.freer) {
    if (std::optional<size_t> freer = find(*context.freer)) {
      violation.events.push_back(*freer);
      summary += " (a table of " + std::to_string(context.freed_bytes) +
                 " bytes that " + EventName(history.events[*freer]) +
                 " had freed)";
    }
  }
  size_t at = violation.summary.find(" at the map's ");
  if (at != std::string::npos) summary += violation.summary.substr(at);
  violation.summary = summary;
  std::sort(violation.events.begin(), violation.events.end());
  violation.events.erase(
      std::unique(violation.events.begin(), violation.events.end()),
      violation.events.end());
}

}  // namespace

Execution RunControlled(const Schedule& schedule, const RunOptions& options) {
  Execution execution;
  History& history = execution.history;
  // The context (and its quarantine) must outlive the map.
  ControlledContext context;
  // Before the map allocates its first table, so traces can name its words.
  if (options.trace) context.quarantine.TrackBlocks();
  Granularity granularity = EffectiveGranularity(schedule, options);
  Scheduler scheduler(schedule, options.step_budget, granularity);
  context.scheduler = &scheduler;
  std::optional<ConcurrencyRecorder> feedback;
  if (!options.concurrency_counters.empty()) {
    feedback.emplace(options.concurrency_counters);
    scheduler.set_feedback(&*feedback);
  }
  context.current_op.assign(schedule.threads.size(), 0);
  std::optional<ControlledMemory> memory;
  if (granularity != Granularity::kCoarse)
    memory.emplace(scheduler, granularity);
  auto sync_real_time = [&] {
    if (memory) memory->SyncRealTime();
  };
  std::unique_ptr<MapAdapter> map = MakeMap(options, [&] {
    return std::make_unique<TophashAdapter<ControlledPolicy>>(
        schedule, ControlledPolicy(&context, options.fault));
  });
  exec_internal::WatchdogGuard watchdog(schedule, options,
                                        {&scheduler.heartbeat()});
  if (options.trace) {
    scheduler.TraceInto(&execution.trace, [&map](const void* address) {
      return map->DescribeAddress(address);
    });
  }

  scheduler.Run([&](size_t thread) {
    const auto& ops = schedule.threads[thread];
    for (size_t i = 0; i < ops.size() && !scheduler.aborting(); ++i) {
      scheduler.heartbeat().StartOperation(thread, i);
      if (feedback) {
        feedback->Passed(thread,
                         ConcurrencyRecorder::OperationKey(ops[i].kind));
      }
      try {
        scheduler.Point(/*waiting=*/false);  // operations interleave whole
      } catch (const ExecutionAborted&) {
        return;
      }
      context.current_op[thread] = i;
      Event event = MakeEvent(schedule, thread, i);
      sync_real_time();
      event.invoke = scheduler.Tick();
      try {
        ApplyToMap(*map, event);
        sync_real_time();
        event.response = scheduler.Tick();
      } catch (const ExecutionAborted&) {
        event.completed = false;
      }
      scheduler.heartbeat().FinishOperation(thread);
      history.events.push_back(event);
    }
  });
  std::sort(history.events.begin(), history.events.end(),
            [](const Event& a, const Event& b) { return a.invoke < b.invoke; });

  if (context.use_after_free) {
    NameUseAfterFree(context, history, *context.use_after_free);
  }
  KeepFirst(execution.violation, context.use_after_free);
  KeepFirst(execution.violation, CheckReads(schedule, history));
  if (scheduler.aborting()) {
    KeepFirst(execution.violation,
              HungViolation(history, scheduler.hung_reason()));
  }
  KeepFirst(execution.violation, RecordFinalState(*map, schedule, history));
  execution.steps = scheduler.steps();
  execution.context_switches = scheduler.context_switches();
  if (memory) {
    execution.modelled_loads = memory->model().loads();
    execution.stale_loads = memory->model().stale_loads();
  }
  return execution;
}

}  // namespace thfuzz::exec_internal

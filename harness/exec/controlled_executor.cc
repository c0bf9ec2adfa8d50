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
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/exec/executor.h"
#include "harness/exec/internal/abort.h"
#include "harness/exec/internal/executors.h"
#include "harness/exec/internal/quarantine.h"
#include "harness/exec/internal/run_operation.h"
#include "harness/exec/internal/scheduler.h"
#include "harness/exec/internal/tophash_adapter.h"

namespace thfuzz::exec_internal {
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
  void* allocate(size_t bytes) { return context_->quarantine.Allocate(bytes); }
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
  Scheduler scheduler(schedule, options.step_budget);
  context.scheduler = &scheduler;
  context.current_op.assign(schedule.threads.size(), 0);
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
      context.current_op[thread] = i;
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
  return execution;
}

}  // namespace thfuzz::exec_internal

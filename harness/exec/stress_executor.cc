// The stress executor: the schedule's logical threads on real OS threads,
// released together, with optional timing noise at the map's scheduling
// points.
//
// It finds what only real parallelism shows (memory-ordering bugs, races the
// controlled scheduler's points do not split), at the price of determinism:
// the same schedule may pass once and fail the next time, so its findings are
// re-run and, where possible, converted to controlled schedules.
//
// Events are timestamped with a global atomic counter just before and just
// after each call, so intervals that do not overlap in the history did not
// overlap in time. A hung operation (one that spends more than
// RunOptions::stress_timeout inside the map) makes every thread abort at its
// next scheduling point; the execution then reports a liveness violation.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness/exec/executor.h"
#include "harness/exec/internal/abort.h"
#include "harness/exec/internal/decision_source.h"
#include "harness/exec/internal/executors.h"
#include "harness/exec/internal/quarantine.h"
#include "harness/exec/internal/run_operation.h"
#include "harness/exec/internal/tophash_adapter.h"
#include "harness/exec/internal/watchdog.h"
#include "harness/exec/internal/worker_pool.h"

namespace thfuzz::exec_internal {
namespace {

using Clock = std::chrono::steady_clock;

// Noise the schedule's seed selects: none, yields, short spins, or both.
enum class Noise { kNone, kYield, kSpin, kMixed };

struct StressShared {
  std::atomic<uint64_t> clock{0};
  std::atomic<bool> aborting{false};
  std::chrono::milliseconds timeout{0};
  Noise noise = Noise::kNone;
  Quarantine quarantine;
  std::mutex violation_mu;
  std::optional<Violation> use_after_free;
  size_t reader_thread = 0;  // the operation that reached freed memory
  size_t reader_op = 0;
};

// Per-OS-thread state of the logical thread a worker is running.
struct StressThread {
  StressShared* shared = nullptr;
  size_t thread = 0;
  size_t op = 0;  // index of the operation in progress
  Heartbeat* heartbeat = nullptr;
  SeededRandom random{0};
  Clock::time_point op_start;
  uint64_t points = 0;
};
thread_local StressThread* current_thread = nullptr;

void InjectNoise(StressThread& self) {
  Noise noise = self.shared->noise;
  if (noise == Noise::kNone) return;
  uint64_t roll = self.random.Next();
  bool yield = noise == Noise::kYield || (noise == Noise::kMixed && roll & 1);
  if ((roll >> 8) % 8 != 0) return;  // one point in eight
  if (yield) {
    std::this_thread::yield();
    return;
  }
  for (uint64_t spins = (roll >> 16) % 64; spins > 0; --spins) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
}

class StressPolicy : public tophash::StdAtomics {
 public:
  using Mutex = std::mutex;

  StressPolicy(StressShared* shared, tophash::Fault fault)
      : shared_(shared), fault_(fault) {}

  void point(tophash::Site site, const void* object = nullptr) {
    StressThread* self = current_thread;
    if (self == nullptr) return;  // the final snapshot, on the main thread
    self->heartbeat->Pass(self->thread, site);
    if (shared_->aborting.load(std::memory_order_relaxed)) {
      throw ExecutionAborted{};
    }
    if (++self->points % 256 == 0 &&
        Clock::now() - self->op_start > shared_->timeout) {
      shared_->aborting.store(true);
      throw ExecutionAborted{};
    }
    InjectNoise(*self);
    if (shared_->quarantine.Contains(object)) RecordUseAfterFree(*self, site);
  }
  bool enabled(tophash::Fault fault) const { return fault == fault_; }
  void* allocate(size_t bytes) { return shared_->quarantine.Allocate(bytes); }
  void deallocate(void* block, size_t bytes) noexcept {
    shared_->quarantine.Free(block, bytes);
  }

 private:
  void RecordUseAfterFree(const StressThread& self, tophash::Site site) {
    std::lock_guard<std::mutex> lock(shared_->violation_mu);
    if (shared_->use_after_free) return;
    Violation violation;
    violation.kind = ViolationKind::kUseAfterFree;
    violation.summary = "T" + std::to_string(self.thread) +
                        " reached freed bucket memory at the map's " +
                        std::string(tophash::SiteName(site)) + " point";
    shared_->use_after_free = violation;
    shared_->reader_thread = self.thread;
    shared_->reader_op = self.op;
  }

  StressShared* shared_;
  tophash::Fault fault_;
};

void RunThread(const Schedule& schedule, MapAdapter& map, StressShared& shared,
               size_t thread, Heartbeat& heartbeat,
               std::vector<Event>& events) {
  StressThread self;
  self.shared = &shared;
  self.thread = thread;
  self.heartbeat = &heartbeat;
  heartbeat.SetBusy(true);
  self.random = SeededRandom(schedule.seed ^ (0x51ed270b27ULL * (thread + 1)));
  current_thread = &self;
  const auto& ops = schedule.threads[thread];
  for (size_t i = 0; i < ops.size(); ++i) {
    if (shared.aborting.load(std::memory_order_relaxed)) break;
    self.op = i;
    Event event = MakeEvent(schedule, thread, i);
    heartbeat.StartOperation(thread, i);
    self.op_start = Clock::now();
    event.invoke = shared.clock.fetch_add(1) + 1;
    try {
      ApplyToMap(map, event);
      event.response = shared.clock.fetch_add(1) + 1;
    } catch (const ExecutionAborted&) {
      event.completed = false;
    }
    events.push_back(event);
  }
  heartbeat.SetBusy(false);
  current_thread = nullptr;
}

}  // namespace

Execution RunStress(const Schedule& schedule, const RunOptions& options) {
  Execution execution;
  History& history = execution.history;
  StressShared shared;  // outlives the map: it owns the quarantine
  shared.timeout = options.stress_timeout;
  shared.noise = static_cast<Noise>(schedule.seed % 4);
  std::unique_ptr<MapAdapter> map = MakeMap(options, [&] {
    return std::make_unique<TophashAdapter<StressPolicy>>(
        schedule, StressPolicy(&shared, options.fault));
  });

  size_t threads = schedule.threads.size();
  std::vector<std::vector<Event>> per_thread(threads);
  std::unique_ptr<Heartbeat[]> heartbeats(new Heartbeat[threads]);
  std::vector<Heartbeat*> watched;
  for (size_t t = 0; t < threads; ++t) watched.push_back(&heartbeats[t]);
  WatchdogGuard watchdog(schedule, options, watched);
  WorkerPool::Get().Run(threads, [&](size_t thread) {
    RunThread(schedule, *map, shared, thread, heartbeats[thread],
              per_thread[thread]);
  });
  for (auto& events : per_thread) {
    history.events.insert(history.events.end(), events.begin(), events.end());
  }
  std::sort(history.events.begin(), history.events.end(),
            [](const Event& a, const Event& b) { return a.invoke < b.invoke; });

  if (shared.use_after_free) {
    // The operation that reached freed memory is the one to look at.
    for (size_t e = 0; e < history.events.size(); ++e) {
      const Event& event = history.events[e];
      if (event.thread != shared.reader_thread ||
          event.index != shared.reader_op) {
        continue;
      }
      shared.use_after_free->offending = e;
      shared.use_after_free->events = {e};
      shared.use_after_free->summary =
          EventName(event) + " reached freed bucket memory" +
          shared.use_after_free->summary.substr(
              shared.use_after_free->summary.find(" at the map's "));
    }
  }
  KeepFirst(execution.violation, shared.use_after_free);
  KeepFirst(execution.violation, CheckReads(schedule, history));
  if (shared.aborting.load()) {
    KeepFirst(execution.violation,
              HungViolation(history,
                            "an operation ran longer than " +
                                std::to_string(options.stress_timeout.count()) +
                                " ms"));
  }
  KeepFirst(execution.violation, RecordFinalState(*map, schedule, history));
  return execution;
}

}  // namespace thfuzz::exec_internal

// Scheduler: deterministic interleaving of logical threads on fibers.
//
// The controlled executor runs each logical thread of a schedule on a Fiber,
// all on one OS thread. Whenever a fiber reaches a scheduling point (one of
// the map's point() calls, the start of an operation, or a contended lock)
// the scheduler decides which fiber runs next:
//
//   * while the schedule has decision bytes, each decision picks one of the
//     fibers that can run (byte % count);
//   * after that, PCT (Burckhardt et al., "A Randomized Scheduler with
//     Probabilistic Guarantees of Finding Bugs"): fibers get distinct random
//     priorities, the highest runs, and at a few random steps the running
//     fiber drops below all others. Everything is seeded by the schedule.
//
// Granularity (schedule.h): at coarse granularity the scheduling points are
// the map's named point() calls, operation starts and contended locks. At fine
// and weak granularity every shared-memory access of the map is one more
// (AccessPoint(), called through ControlledAtomic), and at weak granularity
// the same decision stream also picks which store a load reads (PickStore()).
//
// Fairness: a fiber that yields from a wait loop (a reader waiting for a
// writer) is "spinning" and is not chosen while any other fiber can run. A
// fiber blocked on a lock is not chosen until the lock is released. If only
// spinning fibers are left for long, or all fibers are blocked, or the step
// budget runs out, the execution is declared hung: every fiber is resumed
// one last time and unwinds with ExecutionAborted, and the scheduler reports
// a liveness violation. So a livelock is a finding, never a hang.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_SCHEDULER_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_SCHEDULER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "harness/exec/executor.h"
#include "harness/exec/internal/access.h"
#include "harness/exec/internal/decision_source.h"
#include "harness/exec/internal/fiber.h"
#include "harness/exec/internal/watchdog.h"
#include "harness/schedule.h"

namespace thfuzz::exec_internal {

class ConcurrencyRecorder;

class Scheduler {
 public:
  Scheduler(const Schedule& schedule, uint64_t step_budget,
            Granularity granularity);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // The scheduler whose fibers run on this OS thread, or nullptr.
  static Scheduler* Current();

  // Runs body(thread) for every logical thread until all have returned.
  // `body` must catch ExecutionAborted itself.
  void Run(const std::function<void(size_t thread)>& body);

  // A scheduling point of the running fiber. `waiting` marks a point inside
  // a wait loop. Throws ExecutionAborted once the execution is hung. Outside
  // any fiber (e.g. the final snapshot) it does nothing.
  void Point(bool waiting);
  // The scheduling point before a shared-memory access (fine and weak
  // granularity). A fiber spinning in a wait loop stays spinning: its loop's
  // accesses are part of the wait.
  void AccessPoint(const Access& access);
  // Weak granularity: which of `candidates` (> 1) stores a load reads, 0 the
  // newest. A decision byte while they last, then the seeded stream, which
  // reads an older store one time in kStaleOdds.
  size_t PickStore(size_t candidates);
  // Whether the running fiber is waiting in a wait loop.
  bool running_spins() const { return threads_[running_].spinning; }
  // The running fiber cannot proceed until Wake(resource) is called.
  void BlockOn(const void* resource);
  void Wake(const void* resource);

  bool InFiber() const { return running_ != kNone; }
  size_t running_thread() const { return running_; }
  bool aborting() const { return aborting_; }
  // The logical clock for events: strictly increasing.
  uint64_t Tick() { return ++clock_; }

  // Where the fibers are, for the watchdog (internal/watchdog.h). The
  // scheduler beats it whenever a fiber resumes and at access points; the
  // map's named points and operation starts beat it through the executor.
  Heartbeat& heartbeat() { return heartbeat_; }

  // Reports context switches, access points and lock blocking to
  // `feedback` (concurrency feedback; it only observes). nullptr: off.
  void set_feedback(ConcurrencyRecorder* feedback) { feedback_ = feedback; }
  ConcurrencyRecorder* feedback() const { return feedback_; }

  // Records every context switch into `trace` (up to
  // Execution::kMaxTrace entries), naming addresses with `name_address`.
  void TraceInto(std::vector<TraceEntry>* trace,
                 std::function<std::string(const void*)> name_address);
  // Appends `entry` to the trace, if tracing and not full.
  void Record(TraceEntry entry);
  bool tracing() const { return trace_ != nullptr; }
  const std::function<std::string(const void*)>& name_address() const {
    return name_address_;
  }
  uint64_t clock() const { return clock_; }

  uint64_t steps() const { return steps_; }
  uint64_t context_switches() const { return switches_; }
  // Why the execution was declared hung; "" if it was not.
  const std::string& hung_reason() const { return hung_reason_; }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  struct Logical {
    std::unique_ptr<Fiber> fiber;
    bool finished = false;  // the fiber's body returned
    const void* blocked_on = nullptr;
    bool spinning = false;
    int64_t priority = 0;
  };

  size_t PickNextFiber();
  size_t PickWhileAborting() const;
  size_t PickByDecision();
  size_t PickByPriority();
  // The rest of a scheduling point, once the running fiber's state is set.
  void Yield();
  void SwitchTo(size_t next);
  // Traces that `previous` stopped and `next` runs.
  void RecordSwitch(size_t previous, size_t next);
  // Reports the switch to the concurrency feedback, if any.
  void ObserveSwitch(size_t previous, size_t next);
  void DeclareHung(std::string reason);
  void MaybeChangePriority();

  std::vector<Logical> threads_;
  Heartbeat heartbeat_;
  DecisionSource decisions_;
  std::vector<uint64_t> change_points_;  // PCT priority change steps, sorted
  size_t next_change_ = 0;               // the first not yet passed
  int64_t lowest_priority_ = 0;
  uint64_t step_budget_;
  uint64_t steps_ = 0;
  uint64_t switches_ = 0;
  uint64_t clock_ = 0;
  uint64_t idle_picks_ = 0;  // consecutive picks among spinning fibers only
  size_t running_ = kNone;
  size_t next_ = kNone;
  bool aborting_ = false;
  std::string hung_reason_;
  Scheduler* previous_current_ = nullptr;
  std::vector<TraceEntry>* trace_ = nullptr;
  ConcurrencyRecorder* feedback_ = nullptr;
  std::function<std::string(const void*)> name_address_;
};

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_SCHEDULER_H_

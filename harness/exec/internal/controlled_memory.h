// ControlledMemory: what the map's shared-memory accesses do in one fine or
// weak execution of the controlled executor.
//
// It is the AccessObserver (controlled_atomic.h) installed on the executor's
// OS thread for the run. Before every access of a running fiber it calls the
// scheduler's AccessPoint(), so threads can switch between any two accesses.
// At weak granularity it also keeps the MemoryModel: loads return the store
// the schedule picks among those the C++ model allows, and every store,
// read-modify-write and fence is recorded. Synchronization the map does not
// see as memory is modelled here too: the shard locks (FiberMutex) and the
// executor's logical clock. The clock matters for soundness: the history's
// real-time order comes from it, so an operation that returns before another
// starts must happen before it, as it would through the atomic counter a
// real-thread harness reads its timestamps from.
//
// Accesses outside any fiber (building the map, the final snapshot) are plain.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_CONTROLLED_MEMORY_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_CONTROLLED_MEMORY_H_

#include <cstddef>
#include <cstdint>

#include "harness/exec/internal/controlled_atomic.h"
#include "harness/exec/internal/memory_model.h"
#include "harness/exec/internal/scheduler.h"
#include "harness/exec/internal/vector_clock.h"
#include "harness/schedule.h"

namespace thfuzz::exec_internal {

class ConcurrencyRecorder;

class ControlledMemory final : public AccessObserver {
 public:
  // Installs itself as this OS thread's observer (and as Active()) for its
  // lifetime. `granularity` must be fine or weak.
  ControlledMemory(Scheduler& scheduler, Granularity granularity);
  ~ControlledMemory() override;
  ControlledMemory(const ControlledMemory&) = delete;
  ControlledMemory& operator=(const ControlledMemory&) = delete;

  // The instance installed on this OS thread, or nullptr.
  static ControlledMemory* Active();

  void Before(const Access& access) override;
  uint64_t Loaded(const Access& access, uint64_t latest) override;
  void Stored(const Access& access, uint64_t previous, uint64_t value) override;
  void Modified(const Access& access, uint64_t previous,
                uint64_t value) override;
  void Fenced(const Access& access) override;
  size_t ThreadSlot() override;

  // A lock's synchronization (weak only): acquire on lock, release on unlock.
  void AcquireLock(const VectorClock& lock);
  void ReleaseLock(VectorClock& lock);
  // Called by the executor when it reads its logical clock for an
  // operation's invocation or response.
  void SyncRealTime();

  const MemoryModel& model() const { return model_; }

 private:
  // Whether the model applies to the access now: weak, and inside a fiber.
  bool Modelled() const { return weak_ && scheduler_.InFiber(); }
  // Traces that the last load read an older store than the newest.
  void TraceStale(const Access& access);
  // Concurrency feedback (concurrency_feedback.h), inside fibers only: what
  // a load or read-modify-write read, from the model (weak) or from the
  // recorder's last-writer table (fine), and the stores that table needs.
  ConcurrencyRecorder* Feedback() const;
  void ObserveNewestRead(const Access& access);
  void ObserveModelledRead(const Access& access);
  void ObserveNewestWrite(const Access& access);
  void ObserveFailedExchange(ConcurrencyRecorder& feedback,
                             const Access& access, uint32_t key);

  Scheduler& scheduler_;
  bool weak_;
  MemoryModel& model_;  // this OS thread's, reset for each execution
  VectorClock real_time_;
  AccessObserver* previous_observer_;
  ControlledMemory* previous_active_;
};

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_CONTROLLED_MEMORY_H_

// Fine and weak granularity: scheduling points at every access, and the
// memory model at weak granularity (controlled_memory.h).

#include "harness/exec/internal/controlled_memory.h"

#include "harness/exec/internal/concurrency_feedback.h"

namespace thfuzz::exec_internal {
namespace {

thread_local ControlledMemory* active_memory = nullptr;

// One model per OS thread, reused by its executions (one at a time).
MemoryModel& ThisThreadsModel() {
  thread_local MemoryModel model;
  model.Reset();
  return model;
}

}  // namespace

ControlledMemory::ControlledMemory(Scheduler& scheduler,
                                   Granularity granularity)
    : scheduler_(scheduler),
      weak_(granularity == Granularity::kWeak),
      model_(ThisThreadsModel()),
      previous_observer_(Install(this)),
      previous_active_(active_memory) {
  active_memory = this;
}

ControlledMemory::~ControlledMemory() {
  Install(previous_observer_);
  active_memory = previous_active_;
}

ControlledMemory* ControlledMemory::Active() { return active_memory; }

void ControlledMemory::Before(const Access& access) {
  scheduler_.AccessPoint(access);
}

uint64_t ControlledMemory::Loaded(const Access& access, uint64_t latest) {
  if (!Modelled()) {
    ObserveNewestRead(access);
    return latest;
  }
  // A failed compare-exchange is atomic: it reads the newest store. A
  // thread spinning in a wait loop also reads the newest: stores become
  // visible eventually, and a wait that never sees them is no finding.
  bool newest_only = access.kind == AccessKind::kFailedCompareExchange ||
                     scheduler_.running_spins();
  uint64_t value =
      model_.Load(scheduler_.running_thread(), access, latest, newest_only,
                  [this](size_t n) { return scheduler_.PickStore(n); });
  if (scheduler_.tracing() && model_.last_read().age > 0) TraceStale(access);
  ObserveModelledRead(access);
  return value;
}

ConcurrencyRecorder* ControlledMemory::Feedback() const {
  return scheduler_.InFiber() ? scheduler_.feedback() : nullptr;
}

void ControlledMemory::ObserveNewestRead(const Access& access) {
  ConcurrencyRecorder* feedback = Feedback();
  if (feedback == nullptr) return;
  uint32_t key = ConcurrencyRecorder::AccessKey(access);
  feedback->ReadNewest(scheduler_.running_thread(), access.address, key);
  ObserveFailedExchange(*feedback, access, key);
}

void ControlledMemory::ObserveModelledRead(const Access& access) {
  ConcurrencyRecorder* feedback = Feedback();
  if (feedback == nullptr) return;
  const MemoryModel::ReadFrom& read = model_.last_read();
  uint32_t key = ConcurrencyRecorder::AccessKey(access);
  feedback->ReadFrom(scheduler_.running_thread(), key, read.writer,
                     ConcurrencyRecorder::StoreKey(read.site), read.age > 0);
  ObserveFailedExchange(*feedback, access, key);
}

void ControlledMemory::ObserveFailedExchange(ConcurrencyRecorder& feedback,
                                             const Access& access,
                                             uint32_t key) {
  if (access.kind != AccessKind::kFailedCompareExchange) return;
  feedback.Retried(scheduler_.running_thread(),
                   RetryKind::kFailedCompareExchange, key);
}

void ControlledMemory::ObserveNewestWrite(const Access& access) {
  if (ConcurrencyRecorder* feedback = Feedback()) {
    feedback->Wrote(scheduler_.running_thread(), access.address,
                    ConcurrencyRecorder::StoreKey(access.where));
  }
}

void ControlledMemory::TraceStale(const Access& access) {
  const MemoryModel::ReadFrom& read = model_.last_read();
  size_t thread = scheduler_.running_thread();
  TraceEntry entry;
  entry.kind = TraceEntry::Kind::kStaleRead;
  entry.time = scheduler_.clock();
  entry.thread = static_cast<uint8_t>(thread);
  std::string name = scheduler_.name_address()(access.address);
  entry.text = "T" + std::to_string(thread) + "'s " +
               DescribeAccess(access, name) + " read the store " +
               std::to_string(read.age) + " older than the newest, ";
  if (read.writer < 0) {
    entry.text += "what memory held before the run";
  } else {
    entry.other = static_cast<uint8_t>(read.writer);
    entry.text += "stored by T" + std::to_string(read.writer) + " at " +
                  DescribeSite(read.site);
  }
  scheduler_.Record(std::move(entry));
}

void ControlledMemory::Stored(const Access& access, uint64_t previous,
                              uint64_t value) {
  if (Modelled()) {
    model_.Store(scheduler_.running_thread(), access, previous, value);
  } else {
    ObserveNewestWrite(access);
  }
}

void ControlledMemory::Modified(const Access& access, uint64_t previous,
                                uint64_t value) {
  if (Modelled()) {
    model_.ReadModifyWrite(scheduler_.running_thread(), access, previous,
                           value);
    ObserveModelledRead(access);
  } else {
    ObserveNewestRead(access);
    ObserveNewestWrite(access);
  }
}

void ControlledMemory::Fenced(const Access& access) {
  if (Modelled()) model_.Fence(scheduler_.running_thread(), access.order);
}

size_t ControlledMemory::ThreadSlot() {
  // Each logical thread its own epoch slot; code outside the fibers one
  // more.
  return scheduler_.InFiber() ? scheduler_.running_thread()
                              : Schedule::kMaxThreads;
}

void ControlledMemory::AcquireLock(const VectorClock& lock) {
  if (Modelled()) model_.Acquire(scheduler_.running_thread(), lock);
}

void ControlledMemory::ReleaseLock(VectorClock& lock) {
  if (Modelled()) model_.Release(scheduler_.running_thread(), lock);
}

void ControlledMemory::SyncRealTime() {
  if (!Modelled()) return;
  model_.Acquire(scheduler_.running_thread(), real_time_);
  model_.Release(scheduler_.running_thread(), real_time_);
}

}  // namespace thfuzz::exec_internal

// The C++ memory model of the weak granularity: clocks, store histories,
// coherence and the choice of the store a load reads (memory_model.h).

#include "harness/exec/internal/memory_model.h"

#include <algorithm>

namespace thfuzz::exec_internal {
namespace {

bool IsAcquire(std::memory_order order) {
  return order == std::memory_order_consume ||
         order == std::memory_order_acquire ||
         order == std::memory_order_acq_rel ||
         order == std::memory_order_seq_cst;
}

bool IsRelease(std::memory_order order) {
  return order == std::memory_order_release ||
         order == std::memory_order_acq_rel ||
         order == std::memory_order_seq_cst;
}

}  // namespace

auto MemoryModel::Location::Append() -> StoreRecord& {
  if (count < kHistory) {
    ++count;
  } else {
    first = static_cast<uint8_t>((first + 1) % kHistory);  // drop the oldest
  }
  StoreRecord& record = Newest();
  record = StoreRecord{};
  record.seen.fill(kNever);
  return record;
}

auto MemoryModel::LocationAt(const void* address, uint64_t initial)
    -> Location& {
  auto [it, inserted] =
      index_.try_emplace(address, static_cast<uint32_t>(locations_.size()));
  if (!inserted) return locations_[it->second];
  Location& location = locations_.emplace_back();
  // What memory held before the first modelled store: written before the
  // logical threads started (or by a constructor), so every thread may read
  // it and none is bound to (writer -1, time 0 happens before everything).
  StoreRecord& initial_store = location.Append();
  initial_store.value = initial;
  return location;
}

size_t MemoryModel::OldestReadable(size_t thread, Location& location) {
  const VectorClock& clock = threads_[thread].clock;
  for (size_t i = location.count; i-- > 0;) {
    const StoreRecord& store = location.At(i);
    if (store.writer < 0 || store.time <= clock[store.writer]) return i;
    for (size_t u = 0; u < kThreads; ++u) {
      if (store.seen[u] != kNever && store.seen[u] <= clock[u]) return i;
    }
  }
  return 0;
}

VectorClock MemoryModel::ReleaseClock(size_t thread,
                                      std::memory_order order) const {
  const ThreadState& state = threads_[thread];
  return IsRelease(order) ? state.clock : state.release_fence;
}

void MemoryModel::ReadStore(size_t thread, StoreRecord& store,
                            std::memory_order order) {
  ThreadState& state = threads_[thread];
  uint32_t& seen = store.seen[thread];
  seen = std::min(seen, state.clock[thread]);
  if (IsAcquire(order)) {
    state.clock.Join(store.sync);
  } else {
    state.acquire_pending.Join(store.sync);
  }
}

void MemoryModel::AppendStore(size_t thread, Location& location,
                              const Access& access, uint64_t value,
                              const VectorClock& sync) {
  uint32_t now = threads_[thread].clock[thread];
  StoreRecord& store = location.Append();
  store.value = value;
  store.sync = sync;
  store.time = now;
  store.seen[thread] = now;
  store.writer = static_cast<int8_t>(thread);
  store.site = access.where;
}

void MemoryModel::EnterSeqCst(size_t thread, std::memory_order order) {
  if (order == std::memory_order_seq_cst) {
    threads_[thread].clock.Join(seq_cst_);
  }
}

void MemoryModel::LeaveSeqCst(size_t thread, std::memory_order order) {
  if (order == std::memory_order_seq_cst) seq_cst_.Join(threads_[thread].clock);
}

uint64_t MemoryModel::Load(size_t thread, const Access& access, uint64_t latest,
                           bool newest_only, Chooser choose) {
  ++loads_;
  threads_[thread].clock.Tick(thread);
  EnterSeqCst(thread, access.order);
  auto it = index_.find(access.address);
  if (it == index_.end()) {
    // Never stored to during the run: real memory is the only store.
    last_read_ = ReadFrom{};
    LeaveSeqCst(thread, access.order);
    return latest;
  }
  Location& location = locations_[it->second];
  size_t oldest = OldestReadable(thread, location);
  size_t candidates = location.count - oldest;
  size_t age = 0;
  if (candidates > 1 && !newest_only) age = choose(candidates);
  StoreRecord& store = location.At(location.count - 1 - age);
  ReadStore(thread, store, access.order);
  LeaveSeqCst(thread, access.order);
  last_read_ = ReadFrom{age, store.writer, store.site};
  if (age > 0) ++stale_loads_;
  return store.value;
}

void MemoryModel::Store(size_t thread, const Access& access, uint64_t previous,
                        uint64_t value) {
  threads_[thread].clock.Tick(thread);
  EnterSeqCst(thread, access.order);
  Location& location = LocationAt(access.address, previous);
  AppendStore(thread, location, access, value,
              ReleaseClock(thread, access.order));
  LeaveSeqCst(thread, access.order);
}

void MemoryModel::ReadModifyWrite(size_t thread, const Access& access,
                                  uint64_t previous, uint64_t value) {
  threads_[thread].clock.Tick(thread);
  EnterSeqCst(thread, access.order);
  Location& location = LocationAt(access.address, previous);
  StoreRecord& read = location.Newest();
  ReadStore(thread, read, access.order);
  last_read_ = ReadFrom{0, read.writer, read.site};
  // The new store continues the release sequence of the one it read.
  VectorClock sync = ReleaseClock(thread, access.order);
  sync.Join(read.sync);
  AppendStore(thread, location, access, value, sync);
  LeaveSeqCst(thread, access.order);
}

void MemoryModel::Fence(size_t thread, std::memory_order order) {
  ThreadState& state = threads_[thread];
  state.clock.Tick(thread);
  EnterSeqCst(thread, order);
  if (IsAcquire(order)) state.clock.Join(state.acquire_pending);
  if (IsRelease(order)) state.release_fence = state.clock;
  LeaveSeqCst(thread, order);
}

void MemoryModel::Release(size_t thread, VectorClock& object) {
  threads_[thread].clock.Tick(thread);
  object.Join(threads_[thread].clock);
}

void MemoryModel::Acquire(size_t thread, const VectorClock& object) {
  threads_[thread].clock.Tick(thread);
  threads_[thread].clock.Join(object);
}

}  // namespace thfuzz::exec_internal

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

size_t MemoryModel::AddressIndex::Slot(const void* address) const {
  // Fibonacci hashing of the address, top bits: addresses of neighbouring
  // words land far apart.
  uint64_t mixed = reinterpret_cast<uintptr_t>(address) * 0x9e3779b97f4a7c15ULL;
  return static_cast<size_t>(mixed >> 32) & (entries_.size() - 1);
}

uint32_t MemoryModel::AddressIndex::Find(const void* address) const {
  if (entries_.empty()) return kAbsent;
  for (size_t i = Slot(address);; i = (i + 1) & (entries_.size() - 1)) {
    const Entry& entry = entries_[i];
    if (entry.generation != generation_) return kAbsent;
    if (entry.address == address) return entry.number;
  }
}

void MemoryModel::AddressIndex::Insert(const void* address, uint32_t number) {
  if (2 * (size_ + 1) > entries_.size()) Grow();
  size_t i = Slot(address);
  while (entries_[i].generation == generation_) {
    i = (i + 1) & (entries_.size() - 1);
  }
  entries_[i] = Entry{address, generation_, number};
  ++size_;
}

void MemoryModel::AddressIndex::Clear() {
  size_ = 0;
  if (++generation_ != 0) return;
  // Wrapped around (after 2^32 executions): start over from empty entries.
  entries_.assign(entries_.size(), Entry{});
  generation_ = 1;
}

void MemoryModel::AddressIndex::Grow() {
  std::vector<Entry> old = std::move(entries_);
  entries_.assign(old.empty() ? 256 : 2 * old.size(), Entry{});
  size_ = 0;
  uint32_t live = generation_;
  generation_ = 1;  // every new entry is generation 1, old ones 0
  for (const Entry& entry : old) {
    if (entry.generation == live) Insert(entry.address, entry.number);
  }
}

void MemoryModel::Reset() {
  threads_ = {};
  seq_cst_ = {};
  index_.Clear();
  locations_.clear();
  last_read_ = {};
  loads_ = 0;
  stale_loads_ = 0;
}

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
  uint32_t number = index_.Find(address);
  if (number != AddressIndex::kAbsent) return locations_[number];
  index_.Insert(address, static_cast<uint32_t>(locations_.size()));
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
  uint32_t number = index_.Find(access.address);
  if (number == AddressIndex::kAbsent) {
    // Never stored to during the run: real memory is the only store.
    last_read_ = ReadFrom{};
    LeaveSeqCst(thread, access.order);
    return latest;
  }
  Location& location = locations_[number];
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

// MemoryModel: which store each load of the map may read, under the C++
// memory model, in one execution of the controlled executor's weak mode.
//
// The controlled executor runs logical threads one at a time, so real memory
// always holds the newest value of every location. Real hardware and the C++
// standard allow more: a load may return an older store as long as nothing
// orders that store before the load. This class keeps what is needed to tell
// which older stores are still allowed, and lets the schedule pick one:
//
//   * Every logical thread has a vector clock (happens-before). Its own
//     component advances at every event. Synchronization joins clocks: an
//     acquire load that reads a release store (or a store later in that
//     store's release sequence), fences (a release fence before a relaxed
//     store, a relaxed load before an acquire fence), locks, and the
//     executor's real-time clock (see below).
//   * Every location keeps its stores in modification order, newest last,
//     bounded to kHistory. Modification order is execution order: the
//     executor runs one store at a time, so this loses no outcome a map bug
//     needs and never invents one.
//   * A load may read any kept store that is not older than the newest store
//     it is bound to see by coherence: the newest store that happens before
//     the load, or that some thread read or wrote at a point that happens
//     before the load (write-read and read-read coherence). Read-modify-writes
//     always read the newest store (atomicity).
//   * seq_cst operations additionally synchronize through one global clock,
//     both ways, in execution order. That is stronger than the standard
//     (which does not make seq_cst accesses to different locations
//     synchronize), so it hides some allowed outcomes but never allows a
//     forbidden one: every execution this model produces is consistent under
//     the C++20 model, with S = execution order.
//
// What it omits, on purpose: load buffering (a load reading a store that
// comes later in another thread's program order; we execute in program
// order, so it never happens), consume ordering (treated as acquire),
// mixed-size accesses (the map has none), and stores older than kHistory.
// Each omission only hides allowed outcomes. harness/README.md states the
// soundness argument; memory_model_test.cc runs the litmus tests.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_MEMORY_MODEL_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_MEMORY_MODEL_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/functional/function_ref.h"
#include "harness/exec/internal/access.h"
#include "harness/exec/internal/vector_clock.h"

namespace thfuzz::exec_internal {

class MemoryModel {
 public:
  static constexpr size_t kThreads = VectorClock::kThreads;
  // Stores kept per location (loom keeps 7; a map bug needs one stale store,
  // rarely two).
  static constexpr size_t kHistory = 6;

  // Picks which of `candidates` allowed stores a load reads: 0 is the newest,
  // candidates - 1 the oldest allowed. Called only when candidates > 1.
  using Chooser = absl::FunctionRef<size_t(size_t candidates)>;

  // What a load read, for traces and concurrency feedback.
  struct ReadFrom {
    size_t age = 0;   // 0: the newest store; k: k stores older
    int writer = -1;  // logical thread; -1: written before the run
    SourceSite site;  // where the store was made (if writer >= 0)
  };

  MemoryModel() = default;
  MemoryModel(const MemoryModel&) = delete;
  MemoryModel& operator=(const MemoryModel&) = delete;

  // Forgets everything, for the next execution, keeping allocated memory
  // (an execution may touch hundreds of locations; a fuzzer runs thousands
  // of executions a second).
  void Reset();

  // A load by `thread`; `latest` is what real memory holds (the newest
  // store). Returns the value read. With `newest_only` (a thread spinning in
  // a wait loop: stores become visible eventually) it reads the newest.
  uint64_t Load(size_t thread, const Access& access, uint64_t latest,
                bool newest_only, Chooser choose);
  // A store of `value` over `previous` (real memory before the store).
  void Store(size_t thread, const Access& access, uint64_t previous,
             uint64_t value);
  // A read-modify-write that read `previous` (always the newest) and wrote
  // `value`.
  void ReadModifyWrite(size_t thread, const Access& access, uint64_t previous,
                       uint64_t value);
  void Fence(size_t thread, std::memory_order order);

  // Synchronization through objects that are not map memory (locks, the
  // executor's real-time clock): Release() joins the thread's clock into
  // `object`, Acquire() joins `object` into the thread's clock.
  void Release(size_t thread, VectorClock& object);
  void Acquire(size_t thread, const VectorClock& object);

  const ReadFrom& last_read() const { return last_read_; }
  uint64_t loads() const { return loads_; }
  uint64_t stale_loads() const { return stale_loads_; }

 private:
  static constexpr uint32_t kNever = UINT32_MAX;

  struct StoreRecord {
    uint64_t value = 0;
    // What a thread that acquires this store learns: the writer's clock for
    // a release store, its last release fence for a relaxed one, joined
    // with the previous store's for a read-modify-write (release sequences).
    VectorClock sync;
    // Per thread, its own clock when it first read or wrote this store.
    std::array<uint32_t, kThreads> seen;
    uint32_t time = 0;   // the writer's own clock component at the store
    int8_t writer = -1;  // -1: the value real memory held before the run
    SourceSite site;
  };

  // A ring of the newest kHistory stores; At(0) is the oldest kept.
  struct Location {
    std::array<StoreRecord, kHistory> ring;
    uint8_t first = 0;
    uint8_t count = 0;

    StoreRecord& At(size_t i) { return ring[(first + i) % kHistory]; }
    StoreRecord& Newest() { return At(count - 1); }
    StoreRecord& Append();
  };

  struct ThreadState {
    VectorClock clock;
    VectorClock release_fence;    // clock at the last release fence
    VectorClock acquire_pending;  // what the next acquire fence takes
  };

  // The location at `address`, created with `initial` as its only store.
  Location& LocationAt(const void* address, uint64_t initial);
  // Index of the oldest store `thread` may still read.
  size_t OldestReadable(size_t thread, Location& location);
  // The clock a store by `thread` with `order` publishes.
  VectorClock ReleaseClock(size_t thread, std::memory_order order) const;
  void ReadStore(size_t thread, StoreRecord& store, std::memory_order order);
  void AppendStore(size_t thread, Location& location, const Access& access,
                   uint64_t value, const VectorClock& sync);
  // seq_cst: join the global order's clock before, publish into it after.
  void EnterSeqCst(size_t thread, std::memory_order order);
  void LeaveSeqCst(size_t thread, std::memory_order order);

  // Location numbers by address: open addressing with linear probing, where
  // an entry of an older generation is empty, so Clear() is O(1).
  class AddressIndex {
   public:
    static constexpr uint32_t kAbsent = UINT32_MAX;
    uint32_t Find(const void* address) const;
    void Insert(const void* address, uint32_t number);  // must be absent
    void Clear();

   private:
    struct Entry {
      const void* address = nullptr;
      uint32_t generation = 0;
      uint32_t number = 0;
    };
    size_t Slot(const void* address) const;
    void Grow();

    std::vector<Entry> entries_;  // a power of two, at most half full
    uint32_t generation_ = 1;
    size_t size_ = 0;
  };

  std::array<ThreadState, kThreads> threads_;
  VectorClock seq_cst_;
  AddressIndex index_;
  std::vector<Location> locations_;
  ReadFrom last_read_;
  uint64_t loads_ = 0;
  uint64_t stale_loads_ = 0;
};

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_MEMORY_MODEL_H_

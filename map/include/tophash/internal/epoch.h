// EpochDomain: epoch-based reclamation of retired bucket arrays.
//
// Readers of the map take no lock, so a writer that replaces a bucket array
// (growth finished, clear()) cannot free the old one while a reader may still
// be scanning it. A reader brackets its work with an EpochGuard, which
// announces the domain's current epoch in the reader's own slot. A writer
// retires a block by recording the epoch in force after unlinking it; the
// block is freed once no announced epoch is older than that.
//
// Why epochs and not liburcu or hazard pointers: the map's readers touch a
// handful of objects (a table, a few buckets) whose lifetimes all end at the
// same retirement, so one announcement per operation covers them all: a
// store on entry, a store on exit, and between the announcement and the
// first table load a fence that production makes asymmetric (the policy's
// asymmetric_fence_light/heavy, membarrier(2): see internal/membarrier.h),
// so a lookup executes no serializing instruction at all. That is
// liburcu-memb's read side; liburcu itself would add an external dependency
// to a header-only map, per-thread registration calls, and grace periods
// that block (synchronize_rcu) or need a helper thread (call_rcu), where
// this reclaimer only ever polls under the shard lock it already holds; and
// its accesses could not go through the Policy, so the harness could not
// interleave or model them. Hazard pointers would need a fence per bucket
// visited.
//
// Each thread gets a slot by Policy::thread_slot() (in production the dense OS
// thread index, internal/thread_index.h; in the harness's controlled executor
// each logical thread's own). Threads beyond kSlots share an overflow counter
// that, while non-zero, blocks all reclamation: rare, and still correct.
// Guards nest, counting their depth in the slot. The words are the Policy's
// atomics and the fences the Policy's, so the harness can interleave and
// reorder them like every other shared access of the map.

#ifndef TOPHASH_INTERNAL_EPOCH_H_
#define TOPHASH_INTERNAL_EPOCH_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace tophash::internal {

template <class Policy>
class EpochDomain {
  template <class T>
  using Atomic = typename Policy::template Atomic<T>;

 public:
  static constexpr size_t kSlots = 64;
  static constexpr uint64_t kInactive = 0;

  EpochDomain() = default;
  EpochDomain(const EpochDomain&) = delete;
  EpochDomain& operator=(const EpochDomain&) = delete;

  struct alignas(64) Slot {
    Atomic<uint64_t> epoch{kInactive};
    uint32_t depth = 0;  // touched only by the owning thread
  };

  // Announces the calling reader; returns its slot for Exit(), or nullptr
  // for a reader beyond kSlots (counted in overflow_readers_ instead).
  [[gnu::always_inline]] Slot* Enter() {
    size_t index = Policy::thread_slot();
    if (index >= kSlots) [[unlikely]] {
      overflow_readers_.fetch_add(1, std::memory_order_seq_cst);
      Policy::fence(std::memory_order_seq_cst);
      return nullptr;
    }
    Slot* slot = &slots_[index];
    if (slot->depth++ > 0) return slot;
    slot->epoch.store(epoch_.load(std::memory_order_acquire),
                      std::memory_order_relaxed);
    // Pairs with the fence in SafeEpoch(): either the reclaimer sees this
    // announcement, or this reader sees every unlink made before it.
    AnnouncementFence();
    return slot;
  }

  [[gnu::always_inline]] void Exit(Slot* slot) {
    if (slot == nullptr) [[unlikely]] {
      overflow_readers_.fetch_sub(1, std::memory_order_release);
      return;
    }
    if (--slot->depth > 0) return;
    slot->epoch.store(kInactive, std::memory_order_release);
  }

  // Called by a writer after unlinking a block: returns the epoch the block
  // must wait out. Readers that announce this epoch or a later one cannot
  // reach the block.
  uint64_t RetireEpoch() {
    return epoch_.fetch_add(1, std::memory_order_acq_rel) + 1;
  }

  // For debugging tools: "epoch", "epoch slot 3", "epoch overflow readers",
  // or "" for an address that is none of them.
  std::string DescribeAddress(const void* address) const {
    if (address == &epoch_) return "epoch";
    if (address == &overflow_readers_) return "epoch overflow readers";
    for (size_t i = 0; i < kSlots; ++i) {
      if (address == &slots_[i].epoch) {
        return "epoch slot " + std::to_string(i);
      }
    }
    return "";
  }

  // Blocks retired with an epoch <= the returned value may be freed now.
  uint64_t SafeEpoch() const {
    ScanFence();
    if (overflow_readers_.load(std::memory_order_acquire) != 0) return 0;
    uint64_t oldest = epoch_.load(std::memory_order_acquire);
    for (const Slot& slot : slots_) {
      uint64_t announced = slot.epoch.load(std::memory_order_acquire);
      if (announced != kInactive && announced < oldest) oldest = announced;
    }
    return oldest;
  }

 private:
  // The two sides of the announcement handshake: seq_cst fences, or the
  // policy's asymmetric pair (membarrier in production, see policy.h).
  [[gnu::always_inline]] static void AnnouncementFence() {
    if constexpr (requires { Policy::asymmetric_fence_light(); }) {
      Policy::asymmetric_fence_light();
    } else {
      Policy::fence(std::memory_order_seq_cst);
    }
  }
  static void ScanFence() {
    if constexpr (requires { Policy::asymmetric_fence_heavy(); }) {
      Policy::asymmetric_fence_heavy();
    } else {
      Policy::fence(std::memory_order_seq_cst);
    }
  }

  // Read by every reader, written only when a block is retired: on its own
  // cache line, away from the counter that overflow readers write.
  alignas(64) Atomic<uint64_t> epoch_{1};
  alignas(64) Atomic<uint64_t> overflow_readers_{0};
  Slot slots_[kSlots];
};

// RAII reader section.
template <class Policy>
class EpochGuard {
 public:
  explicit EpochGuard(EpochDomain<Policy>& domain)
      : domain_(domain), slot_(domain.Enter()) {}
  ~EpochGuard() { domain_.Exit(slot_); }
  EpochGuard(const EpochGuard&) = delete;
  EpochGuard& operator=(const EpochGuard&) = delete;

 private:
  EpochDomain<Policy>& domain_;
  typename EpochDomain<Policy>::Slot* slot_;
};

}  // namespace tophash::internal

#endif  // TOPHASH_INTERNAL_EPOCH_H_

// Quarantine: a checking allocator for the tophash map in harness builds.
//
// The map allocates bucket arrays through its policy. Blocks it frees are not
// returned to the system but kept, untouched, until the execution ends, and
// their address ranges remembered. The map passes the bucket it is about to
// read to every read-side scheduling point, so Contains() tells when a reader
// reaches memory the map has already freed, deterministically and without
// AddressSanitizer (which would also catch it, in the asan preset). Keeping
// the blocks also makes such reads harmless to the harness itself.
//
// Contains() runs at every scheduling point of every stress thread, so it
// takes no lock: freed ranges go into an append-only array whose published
// length is an atomic (a writer fills an entry, then releases the new
// length). Only when more than kFastRanges blocks are freed in one execution
// do later ones go to a locked overflow map.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_QUARANTINE_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_QUARANTINE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>

namespace thfuzz::exec_internal {

class Quarantine {
 public:
  Quarantine() = default;
  Quarantine(const Quarantine&) = delete;
  Quarantine& operator=(const Quarantine&) = delete;
  ~Quarantine() {
    size_t count = fast_count_.load(std::memory_order_acquire);
    for (size_t i = 0; i < count; ++i) Release(fast_[i].start);
    for (const auto& [start, size] : overflow_) Release(start);
  }

  void* Allocate(size_t bytes) {
    void* block = ::operator new (bytes, std::align_val_t{64});
    if (tracking_) {
      std::lock_guard<std::mutex> lock(writer_mu_);
      blocks_[reinterpret_cast<uintptr_t>(block)] = bytes;
    }
    return block;
  }

  // Remembers every block allocated from now on, freed or not, so FindBlock
  // can name what an address belongs to (for traces; not free of cost).
  void TrackBlocks() { tracking_ = true; }
  struct Block {
    const void* start;
    size_t bytes;
  };
  std::optional<Block> FindBlock(const void* address) const {
    std::lock_guard<std::mutex> lock(writer_mu_);
    auto target = reinterpret_cast<uintptr_t>(address);
    auto it = blocks_.upper_bound(target);
    if (it == blocks_.begin()) return std::nullopt;
    --it;
    if (target >= it->first + it->second) return std::nullopt;
    return Block{reinterpret_cast<const void*>(it->first), it->second};
  }

  void Free(void* block, size_t bytes) {
    auto start = reinterpret_cast<uintptr_t>(block);
    std::lock_guard<std::mutex> lock(writer_mu_);
    size_t count = fast_count_.load(std::memory_order_relaxed);
    if (count < kFastRanges) {
      fast_[count] = {start, start + bytes};
      fast_count_.store(count + 1, std::memory_order_release);
      return;
    }
    std::lock_guard<std::mutex> overflow_lock(overflow_mu_);
    overflow_[start] = bytes;
    any_overflow_.store(true, std::memory_order_release);
  }

  bool Contains(const void* address) const {
    if (address == nullptr) return false;
    auto target = reinterpret_cast<uintptr_t>(address);
    size_t count = fast_count_.load(std::memory_order_acquire);
    for (size_t i = 0; i < count; ++i) {
      if (target >= fast_[i].start && target < fast_[i].end) return true;
    }
    if (!any_overflow_.load(std::memory_order_acquire)) return false;
    std::lock_guard<std::mutex> lock(overflow_mu_);
    auto it = overflow_.upper_bound(target);
    if (it == overflow_.begin()) return false;
    --it;
    return target < it->first + it->second;
  }

 private:
  static constexpr size_t kFastRanges = 256;
  struct Range {
    uintptr_t start;
    uintptr_t end;
  };

  static void Release(uintptr_t start) {
    ::operator delete (reinterpret_cast<void*>(start), std::align_val_t{64});
  }

  mutable std::mutex writer_mu_;  // orders Free() calls
  bool tracking_ = false;
  std::map<uintptr_t, size_t> blocks_;  // start -> size, with TrackBlocks()
  std::atomic<size_t> fast_count_{0};
  Range fast_[kFastRanges];
  mutable std::mutex overflow_mu_;
  std::atomic<bool> any_overflow_{false};
  std::map<uintptr_t, size_t> overflow_;  // start -> size
};

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_QUARANTINE_H_

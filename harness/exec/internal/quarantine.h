// Quarantine: a checking allocator for the tophash map in harness builds.
//
// The map allocates bucket arrays through its policy. Blocks it frees are not
// returned to the system but kept, untouched, until the execution ends, and
// their address ranges remembered. The map passes the bucket it is about to
// read to every read-side scheduling point, so Contains() tells when a reader
// reaches memory the map has already freed, deterministically and without
// AddressSanitizer (which would also catch it, in the asan preset). Keeping
// the blocks also makes such reads harmless to the harness itself.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_QUARANTINE_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_QUARANTINE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <new>

namespace thfuzz::internal {

class Quarantine {
 public:
  Quarantine() = default;
  Quarantine(const Quarantine&) = delete;
  Quarantine& operator=(const Quarantine&) = delete;
  ~Quarantine() {
    for (const auto& [start, size] : freed_) {
      ::operator delete (reinterpret_cast<void*>(start), std::align_val_t{64});
    }
  }

  void* Allocate(size_t bytes) {
    return ::operator new (bytes, std::align_val_t{64});
  }

  void Free(void* block, size_t bytes) {
    std::lock_guard<std::mutex> lock(mu_);
    freed_[reinterpret_cast<uintptr_t>(block)] = bytes;
    any_freed_.store(true, std::memory_order_release);
  }

  bool Contains(const void* address) const {
    if (address == nullptr || !any_freed_.load(std::memory_order_acquire)) {
      return false;
    }
    auto target = reinterpret_cast<uintptr_t>(address);
    std::lock_guard<std::mutex> lock(mu_);
    auto it = freed_.upper_bound(target);
    if (it == freed_.begin()) return false;
    --it;
    return target < it->first + it->second;
  }

 private:
  mutable std::mutex mu_;
  std::atomic<bool> any_freed_{false};
  std::map<uintptr_t, size_t> freed_;  // start -> size
};

}  // namespace thfuzz::internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_QUARANTINE_H_

// SpinLock: the production map's shard lock.
//
// A shard's critical sections are short (find a slot, store a key, a value
// and a tophash word, or mark a slot erased), so the lock is a test-and-
// test-and-set spin lock: lock() is one exchange when free, unlock() a plain
// release store (std::mutex costs a call into libc and an atomic RMW each
// way). A waiter spins on a load with `pause`, and after a while yields its
// CPU so a preempted holder can run; growth (which allocates under the lock)
// is the only long section, and it is rare.
//
// It is production state, not map state: the harness's policies bring their
// own Mutex (the controlled executor's blocks a fiber).

#ifndef TOPHASH_INTERNAL_SPIN_LOCK_H_
#define TOPHASH_INTERNAL_SPIN_LOCK_H_

#include <atomic>
#include <thread>

namespace tophash::internal {

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

class SpinLock {
 public:
  void lock() noexcept {
    if (!locked_.exchange(true, std::memory_order_acquire)) [[likely]]
      return;
    LockSlow();
  }
  bool try_lock() noexcept {
    return !locked_.load(std::memory_order_relaxed) &&
           !locked_.exchange(true, std::memory_order_acquire);
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  [[gnu::noinline]] void LockSlow() noexcept {
    for (unsigned spins = 0;; ++spins) {
      if (!locked_.load(std::memory_order_relaxed) &&
          !locked_.exchange(true, std::memory_order_acquire)) {
        return;
      }
      if (spins < 128) {
        CpuRelax();
      } else {
        std::this_thread::yield();
      }
    }
  }

  std::atomic<bool> locked_{false};
};

}  // namespace tophash::internal

#endif  // TOPHASH_INTERNAL_SPIN_LOCK_H_

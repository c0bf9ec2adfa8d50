// Asymmetric fences from Linux's membarrier(2), for ProductionPolicy.
//
// The epoch reclamation's handshake (internal/epoch.h) is a store-load pair
// on both sides: a reader stores its announcement and then loads a table
// pointer; the reclaimer unlinks a table and then loads the announcements.
// Either side's store may otherwise sit in its CPU's store buffer while the
// load runs, so each side needs a full fence, and a full fence on every
// lookup (a locked instruction on x86) costs more than the rest of the
// announcement and stops the CPU from overlapping one lookup's cache misses
// with the next one's. Readers are many and frequent, reclamation rare, so
// the cost moves to the reclaimer: MembarrierLight() is a compiler barrier,
// MembarrierHeavy() asks the kernel to run a full memory barrier on every CPU
// currently running a thread of this process
// (MEMBARRIER_CMD_PRIVATE_EXPEDITED; a thread not running passes one when it
// is switched out). Together they order exactly like a seq_cst fence on each
// side: the Linux kernel memory model defines membarrier that way, and
// liburcu's urcu-memb flavour relies on it. Policies that model memory (the
// harness) do not get these: the map then issues Policy::fence(seq_cst) on
// both sides, the same ordering in C++ terms.
//
// Where the kernel lacks membarrier (or a seccomp filter refuses it) both
// functions are full fences, decided once per process before either is used
// asymmetrically.

#ifndef TOPHASH_INTERNAL_MEMBARRIER_H_
#define TOPHASH_INTERNAL_MEMBARRIER_H_

#include <atomic>
#include <cstdint>
#include <cstdlib>

#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace tophash::internal {

// 0: not known yet; 1: registered for private expedited membarrier; -1: not
// available. Changes once, from 0.
inline std::atomic<int8_t> membarrier_state{0};

[[gnu::noinline]] inline int8_t InitMembarrier() noexcept {
  int8_t state = -1;
#if defined(__linux__) && defined(__NR_membarrier)
  long commands = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
  if (commands > 0 && (commands & MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0 &&
      syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0,
              0) == 0) {
    state = 1;
  }
#endif
  // Registration happens before the state says so: a reader that sees 1
  // (and so skips its fence) can only be paired with real membarriers.
  membarrier_state.store(state, std::memory_order_release);
  return state;
}

[[gnu::always_inline]] inline void MembarrierLight() noexcept {
  if (membarrier_state.load(std::memory_order_acquire) > 0) [[likely]] {
    std::atomic_signal_fence(std::memory_order_seq_cst);
    return;
  }
  if (membarrier_state.load(std::memory_order_acquire) == 0) InitMembarrier();
  std::atomic_thread_fence(std::memory_order_seq_cst);
}

inline void MembarrierHeavy() noexcept {
  int8_t state = membarrier_state.load(std::memory_order_acquire);
  if (state == 0) state = InitMembarrier();
  if (state < 0) {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    return;
  }
#if defined(__linux__) && defined(__NR_membarrier)
  // Cannot fail once registered; if it did, readers that skipped their
  // fence would be unprotected, so stop rather than free memory they read.
  if (syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0) {
    std::abort();
  }
#endif
}

}  // namespace tophash::internal

#endif  // TOPHASH_INTERNAL_MEMBARRIER_H_

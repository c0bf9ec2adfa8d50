// AtomicCell<T, Policy>: a trivially copyable T stored as relaxed atomic
// 64-bit words (the Policy's Atomic<uint64_t>).
//
// Lock-free readers copy keys and values while a writer may be storing them.
// Doing that with plain loads would be a data race (undefined behaviour, and
// a ThreadSanitizer report); doing it word by word through relaxed atomics is
// defined, costs the same plain moves on x86-64 and AArch64, and leaves the
// ordering to the seqlock and the tophash release/acquire pair around it. A
// copy made during a concurrent store may mix words of two values; the
// reader's version check (or, under an injected fault, the harness's value
// stamps) deals with that.

#ifndef TOPHASH_INTERNAL_ATOMIC_CELL_H_
#define TOPHASH_INTERNAL_ATOMIC_CELL_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "tophash/policy.h"  // Site

namespace tophash::internal {

template <class T, class Policy>
class AtomicCell {
 public:
  static constexpr size_t kWords = (sizeof(T) + 7) / 8;
  static_assert(alignof(T) <= 8,
                "tophash::Map keys and values must have "
                "alignment of at most 8 bytes");

  T Load() const {
    uint64_t buffer[kWords];
    for (size_t i = 0; i < kWords; ++i) {
      buffer[i] = words_[i].load(std::memory_order_relaxed);
    }
    T value;
    std::memcpy(&value, buffer, sizeof(T));
    return value;
  }

  // Stores `value` word by word, calling policy.point(kBetweenValueWords)
  // between words so a scheduler can expose a half-stored value.
  void Store(const T& value, Policy& policy) {
    uint64_t buffer[kWords] = {};
    std::memcpy(buffer, &value, sizeof(T));
    for (size_t i = 0; i < kWords; ++i) {
      if (i > 0) policy.point(Site::kBetweenValueWords);
      words_[i].store(buffer[i], std::memory_order_relaxed);
    }
  }

  // Same without scheduling points, for keys (a key is written once into a
  // slot that no reader trusts yet).
  void StoreQuietly(const T& value) {
    uint64_t buffer[kWords] = {};
    std::memcpy(buffer, &value, sizeof(T));
    for (size_t i = 0; i < kWords; ++i) {
      words_[i].store(buffer[i], std::memory_order_relaxed);
    }
  }

 private:
  typename Policy::template Atomic<uint64_t> words_[kWords];
};

}  // namespace tophash::internal

#endif  // TOPHASH_INTERNAL_ATOMIC_CELL_H_

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
#include <utility>

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
    uint64_t words[kWords];
    LoadWords(words);
    T value;
    std::memcpy(static_cast<void*>(&value), words, sizeof(T));
    return value;
  }

  // Copies the words as they are now into `words` (kWords of them), so a
  // reader can validate first and convert once: see CopyOut(). Every loop
  // over the words is unrolled at compile time (gcc keeps loops over atomics
  // rolled), so the words of a small value stay in registers.
  void LoadWords(uint64_t* words) const {
    ForEachWord([&](size_t i) {
      words[i] = words_[i].load(std::memory_order_relaxed);
    });
  }
  static void CopyOut(const uint64_t* words, T* out) {
    std::memcpy(static_cast<void*>(out), words, sizeof(T));
  }

  // Stores `value` word by word, calling policy.point(kBetweenValueWords)
  // between words so a scheduler can expose a half-stored value.
  void Store(const T& value, Policy& policy) {
    uint64_t words[kWords] = {};
    std::memcpy(words, &value, sizeof(T));
    ForEachWord([&](size_t i) {
      if (i > 0) policy.point(Site::kBetweenValueWords);
      words_[i].store(words[i], std::memory_order_relaxed);
    });
  }

  // Same without scheduling points, for keys (a key is written once into a
  // slot that no reader trusts yet).
  void StoreQuietly(const T& value) {
    uint64_t words[kWords] = {};
    std::memcpy(words, &value, sizeof(T));
    ForEachWord([&](size_t i) {
      words_[i].store(words[i], std::memory_order_relaxed);
    });
  }

 private:
  template <class F>
  [[gnu::always_inline]] static void ForEachWord(F&& f) {
    [&]<size_t... I>(std::index_sequence<I...>) { (f(I), ...); }
    (std::make_index_sequence<kWords>());
  }

  typename Policy::template Atomic<uint64_t> words_[kWords];
};

}  // namespace tophash::internal

#endif  // TOPHASH_INTERNAL_ATOMIC_CELL_H_

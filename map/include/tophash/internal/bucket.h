// Bucket and Table: the memory layout of the tophash map.
//
// A bucket is laid out as in the Go runtime: eight tophash bytes, then eight
// keys, then eight values, then a pointer to an overflow bucket. Keeping the
// tophash bytes together lets a lookup reject most slots after touching one
// word. A Table is one shard's bucket array (a power of two of buckets) plus
// the overflow buckets chained from it; the whole table is retired at once
// when growth completes or the shard is cleared.
//
// Tophash byte values:
//   0 kEmptyRest        this slot and every later one in the chain are empty
//   1 kEmptyOne         this slot is empty
//   2 kEvacuatedX       entry moved to the same index in the new array
//   3 kEvacuatedY       entry moved to index + old size in the new array
//   4 kEvacuatedEmpty   slot was empty when its bucket was evacuated
//   5..255              top byte of a live entry's hash (raised by 5 if < 5)

#ifndef TOPHASH_INTERNAL_BUCKET_H_
#define TOPHASH_INTERNAL_BUCKET_H_

#include <cstddef>
#include <cstdint>
#include <new>

#include "tophash/internal/atomic_cell.h"

namespace tophash::internal {

inline constexpr int kBucketSlots = 8;

inline constexpr uint8_t kEmptyRest = 0;
inline constexpr uint8_t kEmptyOne = 1;
inline constexpr uint8_t kEvacuatedX = 2;
inline constexpr uint8_t kEvacuatedY = 3;
inline constexpr uint8_t kEvacuatedEmpty = 4;
inline constexpr uint8_t kMinTopHash = 5;

inline uint8_t TopHash(uint64_t hash) {
  auto top = static_cast<uint8_t>(hash >> 56);
  return top < kMinTopHash ? static_cast<uint8_t>(top + kMinTopHash) : top;
}
inline bool IsEmptySlot(uint8_t top) { return top <= kEmptyOne; }
inline bool IsEvacuationMark(uint8_t top) {
  return top > kEmptyOne && top < kMinTopHash;
}

// Go's load factor, 6.5 entries per bucket, as a fraction.
inline constexpr size_t kLoadFactorNum = 13;
inline constexpr size_t kLoadFactorDen = 2;

inline bool OverLoadFactor(size_t count, unsigned log2_buckets) {
  return count > kBucketSlots &&
         count >
             kLoadFactorNum * ((size_t{1} << log2_buckets) / kLoadFactorDen);
}
// A shard's table never exceeds 2^40 buckets (the bucket index comes from
// the hash's low bits, the shard and tophash from its top 16), which bounds
// every size computation below.
inline constexpr unsigned kMaxLog2Buckets = 40;
inline constexpr size_t kMaxEntriesPerShard =
    kLoadFactorNum * ((size_t{1} << kMaxLog2Buckets) / kLoadFactorDen);

// Smallest log2 bucket count that holds `count` entries without growing.
inline unsigned Log2BucketsFor(size_t count) {
  unsigned log2 = 0;
  while (log2 < kMaxLog2Buckets && OverLoadFactor(count, log2)) ++log2;
  return log2;
}

// Every field is a Policy atomic: lock-free readers load what writers store.
template <class K, class V, class Policy>
struct Bucket {
  template <class T>
  using Atomic = typename Policy::template Atomic<T>;

  Atomic<uint8_t> tophash[kBucketSlots];
  AtomicCell<K, Policy> keys[kBucketSlots];
  AtomicCell<V, Policy> values[kBucketSlots];
  Atomic<Bucket*> overflow{nullptr};
  // Links every overflow bucket of a table for freeing; not read by lookups.
  Atomic<Bucket*> next_allocated{nullptr};

  Bucket() {
    for (auto& top : tophash) top.store(kEmptyRest, std::memory_order_relaxed);
  }

  // Go's evacuated(): the first slot carries the bucket's evacuation mark.
  bool Evacuated() const {
    return IsEvacuationMark(tophash[0].load(std::memory_order_acquire));
  }
};

template <class K, class V, class Policy>
struct Table {
  using BucketType = Bucket<K, V, Policy>;
  template <class T>
  using Atomic = typename Policy::template Atomic<T>;

  // Written before the table is published and never again.
  unsigned log2_buckets = 0;
  BucketType* buckets = nullptr;
  Atomic<BucketType*> overflow_list{nullptr};
  Atomic<size_t> overflow_count{0};
  // Writer-side bookkeeping once retired (under the shard lock).
  uint64_t retire_epoch = 0;
  Table* next_retired = nullptr;

  size_t bucket_count() const { return size_t{1} << log2_buckets; }
  size_t mask() const { return bucket_count() - 1; }
  BucketType& BucketFor(uint64_t hash) const { return buckets[hash & mask()]; }

  // Go's tooManyOverflowBuckets(): as many overflow buckets as buckets
  // (capped at 2^15) means the table is sparse and should be rebuilt at the
  // same size.
  bool TooManyOverflow() const {
    unsigned log2 = log2_buckets > 15 ? 15 : log2_buckets;
    return overflow_count.load(std::memory_order_relaxed) >=
           (size_t{1} << log2);
  }

  static Table* Create(unsigned log2_buckets, Policy& policy) {
    size_t count = size_t{1} << log2_buckets;
    void* block = policy.allocate(AllocationSize(count));
    auto* table = new (block) Table;
    table->log2_buckets = log2_buckets;
    table->buckets =
        new (static_cast<char*>(block) + BucketsOffset()) BucketType[count];
    return table;
  }

  BucketType* NewOverflow(Policy& policy) {
    auto* bucket = new (policy.allocate(sizeof(BucketType))) BucketType;
    BucketType* head = overflow_list.load(std::memory_order_relaxed);
    do {
      bucket->next_allocated.store(head, std::memory_order_relaxed);
    } while (!overflow_list.compare_exchange_weak(head, bucket,
                                                  std::memory_order_relaxed));
    overflow_count.fetch_add(1, std::memory_order_relaxed);
    return bucket;
  }

  static void Destroy(Table* table, Policy& policy) {
    BucketType* bucket = table->overflow_list.load(std::memory_order_relaxed);
    while (bucket != nullptr) {
      BucketType* next = bucket->next_allocated.load(std::memory_order_relaxed);
      bucket->~BucketType();
      policy.deallocate(bucket, sizeof(BucketType));
      bucket = next;
    }
    size_t count = table->bucket_count();
    for (size_t i = 0; i < count; ++i) table->buckets[i].~BucketType();
    table->~Table();
    policy.deallocate(table, AllocationSize(count));
  }

 private:
  static constexpr size_t BucketsOffset() {
    return (sizeof(Table) + alignof(BucketType) - 1) / alignof(BucketType) *
           alignof(BucketType);
  }
  static size_t AllocationSize(size_t bucket_count) {
    return BucketsOffset() + bucket_count * sizeof(BucketType);
  }
};

}  // namespace tophash::internal

#endif  // TOPHASH_INTERNAL_BUCKET_H_

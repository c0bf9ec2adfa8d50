// Bucket and Table: the memory layout of the tophash map.
//
// A bucket is laid out as in the Go runtime: eight tophash bytes, then eight
// keys, then eight values, then a pointer to an overflow bucket. Keeping the
// tophash bytes together lets a lookup reject most slots after touching one
// word, and the map treats them as exactly that: one atomic 64-bit word whose
// byte i (in memory order, i.e. little-endian bit position 8*i) is slot i's
// tophash. A reader loads the word once and matches all eight bytes at once
// (SWAR, as absl's portable group and Go's Swiss map do), which also gives it
// a consistent snapshot of the bucket's eight slots; a writer (under the
// shard lock, so the only one) changes bytes by storing the whole word. A
// Table is one shard's bucket array (a power of two of buckets) plus
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

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>

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

// ----- The tophash word
// ------------------------------------------------------- Byte masks have 0x80
// set in the byte of each selected slot; SlotOf() turns the lowest one into a
// slot index.

inline constexpr uint64_t kLowBits = 0x0101010101010101ULL;
inline constexpr uint64_t kHighBits = 0x8080808080808080ULL;

inline uint8_t TopAt(uint64_t word, int slot) {
  return static_cast<uint8_t>(word >> (8 * slot));
}
inline uint64_t WithTop(uint64_t word, int slot, uint8_t top) {
  int shift = 8 * slot;
  return (word & ~(uint64_t{0xff} << shift)) | (uint64_t{top} << shift);
}
// Flags the zero bytes of `word`, with the classic (x - 0x01..) & ~x trick:
// the lowest flagged byte is exactly the lowest zero byte, but a byte of 0x01
// directly above a flagged byte may be flagged too. So callers use only the
// lowest flag (BytesBefore, SlotOf of the first empty slot) or check each
// flagged slot's key anyway (matches); a lookup that treats a tophash match
// as a key match (the kTophashMatchIsKeyMatch fault) takes the lowest,
// exact one first.
inline uint64_t ZeroBytes(uint64_t word) {
  return (word - kLowBits) & ~word & kHighBits;
}
inline uint64_t MatchBytes(uint64_t word, uint8_t top) {
  return ZeroBytes(word ^ (kLowBits * top));
}
// kEmptyRest and kEmptyOne slots.
inline uint64_t EmptyBytes(uint64_t word) {
  return ZeroBytes(word & ~kLowBits);
}
// The bytes of `mask` below its first byte in `stop` (all of them if `stop`
// is empty): what a slot-by-slot scan that ends at `stop` would visit.
inline uint64_t BytesBefore(uint64_t mask, uint64_t stop) {
  return stop == 0 ? mask : mask & ((stop & (~stop + 1)) - 1);
}
inline size_t SlotOf(uint64_t mask) {
  return static_cast<size_t>(__builtin_ctzll(mask)) >> 3;
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

  // tophash[8] as one word: byte i is slot i's tophash (see above).
  Atomic<uint64_t> tophash{0};  // every slot kEmptyRest
  AtomicCell<K, Policy> keys[kBucketSlots];
  AtomicCell<V, Policy> values[kBucketSlots];
  Atomic<Bucket*> overflow{nullptr};
  // Links every overflow bucket of a table for freeing; not read by lookups.
  Atomic<Bucket*> next_allocated{nullptr};

  static_assert(kEmptyRest == 0, "a zero word is a bucket of empty slots");

  // Asks for every cache line of the bucket at once. A lookup's tophash
  // word, key and value usually sit on different lines; fetched one after
  // the other (the key's address depends on the tophash match) they cost
  // two or three memory latencies, requested together about one. Not a
  // memory access in the C++ sense: safe on any address.
  template <bool kForWrite = false>
  [[gnu::always_inline]] void Prefetch() const {
    const char* start = reinterpret_cast<const char*>(this);
    for (size_t offset = 0; offset < sizeof(Bucket); offset += 64) {
      __builtin_prefetch(start + offset, kForWrite ? 1 : 0);
    }
    // The last line, when the bucket straddles one more than its size says.
    __builtin_prefetch(start + sizeof(Bucket) - 1, kForWrite ? 1 : 0);
  }

  // Go's evacuated(): the first slot carries the bucket's evacuation mark.
  static bool Evacuated(uint64_t word) {
    return IsEvacuationMark(TopAt(word, 0));
  }
  bool Evacuated() const {
    return Evacuated(tophash.load(std::memory_order_acquire));
  }

  // For debugging tools: the field of this bucket at `address` ("tophash",
  // "keys[2]", "values[5] word 1", "overflow"), or "" if none. Compares
  // addresses only; reads nothing.
  std::string FieldAt(const void* address) const {
    auto byte = [](const void* p) { return static_cast<const char*>(p); };
    auto in_cell = [&](const void* cell, size_t words, std::string name) {
      ptrdiff_t offset = byte(address) - byte(cell);
      if (offset < 0 || offset >= static_cast<ptrdiff_t>(8 * words)) {
        return std::string();
      }
      if (words == 1) return name;
      return name + " word " + std::to_string(offset / 8);
    };
    if (address == &tophash) return "tophash";
    for (int i = 0; i < kBucketSlots; ++i) {
      std::string index = "[" + std::to_string(i) + "]";
      std::string key = in_cell(&keys[i], keys[i].kWords, "keys" + index);
      if (!key.empty()) return key;
      std::string value =
          in_cell(&values[i], values[i].kWords, "values" + index);
      if (!value.empty()) return value;
    }
    if (address == &overflow) return "overflow";
    if (address == &next_allocated) return "next_allocated";
    return "";
  }
};

template <class K, class V, class Policy>
struct Table {
  using BucketType = Bucket<K, V, Policy>;
  template <class T>
  using Atomic = typename Policy::template Atomic<T>;

  // Written before the table is published and never again; every lookup
  // reads them.
  unsigned log2_buckets = 0;
  size_t bucket_mask = 0;  // bucket_count() - 1, for lookups
  BucketType* buckets = nullptr;
  size_t max_entries = 0;   // more than this: OverLoadFactor()
  size_t max_overflow = 0;  // this many overflow buckets: TooManyOverflow()
  // Written by writers (under the shard lock) when they add an overflow
  // bucket. With the fields above they fill the table's first cache line.
  Atomic<BucketType*> overflow_list{nullptr};
  Atomic<size_t> overflow_count{0};
  // Writer-side bookkeeping once retired (under the shard lock).
  uint64_t retire_epoch = 0;
  Table* next_retired = nullptr;

  size_t bucket_count() const { return size_t{1} << log2_buckets; }

  // For debugging tools: names the word at `address` inside a block of
  // `bytes` bytes that this table type allocated (a table with its bucket
  // array, or one overflow bucket): "bucket 3 keys[2]", "overflow bucket
  // tophash", "table header". Compares addresses only.
  static std::string DescribeAddress(const void* block, size_t bytes,
                                     const void* address) {
    auto offset = static_cast<size_t>(static_cast<const char*>(address) -
                                      static_cast<const char*>(block));
    if (bytes == sizeof(BucketType)) {
      auto* bucket = static_cast<const BucketType*>(block);
      return "overflow bucket " + bucket->FieldAt(address);
    }
    if (offset < BucketsOffset()) return "table header";
    size_t index = (offset - BucketsOffset()) / sizeof(BucketType);
    auto* bucket = reinterpret_cast<const BucketType*>(
        static_cast<const char*>(block) + BucketsOffset() +
        index * sizeof(BucketType));
    return "bucket " + std::to_string(index) + " " + bucket->FieldAt(address);
  }
  size_t mask() const { return bucket_mask; }
  BucketType& BucketFor(uint64_t hash) const {
    return buckets[hash & bucket_mask];
  }

  // OverLoadFactor(count, log2_buckets), precomputed.
  bool OverLoaded(size_t count) const { return count > max_entries; }

  // Go's tooManyOverflowBuckets(): as many overflow buckets as buckets
  // (capped at 2^15) means the table is sparse and should be rebuilt at the
  // same size.
  bool TooManyOverflow() const {
    return overflow_count.load(std::memory_order_relaxed) >= max_overflow;
  }

  static Table* Create(unsigned log2_buckets, Policy& policy) {
    size_t count = size_t{1} << log2_buckets;
    void* block = policy.allocate(AllocationSize(count));
    auto* table = new (block) Table;
    table->log2_buckets = log2_buckets;
    table->bucket_mask = count - 1;
    table->max_entries = std::max<size_t>(
        kBucketSlots, kLoadFactorNum * (count / kLoadFactorDen));
    table->max_overflow = size_t{1} << (log2_buckets > 15 ? 15 : log2_buckets);
    table->buckets =
        new (static_cast<char*>(block) + BucketsOffset()) BucketType[count];
    return table;
  }

  // Called under the shard lock (the only writer of these words), so plain
  // loads and stores suffice.
  BucketType* NewOverflow(Policy& policy) {
    auto* bucket = new (policy.allocate(sizeof(BucketType))) BucketType;
    bucket->next_allocated.store(overflow_list.load(std::memory_order_relaxed),
                                 std::memory_order_relaxed);
    overflow_list.store(bucket, std::memory_order_relaxed);
    overflow_count.store(overflow_count.load(std::memory_order_relaxed) + 1,
                         std::memory_order_relaxed);
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

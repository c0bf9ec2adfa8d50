// tophash::Map: a concurrent hash map with the Go runtime's bucket layout.
//
// This is the production map that tophash-fuzz tests. It keeps the design of
// the Go runtime's classic map (before Swiss tables) and makes it safe for
// concurrent use.
//
// Layout. The map is split into shards by hash; each shard owns a bucket
// array of 2^B buckets. A bucket holds eight slots: eight tophash bytes (the
// top byte of each slot's hash, or a small marker; see internal/bucket.h),
// eight keys, eight values and an overflow pointer. A lookup takes the bucket
// from the low bits of the hash, the shard from the bits below the top byte,
// and compares full keys only where the tophash byte matches. kEmptyRest
// ends a scan early.
//
// Growth. A shard grows when it holds more than 6.5 entries per bucket
// (doubling) or has as many overflow buckets as buckets (same-size growth,
// which compacts a table sparse from deletions). Growth is incremental: the
// new array is installed and the old one kept; every later write to the shard
// evacuates the old bucket it touches plus the next unevacuated one, moving
// each entry to the "X" (same index) or "Y" (index + old size) half of the
// new array and marking the old slot evacuatedX/Y. A lookup that finds the
// shard growing reads the old bucket if it has not been evacuated yet. When
// the last old bucket is evacuated the old array is retired.
//
// Concurrency. Writers take their shard's lock. Readers take no lock. Two
// mechanisms keep lock-free readers correct:
//   * Publication. A writer that fills an empty slot stores the key and the
//     value first and then the bucket's tophash word (the slot's byte set)
//     with a release store; a reader loads the tophash word with acquire, so
//     a tophash it sees comes with a complete key and value. Inserts into
//     empty slots need nothing else.
//   * Validation. Every write that changes or removes what a reader might
//     already be looking at (replacing a value in place, erasing, evacuating,
//     installing or clearing an array) runs inside a write section: the
//     shard's version is odd while it runs. A reader samples the version
//     before it starts (waiting while it is odd) and checks it is unchanged
//     after copying its result; otherwise it retries.
// All shared words are atomics, so the map is free of data races under the
// C++ memory model. Retired arrays are freed by epoch-based reclamation
// (internal/epoch.h) once no reader can still hold them.
//
// size(), clear() and check_invariants() lock every shard (in index order),
// which makes size() and clear() linearizable. for_each() locks one shard at
// a time and is weakly consistent, like Java's ConcurrentHashMap iterators:
// it visits each entry present for the whole call exactly once, entries
// added or removed during the call at most once, and never fails.
//
// The Policy parameter (tophash/policy.h) supplies the lock, scheduling
// points and injected faults. With ProductionPolicy all of that compiles
// away.

#ifndef TOPHASH_MAP_H_
#define TOPHASH_MAP_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "tophash/hash.h"
#include "tophash/internal/bucket.h"
#include "tophash/internal/epoch.h"
#include "tophash/internal/spin_lock.h"
#include "tophash/policy.h"

namespace tophash {

struct MapOptions {
  // Number of shards; rounded up to a power of two in [1, 256]. More shards
  // make two writers less likely to want the same lock at once (64 measured
  // best on two cores: 16 lost 10-25% to that with two writing threads, 256
  // a few percent to the extra shard and table headers in cache).
  size_t shards = 64;
  // Entries the map should hold without growing.
  size_t initial_capacity = 0;
};

template <class K, class V, class Hash = DefaultHash<K>,
          class Policy = ProductionPolicy>
class Map {
  static_assert(std::is_trivially_copyable_v<K>,
                "tophash::Map keys must be trivially copyable: lock-free "
                "readers copy them word by word while writers may store them");
  static_assert(std::is_trivially_copyable_v<V>,
                "tophash::Map values must be trivially copyable: lock-free "
                "readers copy them word by word while writers may store them");
  static_assert(std::is_default_constructible_v<V>,
                "tophash::Map values must be default constructible");

 public:
  explicit Map(MapOptions options = {}, Hash hash = Hash(),
               Policy policy = Policy());
  ~Map();
  Map(const Map&) = delete;
  Map& operator=(const Map&) = delete;

  // Comma-ok lookup: returns whether `key` is present and, if so and `out`
  // is not null, copies its value to *out.
  // Inlined into the caller (it is the hot path, and a call boundary costs
  // a sixth of its instructions in saved registers); the rare paths are
  // out of line.
  [[gnu::always_inline]] inline bool find(const K& key, V* out) const;
  // Inserts if absent; returns whether it inserted.
  bool insert(const K& key, const V& value);
  void insert_or_assign(const K& key, const V& value);
  // Returns whether `key` was present.
  bool erase(const K& key);
  size_t size() const;
  void clear();
  // Grows every shard so the map holds `count` entries without growing.
  void reserve(size_t count);
  // Calls f(key, value) for each entry; weakly consistent (see above). f may
  // call back into the map.
  template <class F>
  void for_each(F&& f) const;
  // Checks the structure; returns "" if it is sound, else one line per
  // problem found. Locks every shard.
  std::string check_invariants() const;

  // For debugging tools (the harness's reports): the name of the shared word
  // at `address` when it is one of the map's own ("shard 2 version", "epoch
  // slot 1"), else "". describe_block_address() names a word inside a block
  // the map allocated through its policy ("bucket 3 keys[2]"). Both compare
  // addresses only and read nothing.
  std::string describe_address(const void* address) const;
  static std::string describe_block_address(const void* block, size_t bytes,
                                            const void* address) {
    return Table::DescribeAddress(block, bytes, address);
  }

  size_t shard_count() const { return shard_count_; }
  Policy& policy() const { return policy_; }

 private:
  using Bucket = internal::Bucket<K, V, Policy>;
  using Table = internal::Table<K, V, Policy>;
  using Mutex = typename Policy::Mutex;
  template <class T>
  using Atomic = typename Policy::template Atomic<T>;

  // Owns a table until it is installed in a shard.
  struct TableDeleter {
    Policy* policy;
    void operator()(Table* table) const { Table::Destroy(table, *policy); }
  };
  using TablePtr = std::unique_ptr<Table, TableDeleter>;
  TablePtr NewTable(unsigned log2_buckets) const {
    return TablePtr(Table::Create(log2_buckets, policy_),
                    TableDeleter{&policy_});
  }

  struct alignas(64) Shard {
    // What every reader of the shard loads, on a cache line of its own: if
    // the lock shared it, every lock and unlock by a writer would take the
    // line away from all readers.
    alignas(64) Atomic<uint64_t> version{0};
    Atomic<Table*> table{nullptr};
    Atomic<Table*> old{nullptr};  // non-null while growing
    // Writer-side state.
    alignas(64) mutable Mutex mu;
    Atomic<size_t> count{0};
    Atomic<size_t> nevacuate{0};        // old buckets below this are moved
    Table* retired = nullptr;           // under mu
    Table* cleared[2] = {};             // under mu, during clear()
    unsigned writes_since_reclaim = 0;  // under mu
  };

  // Where a lookup in a bucket chain ended.
  struct SlotRef {
    Bucket* bucket = nullptr;
    int index = 0;
  };

  bool on(Fault fault) const { return policy_.enabled(fault); }
  // Buckets per shard for `count` entries in all; throws std::length_error
  // beyond what a shard can address.
  unsigned Log2BucketsForTotal(size_t count) const {
    size_t per_shard = count / shard_count_ + (count % shard_count_ != 0);
    if (per_shard > internal::kMaxEntriesPerShard) {
      throw std::length_error("tophash::Map: capacity too large");
    }
    return internal::Log2BucketsFor(per_shard);
  }
  uint64_t HashOf(const K& key) const { return hash_(key); }
  Shard& ShardFor(uint64_t hash) const {
    return shards_[(hash >> shard_shift_) & (shard_count_ - 1)];
  }
  std::unique_lock<Mutex> LockShard(Shard& shard) const;
  // The shard lock around one write, fully inlined (unique_lock's
  // out-of-line unlock costs a call per write); unlocks if point() throws.
  class WriteLock {
   public:
    WriteLock(const Map& map, Shard& shard) : mu_(shard.mu) {
      mu_.lock();
      try {
        map.policy_.point(Site::kAfterLock, &shard);
      } catch (...) {
        mu_.unlock();
        throw;
      }
    }
    ~WriteLock() { mu_.unlock(); }
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;

   private:
    Mutex& mu_;
  };
  bool Growing(const Shard& shard) const {
    return shard.old.load(std::memory_order_relaxed) != nullptr;
  }

  // How one scan of a bucket chain ended. (The last two only under the
  // fault kValidateBeforeValueCopy, which validates inside the scan.)
  enum class Lookup { kAbsent, kFound, kFoundValidated, kChanged };

  // Reader side; inlined into find() so its speed does not depend on the
  // compiler's inlining budget at each call site.
  [[gnu::always_inline]] inline bool ReadAttempt(const Shard& shard,
                                                 uint64_t hash, const K& key,
                                                 uint64_t version,
                                                 uint64_t* value_words,
                                                 bool* found) const;
  [[gnu::noinline]] bool FindWithRetries(const Shard& shard, uint64_t hash,
                                         const K& key, V* out) const;
  [[gnu::noinline]] uint64_t WaitForWriter(const Shard& shard) const;
  using ValueCell = internal::AtomicCell<V, Policy>;
  [[gnu::always_inline]] inline Lookup LookupOnce(const Shard& shard,
                                                  uint64_t hash, const K& key,
                                                  uint64_t version,
                                                  uint64_t* value_words) const;
  [[gnu::always_inline]] inline bool Unchanged(const Shard& shard,
                                               uint64_t version) const;
  [[gnu::always_inline]] inline const Bucket* ReadableBucket(
      const Shard& shard, uint64_t hash) const;
  [[gnu::always_inline]] inline bool KeyMatches(const Bucket& bucket,
                                                size_t index,
                                                const K& key) const;

  // Writer side; the shard lock is held.
  void OpenWriteSection(Shard& shard);
  void CloseWriteSection(Shard& shard);
  [[gnu::always_inline]] inline SlotRef FindSlot(Table& table, uint64_t hash,
                                                 const K& key,
                                                 SlotRef* first_empty = nullptr,
                                                 Bucket** last = nullptr) const;
  bool Assign(const K& key, const V& value, bool overwrite);
  bool InsertWithoutLock(Shard& shard, uint64_t hash, const K& key,
                         const V& value);
  [[gnu::always_inline]] inline void FillSlot(SlotRef slot, uint8_t top,
                                              const K& key, const V& value);
  void ReplaceValue(Shard& shard, SlotRef slot, const V& value);
  void MarkErased(Bucket& head, SlotRef slot);
  void StartGrowth(Shard& shard, bool doubling);
  void GrowWork(Shard& shard, uint64_t hash);
  void Evacuate(Shard& shard, size_t old_index);
  Bucket* NextToEvacuate(Bucket* bucket) const;
  int EvacuationHalf(const Bucket& bucket, int slot, const Table& old,
                     bool doubling) const;
  void AdvanceEvacuationMark(Shard& shard, Table& old, size_t old_index);
  void FinishGrowth(Shard& shard);
  void Retire(Shard& shard, Table* table);
  void MaybeReclaim(Shard& shard, bool force);
  void FreeRetired(Shard& shard, uint64_t safe_epoch);
  std::vector<std::unique_lock<Mutex>> LockAllShards() const;
  void ClearShard(Shard& shard, TablePtr fresh);
  void DestroyTables();
  void RetireCleared(Shard& shard);
  void CheckShard(const Shard& shard, size_t shard_index,
                  std::string* problems) const;
  template <class F>
  void ForEachLiveSlot(const Shard& shard, F&& f) const;

  size_t shard_count_;
  unsigned shard_shift_;
  Hash hash_;
  mutable Policy policy_;
  Shard* shards_;
  mutable internal::EpochDomain<Policy> epoch_;
};

// ---------------------------------------------------------------------------
// Implementation.

namespace internal {

inline size_t ShardCountFor(size_t requested) {
  size_t count = 1;
  while (count < requested && count < 256) count <<= 1;
  return count;
}

inline unsigned Log2(size_t power_of_two) {
  unsigned log2 = 0;
  while ((size_t{1} << log2) < power_of_two) ++log2;
  return log2;
}

}  // namespace internal

template <class K, class V, class H, class P>
Map<K, V, H, P>::Map(MapOptions options, H hash, P policy)
    : shard_count_(internal::ShardCountFor(options.shards)),
      // The shard comes from the bits just below the tophash byte.
      shard_shift_(56 - internal::Log2(shard_count_)),
      hash_(std::move(hash)),
      policy_(std::move(policy)),
      shards_(new Shard[shard_count_]) {
  try {
    unsigned log2 = Log2BucketsForTotal(options.initial_capacity);
    for (size_t i = 0; i < shard_count_; ++i) {
      shards_[i].table.store(Table::Create(log2, policy_),
                             std::memory_order_release);
    }
  } catch (...) {
    DestroyTables();  // what was allocated before the failure
    delete[] shards_;
    throw;
  }
}

template <class K, class V, class H, class P>
Map<K, V, H, P>::~Map() {
  DestroyTables();
  delete[] shards_;
}

template <class K, class V, class H, class P>
void Map<K, V, H, P>::DestroyTables() {
  for (size_t i = 0; i < shard_count_; ++i) {
    Shard& shard = shards_[i];
    if (Table* old = shard.old.load(std::memory_order_relaxed)) {
      Table::Destroy(old, policy_);
    }
    if (Table* table = shard.table.load(std::memory_order_relaxed)) {
      Table::Destroy(table, policy_);
    }
    while (Table* retired = shard.retired) {
      shard.retired = retired->next_retired;
      Table::Destroy(retired, policy_);
    }
    // Left here only if a throwing point() interrupted clear().
    for (Table* cleared : shard.cleared) {
      if (cleared != nullptr) Table::Destroy(cleared, policy_);
    }
  }
}

template <class K, class V, class H, class P>
std::unique_lock<typename P::Mutex> Map<K, V, H, P>::LockShard(
    Shard& shard) const {
  std::unique_lock<Mutex> lock(shard.mu);
  policy_.point(Site::kAfterLock, &shard);
  return lock;
}

// ----- Readers --------------------------------------------------------------

// `words` is written by LookupOnce() exactly when it returns true; gcc cannot
// see that through the retry loop.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
template <class K, class V, class H, class P>
bool Map<K, V, H, P>::find(const K& key, V* out) const {
  uint64_t hash = HashOf(key);
  const Shard& shard = ShardFor(hash);
  internal::EpochGuard<P> guard(epoch_);
  // The first attempt inline; waiting for a writer and retrying out of line
  // (FindWithRetries repeats exactly this), which keeps the inlined code
  // free of loop state.
  uint64_t version = shard.version.load(std::memory_order_acquire);
  if ((version & 1) != 0 && !on(Fault::kSkipReadValidation)) [[unlikely]] {
    return FindWithRetries(shard, hash, key, out);
  }
  // The value's words as read; copied to *out once they are validated.
  uint64_t words[ValueCell::kWords];
  bool found;
  if (!ReadAttempt(shard, hash, key, version, words, &found)) [[unlikely]] {
    return FindWithRetries(shard, hash, key, out);
  }
  if (found && out != nullptr) ValueCell::CopyOut(words, out);
  return found;
}

// Seqlock read: looks the key up and validates that no write section opened
// since `version` (even) was read. Returns false if one did: the result may
// be inconsistent and the caller must start over.
template <class K, class V, class H, class P>
bool Map<K, V, H, P>::ReadAttempt(const Shard& shard, uint64_t hash,
                                  const K& key, uint64_t version,
                                  uint64_t* value_words, bool* found) const {
  Lookup result = LookupOnce(shard, hash, key, version, value_words);
  *found = result == Lookup::kFound || result == Lookup::kFoundValidated;
  // (kFoundValidated: a fault's early check stands in for the one below.)
  bool trusted =
      result == Lookup::kFoundValidated || on(Fault::kSkipReadValidation);
  if (result != Lookup::kChanged && (trusted || Unchanged(shard, version))) {
    return true;
  }
  policy_.point(Site::kReadRetry, &shard);
  return false;
}

// find() after a writer got in the way; the caller holds the epoch guard.
template <class K, class V, class H, class P>
bool Map<K, V, H, P>::FindWithRetries(const Shard& shard, uint64_t hash,
                                      const K& key, V* out) const {
  uint64_t words[ValueCell::kWords];
  for (;;) {
    uint64_t version = shard.version.load(std::memory_order_acquire);
    if ((version & 1) != 0 && !on(Fault::kSkipReadValidation)) {
      version = WaitForWriter(shard);
    }
    bool found;
    if (ReadAttempt(shard, hash, key, version, words, &found)) {
      if (found && out != nullptr) ValueCell::CopyOut(words, out);
      return found;
    }
  }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

// A writer is inside a write section: waits for it to close and returns the
// (even) version it left.
template <class K, class V, class H, class P>
uint64_t Map<K, V, H, P>::WaitForWriter(const Shard& shard) const {
  for (unsigned spins = 0;; ++spins) {
    policy_.point(Site::kReadWaitWriter, &shard);
    if (spins % 64 == 63) std::this_thread::yield();
    internal::CpuRelax();
    uint64_t version = shard.version.load(std::memory_order_acquire);
    if ((version & 1) == 0) return version;
  }
}

// The reader's validation: no write section opened since it sampled
// `version`. The acquire fence orders the reader's loads of the entry before
// the version's reload, pairing with the writer's release fence after it made
// the version odd (a seqlock).
template <class K, class V, class H, class P>
bool Map<K, V, H, P>::Unchanged(const Shard& shard, uint64_t version) const {
  policy_.point(Site::kBeforeReadValidation, &shard);
  if (!on(Fault::kReaderSkipsAcquireFence)) {
    P::fence(std::memory_order_acquire);
  }
  return shard.version.load(std::memory_order_relaxed) == version;
}

// The bucket a reader must scan: the old one while it is not yet evacuated.
template <class K, class V, class H, class P>
auto Map<K, V, H, P>::ReadableBucket(const Shard& shard, uint64_t hash) const
    -> const Bucket* {
  const Table* table = shard.table.load(std::memory_order_acquire);
  if (!on(Fault::kIgnoreOldBucketsWhileGrowing)) {
    if (const Table* old = shard.old.load(std::memory_order_acquire)) {
      const Bucket& old_bucket = old->BucketFor(hash);
      policy_.point(Site::kReadBucket, &old_bucket);
      if (!old_bucket.Evacuated()) return &old_bucket;
    }
  }
  return &table->BucketFor(hash);
}

template <class K, class V, class H, class P>
bool Map<K, V, H, P>::KeyMatches(const Bucket& bucket, size_t index,
                                 const K& key) const {
  if (on(Fault::kTophashMatchIsKeyMatch)) return true;
  return bucket.keys[index].Load() == key;
}

template <class K, class V, class H, class P>
auto Map<K, V, H, P>::LookupOnce(const Shard& shard, uint64_t hash,
                                 const K& key, uint64_t version,
                                 uint64_t* value_words) const -> Lookup {
  uint8_t top = internal::TopHash(hash);
  const Bucket* bucket = ReadableBucket(shard, hash);  // never null
  do {
    policy_.point(Site::kReadBucket, bucket);
    bucket->Prefetch();
    // All eight tophash bytes at once: the slots whose byte is `top`, up to
    // the first kEmptyRest (where a slot-by-slot scan would stop).
    uint64_t word = bucket->tophash.load(std::memory_order_acquire);
    uint64_t rest = internal::ZeroBytes(word);
    for (uint64_t match =
             internal::BytesBefore(internal::MatchBytes(word, top), rest);
         match != 0; match &= match - 1) {
      size_t i = internal::SlotOf(match);
      if (!KeyMatches(*bucket, i, key)) continue;
      if (on(Fault::kValidateBeforeValueCopy)) {
        if (!Unchanged(shard, version)) return Lookup::kChanged;
        bucket->values[i].LoadWords(value_words);
        return Lookup::kFoundValidated;
      }
      bucket->values[i].LoadWords(value_words);
      return Lookup::kFound;
    }
    if (rest != 0) return Lookup::kAbsent;
    bucket = bucket->overflow.load(std::memory_order_acquire);
  } while (bucket != nullptr);
  return Lookup::kAbsent;
}

// ----- Writers --------------------------------------------------------------

template <class K, class V, class H, class P>
void Map<K, V, H, P>::OpenWriteSection(Shard& shard) {
  uint64_t version = shard.version.load(std::memory_order_relaxed);
  shard.version.store(version + 1, std::memory_order_relaxed);
  // Orders the odd version before the section's stores (seqlock writer).
  if (!on(Fault::kWriteSectionWithoutFence)) {
    P::fence(std::memory_order_release);
  }
  policy_.point(Site::kWriteSectionOpen, &shard);
}

template <class K, class V, class H, class P>
void Map<K, V, H, P>::CloseWriteSection(Shard& shard) {
  uint64_t version = shard.version.load(std::memory_order_relaxed);
  shard.version.store(version + 1, std::memory_order_release);
}

// Scans the chain for `key`. If asked, also reports the first empty slot
// before where the scan ended (where an insert goes) and the last bucket of
// the chain (where an overflow bucket would be linked).
template <class K, class V, class H, class P>
auto Map<K, V, H, P>::FindSlot(Table& table, uint64_t hash, const K& key,
                               SlotRef* first_empty, Bucket** last) const
    -> SlotRef {
  uint8_t top = internal::TopHash(hash);
  for (Bucket* bucket = &table.BucketFor(hash); bucket != nullptr;
       bucket = bucket->overflow.load(std::memory_order_relaxed)) {
    if (last != nullptr) *last = bucket;
    bucket->template Prefetch</*kForWrite=*/true>();
    uint64_t word = bucket->tophash.load(std::memory_order_relaxed);
    uint64_t rest = internal::ZeroBytes(word);
    for (uint64_t match =
             internal::BytesBefore(internal::MatchBytes(word, top), rest);
         match != 0; match &= match - 1) {
      size_t i = internal::SlotOf(match);
      if (KeyMatches(*bucket, i, key)) return {bucket, static_cast<int>(i)};
    }
    if (first_empty != nullptr && first_empty->bucket == nullptr) {
      if (uint64_t empty = internal::EmptyBytes(word)) {
        *first_empty = {bucket, static_cast<int>(internal::SlotOf(empty))};
      }
    }
    if (rest != 0) return {};
  }
  return {};
}

template <class K, class V, class H, class P>
bool Map<K, V, H, P>::insert(const K& key, const V& value) {
  return Assign(key, value, /*overwrite=*/false);
}

template <class K, class V, class H, class P>
void Map<K, V, H, P>::insert_or_assign(const K& key, const V& value) {
  Assign(key, value, /*overwrite=*/true);
}

template <class K, class V, class H, class P>
bool Map<K, V, H, P>::Assign(const K& key, const V& value, bool overwrite) {
  uint64_t hash = HashOf(key);
  Shard& shard = ShardFor(hash);
  if (!overwrite && on(Fault::kInsertWithoutShardLock) &&
      InsertWithoutLock(shard, hash, key, value)) {
    return true;
  }
  WriteLock lock(*this, shard);
  MaybeReclaim(shard, /*force=*/false);
  for (;;) {
    if (Growing(shard)) GrowWork(shard, hash);
    Table& table = *shard.table.load(std::memory_order_relaxed);
    SlotRef empty;
    Bucket* last = nullptr;
    SlotRef found = FindSlot(table, hash, key, &empty, &last);
    if (found.bucket != nullptr) {
      if (!overwrite) return false;
      ReplaceValue(shard, found, value);
      if (on(Fault::kSizeMiscountsReplace)) {
        shard.count.fetch_add(1, std::memory_order_relaxed);
      }
      return true;
    }
    size_t count = shard.count.load(std::memory_order_relaxed);
    if (!Growing(shard) &&
        (table.OverLoaded(count + 1) || table.TooManyOverflow())) {
      StartGrowth(shard, table.OverLoaded(count + 1));
      continue;  // the key's bucket moved; look again (Go's "goto again")
    }
    if (empty.bucket == nullptr) {
      Bucket* overflow = table.NewOverflow(policy_);
      FillSlot({overflow, 0}, internal::TopHash(hash), key, value);
      // Linking publishes the whole new bucket (release pairs with the
      // reader's acquire load of the overflow pointer).
      last->overflow.store(overflow, std::memory_order_release);
    } else {
      FillSlot(empty, internal::TopHash(hash), key, value);
    }
    shard.count.store(count + 1, std::memory_order_relaxed);
    return true;
  }
}

// Fault kInsertWithoutShardLock: an "optimistic fast path" that claims an
// empty slot without the lock when no growth or new bucket is needed.
template <class K, class V, class H, class P>
bool Map<K, V, H, P>::InsertWithoutLock(Shard& shard, uint64_t hash,
                                        const K& key, const V& value) {
  if (Growing(shard)) return false;
  Table& table = *shard.table.load(std::memory_order_acquire);
  SlotRef empty;
  Bucket* last = nullptr;
  if (FindSlot(table, hash, key, &empty, &last).bucket != nullptr) {
    return false;  // present: let the locked path answer
  }
  size_t count = shard.count.load(std::memory_order_relaxed);
  if (empty.bucket == nullptr || table.OverLoaded(count + 1)) {
    return false;
  }
  FillSlot(empty, internal::TopHash(hash), key, value);
  shard.count.store(count + 1, std::memory_order_relaxed);
  return true;
}

// Writes key and value into an empty slot, then publishes its tophash.
template <class K, class V, class H, class P>
void Map<K, V, H, P>::FillSlot(SlotRef slot, uint8_t top, const K& key,
                               const V& value) {
  Bucket& bucket = *slot.bucket;
  int i = slot.index;
  // The slot may have held an entry that a write section erased: a reader
  // can still hold that entry's tophash (it read it before the erase) and
  // copy the new key and value words after we store them. Its version check
  // must then see the erase's section. The release fence makes that so: a
  // reader whose acquire fence follows a load of a word stored after it
  // sees everything this writer saw, the erase's version bumps included
  // (found by the harness's weak granularity; fault
  // kFillWithoutReleaseFence keeps its regression).
  if (!on(Fault::kFillWithoutReleaseFence)) {
    P::fence(std::memory_order_release);
  }
  // The shard lock makes this the only writer of the word: no RMW needed.
  uint64_t published =
      internal::WithTop(bucket.tophash.load(std::memory_order_relaxed), i, top);
  if (on(Fault::kPublishTophashBeforeKey)) {
    bucket.tophash.store(published, std::memory_order_release);
    policy_.point(Site::kAfterTophashPublish, &bucket);
  }
  bucket.keys[i].StoreQuietly(key);
  policy_.point(Site::kBetweenKeyAndValue, &bucket);
  bucket.values[i].Store(value, policy_);
  if (on(Fault::kPublishTophashBeforeKey)) return;
  policy_.point(Site::kBeforeTophashPublish, &bucket);
  bucket.tophash.store(published, on(Fault::kRelaxedTophashPublish)
                                       ? std::memory_order_relaxed
                                       : std::memory_order_release);
  policy_.point(Site::kAfterTophashPublish, &bucket);
}

template <class K, class V, class H, class P>
void Map<K, V, H, P>::ReplaceValue(Shard& shard, SlotRef slot, const V& value) {
  bool versioned = !on(Fault::kValueUpdateWithoutVersion);
  if (versioned) OpenWriteSection(shard);
  slot.bucket->values[slot.index].Store(value, policy_);
  if (versioned) CloseWriteSection(shard);
}

template <class K, class V, class H, class P>
bool Map<K, V, H, P>::erase(const K& key) {
  uint64_t hash = HashOf(key);
  Shard& shard = ShardFor(hash);
  WriteLock lock(*this, shard);
  MaybeReclaim(shard, /*force=*/false);
  if (Growing(shard)) GrowWork(shard, hash);
  bool section_open = false;
  if (on(Fault::kEraseMissLeavesWriteOpen)) {
    OpenWriteSection(shard);
    section_open = true;
  }
  Table& table = *shard.table.load(std::memory_order_relaxed);
  SlotRef found = FindSlot(table, hash, key);
  if (found.bucket == nullptr) return false;  // (the fault leaves it open)
  bool versioned = !on(Fault::kEraseWithoutWriteSection);
  if (!section_open && versioned) OpenWriteSection(shard);
  MarkErased(table.BucketFor(hash), found);
  // Written only under the shard lock: no RMW needed.
  shard.count.store(shard.count.load(std::memory_order_relaxed) - 1,
                    std::memory_order_relaxed);
  if (versioned || section_open) CloseWriteSection(shard);
  return true;
}

// Marks the slot empty and, as Go's mapdelete does, turns the run of empty
// slots that now ends the chain into kEmptyRest so lookups stop early.
template <class K, class V, class H, class P>
void Map<K, V, H, P>::MarkErased(Bucket& head, SlotRef slot) {
  Bucket* bucket = slot.bucket;
  int i = slot.index;
  // Each bucket's new tophash word is built here and stored once.
  uint64_t word = bucket->tophash.load(std::memory_order_relaxed);
  if (on(Fault::kEraseMarksEmptyRestEarly)) {
    bucket->tophash.store(internal::WithTop(word, i, internal::kEmptyRest),
                          std::memory_order_relaxed);
    return;
  }
  word = internal::WithTop(word, i, internal::kEmptyOne);
  bool rest_follows;
  if (i == internal::kBucketSlots - 1) {
    const Bucket* next = bucket->overflow.load(std::memory_order_relaxed);
    rest_follows =
        next == nullptr ||
        internal::TopAt(next->tophash.load(std::memory_order_relaxed), 0) ==
            internal::kEmptyRest;
  } else {
    rest_follows = internal::TopAt(word, i + 1) == internal::kEmptyRest;
  }
  if (!rest_follows) {
    bucket->tophash.store(word, std::memory_order_relaxed);
    return;
  }
  for (;;) {
    word = internal::WithTop(word, i, internal::kEmptyRest);
    if (i == 0) {
      bucket->tophash.store(word, std::memory_order_relaxed);
      if (bucket == &head) return;
      Bucket* previous = &head;
      while (previous->overflow.load(std::memory_order_relaxed) != bucket) {
        previous = previous->overflow.load(std::memory_order_relaxed);
      }
      bucket = previous;
      i = internal::kBucketSlots - 1;
      word = bucket->tophash.load(std::memory_order_relaxed);
    } else {
      --i;
    }
    if (internal::TopAt(word, i) != internal::kEmptyOne) {
      bucket->tophash.store(word, std::memory_order_relaxed);
      return;
    }
  }
}

// ----- Growth ---------------------------------------------------------------

template <class K, class V, class H, class P>
void Map<K, V, H, P>::StartGrowth(Shard& shard, bool doubling) {
  Table* current = shard.table.load(std::memory_order_relaxed);
  TablePtr bigger = NewTable(current->log2_buckets + (doubling ? 1 : 0));
  OpenWriteSection(shard);
  shard.nevacuate.store(0, std::memory_order_relaxed);
  shard.old.store(current, std::memory_order_release);
  shard.table.store(bigger.get(), std::memory_order_release);
  Table* installed = bigger.release();
  CloseWriteSection(shard);
  policy_.point(Site::kGrowStart, installed);
}

// Go's growWork(): evacuate the old bucket this write will touch, and one
// more, so growth finishes after at most as many writes as old buckets.
template <class K, class V, class H, class P>
void Map<K, V, H, P>::GrowWork(Shard& shard, uint64_t hash) {
  Table& old = *shard.old.load(std::memory_order_relaxed);
  Evacuate(shard, hash & old.mask());
  if (Growing(shard)) {
    Evacuate(shard, shard.nevacuate.load(std::memory_order_relaxed));
  }
}

template <class K, class V, class H, class P>
auto Map<K, V, H, P>::NextToEvacuate(Bucket* bucket) const -> Bucket* {
  if (on(Fault::kEvacuateDropsOverflow)) return nullptr;
  return bucket->overflow.load(std::memory_order_relaxed);
}

// Which half of the new array an old entry goes to: 0 = X, 1 = Y.
template <class K, class V, class H, class P>
int Map<K, V, H, P>::EvacuationHalf(const Bucket& bucket, int slot,
                                    const Table& old, bool doubling) const {
  return doubling && (HashOf(bucket.keys[slot].Load()) & old.bucket_count());
}

template <class K, class V, class H, class P>
void Map<K, V, H, P>::Evacuate(Shard& shard, size_t old_index) {
  Table& old = *shard.old.load(std::memory_order_relaxed);
  Table& table = *shard.table.load(std::memory_order_relaxed);
  Bucket& old_head = old.buckets[old_index];
  if (!old_head.Evacuated()) {
    bool doubling = table.log2_buckets > old.log2_buckets;
    // Allocate every overflow bucket the move needs before the write section
    // opens: an allocation failure inside it would leave the shard's version
    // odd (readers waiting forever) and the bucket half moved. Unlinked, the
    // spares belong to the table and are freed with it.
    size_t entries[2] = {0, 0};
    for (Bucket* b = &old_head; b != nullptr; b = NextToEvacuate(b)) {
      uint64_t word = b->tophash.load(std::memory_order_relaxed);
      for (int i = 0; i < internal::kBucketSlots; ++i) {
        if (!internal::IsEmptySlot(internal::TopAt(word, i))) {
          ++entries[EvacuationHalf(*b, i, old, doubling)];
        }
      }
    }
    std::vector<Bucket*> spares[2];
    for (int half = 0; half < 2; ++half) {
      size_t needed =
          entries[half] == 0 ? 0 : (entries[half] - 1) / internal::kBucketSlots;
      for (size_t n = 0; n < needed; ++n) {
        spares[half].push_back(table.NewOverflow(policy_));
      }
    }
    // Destination cursors for the X and Y halves.
    SlotRef dest[2] = {{&table.buckets[old_index], 0}, {nullptr, 0}};
    if (doubling) dest[1] = {&table.buckets[old_index + old.bucket_count()], 0};
    OpenWriteSection(shard);
    for (Bucket* bucket = &old_head; bucket != nullptr;
         bucket = NextToEvacuate(bucket)) {
      // The bucket's evacuation marks, stored as one word once it is moved.
      uint64_t word = bucket->tophash.load(std::memory_order_relaxed);
      uint64_t marks = 0;
      for (int i = 0; i < internal::kBucketSlots; ++i) {
        uint8_t top = internal::TopAt(word, i);
        if (internal::IsEmptySlot(top)) {
          marks = internal::WithTop(marks, i, internal::kEvacuatedEmpty);
          continue;
        }
        policy_.point(Site::kEvacuateSlot, bucket);
        int half = EvacuationHalf(*bucket, i, old, doubling);
        SlotRef& to = dest[half];
        if (to.index == internal::kBucketSlots) {
          Bucket* overflow = spares[half].back();
          spares[half].pop_back();
          to.bucket->overflow.store(overflow, std::memory_order_release);
          to = {overflow, 0};
        }
        FillSlot(to, top, bucket->keys[i].Load(), bucket->values[i].Load());
        ++to.index;
        marks = internal::WithTop(
            marks, i, half ? internal::kEvacuatedY : internal::kEvacuatedX);
      }
      bucket->tophash.store(marks, std::memory_order_relaxed);
    }
    CloseWriteSection(shard);
  }
  if (old_index == shard.nevacuate.load(std::memory_order_relaxed)) {
    AdvanceEvacuationMark(shard, old, old_index);
  }
}

template <class K, class V, class H, class P>
void Map<K, V, H, P>::AdvanceEvacuationMark(Shard& shard, Table& old,
                                            size_t old_index) {
  size_t next = old_index + 1;
  // Skip buckets already evacuated out of order, but bound the work.
  size_t stop = next + 1024;
  while (next != old.bucket_count() && next != stop &&
         old.buckets[next].Evacuated()) {
    ++next;
  }
  shard.nevacuate.store(next, std::memory_order_relaxed);
  if (next == old.bucket_count()) FinishGrowth(shard);
}

template <class K, class V, class H, class P>
void Map<K, V, H, P>::FinishGrowth(Shard& shard) {
  Table* old = shard.old.load(std::memory_order_relaxed);
  // Every old bucket is marked evacuated, so readers holding `old` already
  // go to the new array; no write section is needed to unlink it.
  shard.old.store(nullptr, std::memory_order_release);
  Retire(shard, old);
}

// ----- Reclamation ----------------------------------------------------------

template <class K, class V, class H, class P>
void Map<K, V, H, P>::Retire(Shard& shard, Table* table) {
  table->retire_epoch = epoch_.RetireEpoch();
  table->next_retired = shard.retired;
  shard.retired = table;
  if (on(Fault::kReclaimWithoutGrace)) {
    FreeRetired(shard, /*safe_epoch=*/UINT64_MAX);  // no grace period at all
    return;
  }
  MaybeReclaim(shard, /*force=*/true);
}

template <class K, class V, class H, class P>
void Map<K, V, H, P>::MaybeReclaim(Shard& shard, bool force) {
  if (shard.retired == nullptr) return;
  // Scanning every reader slot costs about a microsecond: amortize it.
  if (!force && (++shard.writes_since_reclaim % 32) != 0) return;
  FreeRetired(shard, epoch_.SafeEpoch());
}

// Frees the retired tables no reader can hold. Each stays on the list until
// its scheduling point has passed, so a throwing point() leaks nothing.
template <class K, class V, class H, class P>
void Map<K, V, H, P>::FreeRetired(Shard& shard, uint64_t safe_epoch) {
  Table** link = &shard.retired;
  while (Table* table = *link) {
    if (table->retire_epoch > safe_epoch) {
      link = &table->next_retired;
      continue;
    }
    policy_.point(Site::kReclaim, table);
    *link = table->next_retired;
    Table::Destroy(table, policy_);
  }
}

// ----- Whole-map operations -------------------------------------------------

template <class K, class V, class H, class P>
auto Map<K, V, H, P>::LockAllShards() const
    -> std::vector<std::unique_lock<Mutex>> {
  std::vector<std::unique_lock<Mutex>> locks;
  locks.reserve(shard_count_);
  for (size_t i = 0; i < shard_count_; ++i) {
    locks.push_back(LockShard(shards_[i]));
  }
  return locks;
}

template <class K, class V, class H, class P>
size_t Map<K, V, H, P>::size() const {
  auto locks = LockAllShards();
  size_t total = 0;
  for (size_t i = 0; i < shard_count_; ++i) {
    total += shards_[i].count.load(std::memory_order_relaxed);
  }
  return total;
}

// Locks keep writers out, but readers take no lock: if shards were emptied
// one after another, a reader could see one shard cleared and the next not
// yet, an order no single clear() explains. So every shard's write section
// is opened before any array is replaced and closed after the last: readers
// validate against all of them, and clear() takes effect at one instant.
template <class K, class V, class H, class P>
void Map<K, V, H, P>::clear() {
  auto locks = LockAllShards();
  // Allocate first: a failure inside the write sections would leave them
  // open and every reader waiting.
  std::vector<TablePtr> fresh;
  fresh.reserve(shard_count_);
  for (size_t i = 0; i < shard_count_; ++i) {
    fresh.push_back(NewTable(
        shards_[i].table.load(std::memory_order_relaxed)->log2_buckets));
  }
  if (on(Fault::kClearShardByShard)) {
    for (size_t i = 0; i < shard_count_; ++i) {
      OpenWriteSection(shards_[i]);
      ClearShard(shards_[i], std::move(fresh[i]));
      CloseWriteSection(shards_[i]);
      RetireCleared(shards_[i]);
    }
    return;
  }
  for (size_t i = 0; i < shard_count_; ++i) OpenWriteSection(shards_[i]);
  for (size_t i = 0; i < shard_count_; ++i) {
    ClearShard(shards_[i], std::move(fresh[i]));
  }
  for (size_t i = 0; i < shard_count_; ++i) CloseWriteSection(shards_[i]);
  for (size_t i = 0; i < shard_count_; ++i) RetireCleared(shards_[i]);
}

// Replaces the shard's arrays with `fresh`, keeping the replaced ones for
// RetireCleared(); the shard's write section is open.
template <class K, class V, class H, class P>
void Map<K, V, H, P>::ClearShard(Shard& shard, TablePtr fresh) {
  shard.cleared[0] = shard.table.load(std::memory_order_relaxed);
  shard.cleared[1] = shard.old.load(std::memory_order_relaxed);
  shard.old.store(nullptr, std::memory_order_release);
  shard.table.store(fresh.release(), std::memory_order_release);
  shard.count.store(0, std::memory_order_relaxed);
}

template <class K, class V, class H, class P>
void Map<K, V, H, P>::RetireCleared(Shard& shard) {
  for (Table*& slot : shard.cleared) {
    // Taken off `cleared` first: Retire() owns it from here on.
    if (Table* table = std::exchange(slot, nullptr)) Retire(shard, table);
  }
}

template <class K, class V, class H, class P>
void Map<K, V, H, P>::reserve(size_t count) {
  unsigned wanted = Log2BucketsForTotal(count);
  for (size_t i = 0; i < shard_count_; ++i) {
    Shard& shard = shards_[i];
    auto lock = LockShard(shard);
    // Finish any growth in progress, then double (evacuating fully each
    // time) until the table is big enough.
    for (;;) {
      while (Growing(shard)) {
        Evacuate(shard, shard.nevacuate.load(std::memory_order_relaxed));
      }
      if (shard.table.load(std::memory_order_relaxed)->log2_buckets >= wanted) {
        break;
      }
      StartGrowth(shard, /*doubling=*/true);
    }
  }
}

// Calls f(bucket, index) for each live slot of the shard: unevacuated old
// buckets first, then the current array. The shard lock is held.
template <class K, class V, class H, class P>
template <class F>
void Map<K, V, H, P>::ForEachLiveSlot(const Shard& shard, F&& f) const {
  auto visit_chain = [&](const Bucket* bucket) {
    for (; bucket != nullptr;
         bucket = bucket->overflow.load(std::memory_order_relaxed)) {
      uint64_t word = bucket->tophash.load(std::memory_order_relaxed);
      for (int i = 0; i < internal::kBucketSlots; ++i) {
        if (internal::TopAt(word, i) >= internal::kMinTopHash) f(*bucket, i);
      }
    }
  };
  const Table* old = shard.old.load(std::memory_order_relaxed);
  if (old != nullptr) {
    for (size_t b = 0; b < old->bucket_count(); ++b) {
      if (!old->buckets[b].Evacuated()) visit_chain(&old->buckets[b]);
    }
  }
  const Table* table = shard.table.load(std::memory_order_relaxed);
  for (size_t b = 0; b < table->bucket_count(); ++b) {
    visit_chain(&table->buckets[b]);
  }
}

template <class K, class V, class H, class P>
template <class F>
void Map<K, V, H, P>::for_each(F&& f) const {
  std::vector<std::pair<K, V>> entries;
  for (size_t i = 0; i < shard_count_; ++i) {
    entries.clear();
    {
      auto lock = LockShard(shards_[i]);
      ForEachLiveSlot(shards_[i], [&](const Bucket& bucket, int slot) {
        entries.emplace_back(bucket.keys[slot].Load(),
                             bucket.values[slot].Load());
      });
    }
    // Called without the lock, so f may use the map.
    for (const auto& [key, value] : entries) f(key, value);
  }
}

// ----- Invariants -----------------------------------------------------------

template <class K, class V, class H, class P>
std::string Map<K, V, H, P>::check_invariants() const {
  auto locks = LockAllShards();
  std::string problems;
  for (size_t i = 0; i < shard_count_; ++i)
    CheckShard(shards_[i], i, &problems);
  return problems;
}

template <class K, class V, class H, class P>
std::string Map<K, V, H, P>::describe_address(const void* address) const {
  for (size_t i = 0; i < shard_count_; ++i) {
    const Shard& shard = shards_[i];
    std::string prefix = "shard " + std::to_string(i) + " ";
    if (address == &shard.version) return prefix + "version";
    if (address == &shard.table) return prefix + "table";
    if (address == &shard.old) return prefix + "old table";
    if (address == &shard.count) return prefix + "count";
    if (address == &shard.nevacuate) return prefix + "nevacuate";
  }
  return epoch_.DescribeAddress(address);
}

template <class K, class V, class H, class P>
void Map<K, V, H, P>::CheckShard(const Shard& shard, size_t shard_index,
                                 std::string* problems) const {
  auto report = [&](size_t bucket_index, const std::string& what) {
    *problems += "shard " + std::to_string(shard_index) + " bucket " +
                 std::to_string(bucket_index) + ": " + what + "\n";
  };
  if (shard.version.load(std::memory_order_relaxed) % 2 != 0) {
    report(0, "version is odd with no writer inside (write section left open)");
  }
  const Table* table = shard.table.load(std::memory_order_relaxed);
  const Table* old = shard.old.load(std::memory_order_relaxed);
  size_t live = 0;
  std::vector<std::pair<uint64_t, K>> keys;  // (hash, key) of live entries
  auto check_chain = [&](const Table& t, size_t b, bool is_old) {
    bool rest_empty = false;  // seen kEmptyRest: all later slots must be empty
    for (const Bucket* bucket = &t.buckets[b]; bucket != nullptr;
         bucket = bucket->overflow.load(std::memory_order_relaxed)) {
      uint64_t word = bucket->tophash.load(std::memory_order_relaxed);
      for (int i = 0; i < internal::kBucketSlots; ++i) {
        uint8_t top = internal::TopAt(word, i);
        if (internal::IsEvacuationMark(top)) {
          if (!is_old) report(b, "evacuation mark in the current array");
          continue;
        }
        if (rest_empty && top != internal::kEmptyRest) {
          report(b, "slot after an empty-rest marker is not empty-rest");
        }
        if (top == internal::kEmptyRest) rest_empty = true;
        if (top < internal::kMinTopHash) continue;
        K key = bucket->keys[i].Load();
        uint64_t hash = HashOf(key);
        if (internal::TopHash(hash) != top) report(b, "tophash mismatch");
        if ((hash & t.mask()) != b) report(b, "key in the wrong bucket");
        if (&ShardFor(hash) != &shard) report(b, "key in the wrong shard");
        keys.emplace_back(hash, key);
        ++live;
      }
    }
  };
  if (old != nullptr) {
    size_t nevacuate = shard.nevacuate.load(std::memory_order_relaxed);
    for (size_t b = 0; b < old->bucket_count(); ++b) {
      bool evacuated = old->buckets[b].Evacuated();
      if (b < nevacuate && !evacuated) {
        report(b, "old bucket below nevacuate is not evacuated");
      }
      if (!evacuated) check_chain(*old, b, /*is_old=*/true);
    }
  }
  for (size_t b = 0; b < table->bucket_count(); ++b) {
    check_chain(*table, b, /*is_old=*/false);
  }
  size_t count = shard.count.load(std::memory_order_relaxed);
  if (count != live) {
    report(0, "count is " + std::to_string(count) + " but " +
                  std::to_string(live) + " entries are live");
  }
  // Duplicates: only keys with equal hashes can be equal, so sort by hash.
  std::sort(keys.begin(), keys.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t a = 0; a < keys.size(); ++a) {
    for (size_t b = a + 1; b < keys.size() && keys[b].first == keys[a].first;
         ++b) {
      if (keys[a].second == keys[b].second) report(0, "a key is stored twice");
    }
  }
}

}  // namespace tophash

#endif  // TOPHASH_MAP_H_

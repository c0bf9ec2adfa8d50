// Policy: the seam between the tophash map and whoever drives it.
//
// tophash::Map takes a Policy type that supplies five things:
//
//   * `Atomic<T>`, `fence(order)` and `thread_slot()`: how the map reaches
//     memory shared between threads. Every shared word of the map (tophash
//     bytes, key and value words, overflow and table pointers, versions,
//     counts, epoch words) is an `Atomic<T>`, every fence goes through
//     `fence()`, and per-thread state (the epoch reader slots) is indexed by
//     `thread_slot()`. Production code gets std::atomic, the real fence and
//     the OS thread's dense index (StdAtomics below). The harness substitutes
//     a type that makes each access a scheduling point and can model the C++
//     memory model, and gives each logical thread (a fiber) its own slot. So
//     map code uses only the member functions load, store, exchange,
//     compare_exchange_weak/strong, fetch_add/sub/or/and, always with explicit
//     orders, on trivially copyable T of at most 8 bytes, and never accesses
//     one location with two different sizes.
//   * `Mutex`: the writer lock of one shard (anything with lock()/unlock();
//     production uses a spin lock, internal/spin_lock.h).
//   * `point(Site, const void* object)`: called at every place where the
//     interleaving of two threads matters. `object` is the bucket or array
//     the map is about to touch, where there is one, so a checking policy can
//     tell a read of freed memory. A cooperative scheduler (the harness's
//     controlled executor) switches fibers here; a stress policy injects timing
//     noise. Every wait or retry loop in the map calls point(), so a
//     cooperative scheduler can never be trapped in one.
//   * `enabled(Fault)`: whether an injected bug (a "mutant") is switched on.
//   * `allocate` / `deallocate`: where bucket memory comes from, so a harness
//     can quarantine and scribble freed memory and make use-after-free
//     visible even without AddressSanitizer.
//
// ProductionPolicy makes point() and enabled() empty constexpr functions, so
// the production map carries no trace of the instrumentation: every
// `if (policy_.enabled(...))` folds to `if (false)`.
//
// point() may throw (the harness aborts a hung execution by unwinding it).
// The map then leaks nothing, but it may be left mid-write (a write section
// open, readers waiting), so after a throwing point() it may only be
// destroyed. Allocation failures are different: the map allocates before it
// opens a write section, so a std::bad_alloc leaves it fully usable.

#ifndef TOPHASH_POLICY_H_
#define TOPHASH_POLICY_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <mutex>
#include <new>
#include <optional>
#include <string_view>

#include "tophash/internal/membarrier.h"
#include "tophash/internal/spin_lock.h"
#include "tophash/internal/thread_index.h"

namespace tophash {

// A place in the map's code where a context switch can change the outcome.
enum class Site : uint8_t {
  kAfterLock,             // a writer has just taken its shard lock
  kBeforeTophashPublish,  // key and value written, tophash not yet visible
  kAfterTophashPublish,   // a slot's tophash has just become visible
  kBetweenKeyAndValue,    // a slot's key is stored, its value not yet
  kBetweenValueWords,     // a value is half stored
  kWriteSectionOpen,      // the shard's version is odd: readers must retry
  kEvacuateSlot,          // growth is moving one entry to the new array
  kGrowStart,             // a new bucket array has just been installed
  kReadBucket,            // a reader is about to scan one bucket
  kBeforeReadValidation,  // a reader has its result and will now validate
  kReadRetry,             // a reader's validation failed; it starts over
  kReadWaitWriter,        // a reader waits for a writer to close its section
  kReclaim,               // a retired bucket array is about to be freed
};
inline constexpr int kSiteCount = 13;

std::string_view SiteName(Site site);

// Injected bugs. Each is off in production; harness builds switch one on at
// run time to prove that the harness catches it. The comments say what goes
// wrong and what a user of the map would see.
enum class Fault : uint8_t {
  kNone = 0,
  // insert() stores the slot's tophash before its key and value (the "tophash
  // barrier" from the blog post this project grew from). A lock-free reader
  // that sees the tophash compares a half-written key or returns a value that
  // was never written for it: find() says ok=true with a zero or stale value,
  // the classic ghost key.
  kPublishTophashBeforeKey,
  // find() returns whatever it read without checking the shard's version, so
  // a read that overlapped an in-place update, an erase or an evacuation is
  // trusted. Users see torn values and values of keys that were erased and
  // replaced in the same slot.
  kSkipReadValidation,
  // insert_or_assign() overwrites an existing value in place without opening
  // a write section. A reader copying the value at the same moment gets half
  // of the old value and half of the new one: a torn value.
  kValueUpdateWithoutVersion,
  // find() looks only at the new bucket array while the shard is growing, so
  // a key that still sits in a not-yet-evacuated old bucket is reported
  // absent: a lost key, visible even to a single thread.
  kIgnoreOldBucketsWhileGrowing,
  // Evacuation moves the entries of an old bucket but not those of its
  // overflow chain. Keys in overflow buckets vanish when the map grows.
  kEvacuateDropsOverflow,
  // Lookups treat a tophash match as a key match and skip the full key
  // comparison. Two keys with the same top hash byte alias: find(k2) returns
  // k1's value (a foreign value), erase(k2) deletes k1.
  kTophashMatchIsKeyMatch,
  // erase() marks the freed slot empty-rest ("nothing after this") without
  // checking that the rest of the chain is empty. Lookups stop early and miss
  // keys stored after it: lost keys.
  kEraseMarksEmptyRestEarly,
  // insert_or_assign() of an existing key increments the element count as if
  // it had added one: size() is too large.
  kSizeMiscountsReplace,
  // insert() skips the shard lock. Two concurrent inserters can claim the same
  // slot, so one key silently disappears and the count disagrees with the
  // contents.
  kInsertWithoutShardLock,
  // A retired bucket array is freed at once instead of after a grace period.
  // A reader that still scans it reads freed (scribbled or reused) memory:
  // lost keys, phantom values, or an AddressSanitizer report.
  kReclaimWithoutGrace,
  // erase() of an absent key opens the shard's write section (makes its
  // version odd) and returns without closing it. Every later reader of that
  // shard waits forever for the writer to finish: a liveness failure.
  kEraseMissLeavesWriteOpen,
  // clear() empties the shards one after another instead of at one instant.
  // Writers are locked out, but a lock-free reader can find one shard
  // already empty and another still full: find(k3) says absent (cleared)
  // and a later find(k2) still finds a key inserted before the clear, which
  // no single order explains. (The harness found this bug in an early
  // version of the production map; the fault keeps its regression biting.)
  kClearShardByShard,

  // The faults below hide in windows that the named point() sites cannot
  // open: between two loads of one reader, or in the ordering of memory
  // accesses. Only the controlled executor's fine granularity (a scheduling
  // point at every access) or weak granularity (the C++ memory model) can
  // express the schedules that show them.

  // find() re-checks the shard's version as soon as the key compares equal
  // and copies the value afterwards, trusting the check it already made (an
  // "early validation" meant to skip the re-check after the copy). A writer
  // that replaces the value in place between the check and the copy hands
  // the reader half of each value: a torn value, accepted.
  kValidateBeforeValueCopy,
  // erase() marks the slot empty with a plain tophash store and no write
  // section, reasoning that one byte flips atomically. But a reader that has
  // already compared the slot's key is about to copy its value: if the slot
  // is reused for another key in between (erase, then insert into the first
  // empty slot), the reader returns the other key's value and its version
  // check passes: a foreign value.
  kEraseWithoutWriteSection,
  // insert() publishes a filled slot's tophash with a relaxed store instead
  // of a release store. Nothing orders the key and value stores before it, so
  // a reader that acquires the tophash may still read the slot's old, empty
  // words: a zero or torn value, on weakly ordered hardware (and in the
  // harness's weak granularity), never on x86.
  kRelaxedTophashPublish,
  // The writer's release fence after making the version odd is dropped (the
  // classic seqlock bug). The section's stores may become visible before the
  // odd version, so a reader can see new words while both of its version
  // loads still read the old even value: a torn value, accepted.
  kWriteSectionWithoutFence,
  // find() drops the acquire fence before re-reading the version. The
  // reader's loads of the entry are no longer ordered before that reload,
  // which may return the old version although the entry words came from a
  // writer's section: a torn value, accepted.
  kReaderSkipsAcquireFence,
  // insert() fills an empty slot without the release fence that orders the
  // new key and value words after what the writer saw under the shard lock.
  // If the slot was freed by an erase, a reader holding the erased entry's
  // tophash can copy the new words, and its version check, with nothing to
  // order it after the erase's write section, can still pass: a torn value
  // mixing the old entry and the new one. This was the production map's own
  // bug until the harness's weak granularity found it.
  kFillWithoutReleaseFence,
};
inline constexpr int kFaultCount = 19;  // including kNone

// One row of the fault table: the fault, its name (in flags, .sched headers,
// file names and reports) and one line for usage texts.
struct FaultInfo {
  Fault value;
  std::string_view name;
  std::string_view help;
};

// Every fault, in the order of the enum: the one source of fault names.
// FaultName() and ParseFault() read it, and so does the harness for its
// fault lists and help texts.
inline constexpr FaultInfo kFaults[] = {
    {Fault::kNone, "none", "no injected bug: the production map"},
    {Fault::kPublishTophashBeforeKey, "publish_tophash_before_key",
     "insert() publishes the tophash before the key and value (ghost keys)"},
    {Fault::kSkipReadValidation, "skip_read_validation",
     "find() trusts what it read without checking the shard's version"},
    {Fault::kValueUpdateWithoutVersion, "value_update_without_version",
     "insert_or_assign() overwrites a value in place, outside a write section"},
    {Fault::kIgnoreOldBucketsWhileGrowing, "ignore_old_buckets_while_growing",
     "find() looks only at the new bucket array while a shard grows"},
    {Fault::kEvacuateDropsOverflow, "evacuate_drops_overflow",
     "evacuation moves a bucket but not its overflow chain"},
    {Fault::kTophashMatchIsKeyMatch, "tophash_match_is_key_match",
     "lookups take a tophash match for a key match"},
    {Fault::kEraseMarksEmptyRestEarly, "erase_marks_empty_rest_early",
     "erase() marks a slot empty-rest although keys follow it"},
    {Fault::kSizeMiscountsReplace, "size_miscounts_replace",
     "insert_or_assign() of a present key counts it again"},
    {Fault::kInsertWithoutShardLock, "insert_without_shard_lock",
     "insert() skips the shard lock"},
    {Fault::kReclaimWithoutGrace, "reclaim_without_grace",
     "a retired bucket array is freed at once, under its readers"},
    {Fault::kEraseMissLeavesWriteOpen, "erase_miss_leaves_write_open",
     "erase() of an absent key leaves the write section open (a hang)"},
    {Fault::kClearShardByShard, "clear_shard_by_shard",
     "clear() empties the shards one by one, not at one instant"},
    {Fault::kValidateBeforeValueCopy, "validate_before_value_copy",
     "find() checks the version before copying the value (fine granularity)"},
    {Fault::kEraseWithoutWriteSection, "erase_without_write_section",
     "erase() frees a slot without a write section (fine granularity)"},
    {Fault::kRelaxedTophashPublish, "relaxed_tophash_publish",
     "insert() publishes the tophash with a relaxed store (weak granularity)"},
    {Fault::kWriteSectionWithoutFence, "write_section_without_fence",
     "the writer's release fence after the odd version is dropped (weak)"},
    {Fault::kReaderSkipsAcquireFence, "reader_skips_acquire_fence",
     "find() drops the acquire fence before re-reading the version (weak)"},
    {Fault::kFillWithoutReleaseFence, "fill_without_release_fence",
     "insert() fills a freed slot without a release fence (weak)"},
};
static_assert(std::size(kFaults) == kFaultCount, "one row per fault");

// "publish_tophash_before_key" and so on; "none" for kNone.
std::string_view FaultName(Fault fault);
// The inverse of FaultName; nullopt for an unknown name.
std::optional<Fault> ParseFault(std::string_view name);

// Shared memory as the hardware gives it: std::atomic, real fences, one
// epoch slot per OS thread. Policies that do not intercept memory accesses
// inherit it.
struct StdAtomics {
  template <class T>
  using Atomic = std::atomic<T>;

  static void fence(std::memory_order order) noexcept {
    std::atomic_thread_fence(order);
  }
  [[gnu::always_inline]] static size_t thread_slot() noexcept {
    return internal::ThisThreadIndex();
  }
};

// Asymmetric fences (internal/membarrier.h) for the one handshake where a
// full fence would sit on the lookup path: the epoch announcement of a reader
// against the reclaimer's scan. A policy may supply
// asymmetric_fence_light() (the frequent side) and asymmetric_fence_heavy()
// (the rare side) whose pair orders like two seq_cst fences; a policy without
// them (every harness policy, so the harness models plain C++ fences) gets
// Policy::fence(seq_cst) on both sides.
struct MembarrierFences {
  [[gnu::always_inline]] static void asymmetric_fence_light() noexcept {
    internal::MembarrierLight();
  }
  static void asymmetric_fence_heavy() noexcept { internal::MembarrierHeavy(); }
};

// The policy of the production map: no instrumentation, no faults.
struct ProductionPolicy : StdAtomics, MembarrierFences {
  // A spin lock (internal/spin_lock.h): shard critical sections are short.
  using Mutex = internal::SpinLock;

  void point(Site, const void* = nullptr) const noexcept {}
  constexpr bool enabled(Fault) const noexcept { return false; }

  void* allocate(size_t bytes) const {
    return ::operator new (bytes, std::align_val_t{64});
  }
  void deallocate(void* block, size_t) const noexcept {
    ::operator delete (block, std::align_val_t{64});
  }
};

// ---------------------------------------------------------------------------
// Implementation of the name tables.

inline std::string_view SiteName(Site site) {
  constexpr std::string_view kNames[kSiteCount] = {"after_lock",
                                                   "before_tophash_publish",
                                                   "after_tophash_publish",
                                                   "between_key_and_value",
                                                   "between_value_words",
                                                   "write_section_open",
                                                   "evacuate_slot",
                                                   "grow_start",
                                                   "read_bucket",
                                                   "before_read_validation",
                                                   "read_retry",
                                                   "read_wait_writer",
                                                   "reclaim"};
  auto index = static_cast<size_t>(site);
  return index < kSiteCount ? kNames[index] : "unknown_site";
}

namespace internal {
constexpr bool FaultsInEnumOrder() {
  for (size_t i = 0; i < std::size(kFaults); ++i) {
    if (static_cast<size_t>(kFaults[i].value) != i) return false;
  }
  return true;
}
static_assert(FaultsInEnumOrder(), "kFaults[i] must describe Fault(i)");
}  // namespace internal

inline std::string_view FaultName(Fault fault) {
  auto index = static_cast<size_t>(fault);
  return index < std::size(kFaults) ? kFaults[index].name : "unknown_fault";
}

inline std::optional<Fault> ParseFault(std::string_view name) {
  for (const FaultInfo& row : kFaults) {
    if (row.name == name) return row.value;
  }
  return std::nullopt;
}

}  // namespace tophash

#endif  // TOPHASH_POLICY_H_

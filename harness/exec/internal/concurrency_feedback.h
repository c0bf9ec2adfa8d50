// ConcurrencyRecorder: turns what the controlled executor sees of one
// execution into hits on the concurrency-feedback counter array
// (exec/feedback_counters.h), for the fuzzing engines.
//
// Events are named by abstract 32-bit keys that mean the same in every
// process and every build of the same source (docs/CONCURRENCY_FEEDBACK.md):
// a named point of the map, an operation start by its kind, or an access by
// the base name and line of its call site and its kind. Never an address,
// value, OS thread or time, and logical threads only as "same / other /
// before the run", so an input always fills the same counters. Each event
// mixes its components with FrozenMix64 into its kind's range and adds a
// saturating hit:
//
//   * reads-from: (store site, load site, same/other/initial, stale). At weak
//     granularity from the memory model's last read; at fine granularity
//     (no model) from the recorder's own last-writer table;
//   * switch pairs: (where the previous thread stopped, where the next one
//     resumes, why it stopped: picked, blocked on a lock, spinning);
//   * retries: (read retry / wait for writer / failed CAS / lock blocked,
//     site, the thread's scheduling point before it).
//
// The recorder only observes: no hook that calls it changes a decision,
// consumes randomness or alters what the map sees. Its per-thread tables live
// in thread_local storage reused by every execution of the OS thread, and
// reset in O(1).

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_CONCURRENCY_FEEDBACK_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_CONCURRENCY_FEEDBACK_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "harness/exec/feedback_counters.h"
#include "harness/exec/internal/access.h"
#include "harness/operation.h"
#include "harness/schedule.h"
#include "tophash/policy.h"

namespace thfuzz::exec_internal {

enum class SwitchReason : uint8_t { kPicked, kBlocked, kSpinning };
enum class RetryKind : uint8_t {
  kReadRetry,   // Site::kReadRetry: a reader's validation failed
  kWaitWriter,  // Site::kReadWaitWriter: a reader waits for an odd version
  kFailedCompareExchange,
  kLockBlocked,  // a shard lock was taken: the fiber blocks
};

class LastWriterTable;

class ConcurrencyRecorder {
 public:
  // `counters` has kConcurrencyCounters bytes; the caller zeroes it (the
  // engines do before every input). Resets this OS thread's tables.
  explicit ConcurrencyRecorder(std::span<uint8_t> counters);

  // Site keys.
  static uint32_t NamedPointKey(tophash::Site site);
  static uint32_t OperationKey(OpKind kind);
  // The access's call site (base name of the file, line) and kind; cached
  // per call site.
  static uint32_t AccessKey(const Access& access);
  // A store as a load sees it: its call site, whatever its kind.
  static uint32_t StoreKey(const SourceSite& where);

  // `thread` passed a scheduling point named `key`.
  void Passed(size_t thread, uint32_t key);
  // `from` stopped at its last point and `to` resumes at its own.
  void Switched(size_t from, size_t to, SwitchReason why);
  // `thread` retried or blocked at `key` (after its last point).
  void Retried(size_t thread, RetryKind kind, uint32_t key);
  // `reader`'s load `load_key` read the store `store_key` of `writer` (-1:
  // memory as it was before the run); `stale`: not the newest store.
  void ReadFrom(size_t reader, uint32_t load_key, int writer,
                uint32_t store_key, bool stale);
  // Fine granularity, where no memory model says who wrote what: `thread`
  // stored at `address`, and `reader` read the newest store at `address`.
  void Wrote(size_t thread, const void* address, uint32_t store_key);
  void ReadNewest(size_t reader, const void* address, uint32_t load_key);

 private:
  // A saturating hit on the counter of (tag, a, b) in `range`.
  void Hit(const FeedbackRange& range, uint64_t tag, uint32_t a, uint32_t b);

  std::span<uint8_t> counters_;
  LastWriterTable& writers_;
  // Each logical thread's last scheduling point; 0 before its first.
  std::array<uint32_t, Schedule::kMaxThreads> last_key_{};
};

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_CONCURRENCY_FEEDBACK_H_

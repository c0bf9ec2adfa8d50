// Watchdog: turns an execution that stops reaching scheduling points into a
// reported liveness violation instead of a hung harness.
//
// The executors catch most hangs themselves: a wait loop in the tophash map
// calls point(), where the controlled scheduler, the serial step budget and
// the stress timeout can abort it. A loop with no scheduling point at all (a
// bug, or a third-party map whose waits the harness cannot see) traps the OS
// thread that runs it, and no code on that thread runs again. Only another
// thread can notice. So each execution registers its OS threads' Heartbeats
// with a guard; one process-wide watchdog thread polls them, and when a
// thread inside an operation has not beaten for RunOptions::watchdog, it
// builds a liveness violation naming the thread, its operation and the last
// scheduling point it passed, hands it to the hang handler (SetHangHandler():
// the CLI saves the input, prints the report and its summary; a fuzz target
// prints the replay hint), and aborts the process. The trapped thread cannot
// be unwound, so ending the process is the only clean way out; the abort
// also makes libFuzzer and AFL++ save the input as a crash.
//
// Beating is cheap: plain stores of where the thread is, then one release
// store of a counter. The watchdog reads the counter with acquire, so what it
// reads of the rest is what the thread wrote before its last beat.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_WATCHDOG_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_WATCHDOG_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/exec/executor.h"
#include "harness/exec/internal/access.h"
#include "harness/schedule.h"
#include "tophash/policy.h"

namespace thfuzz::exec_internal {

// Where one OS thread of an execution is, as of its last scheduling point:
// which logical thread runs there, which operation each logical thread is
// in, and the last point each passed.
class Heartbeat {
 public:
  Heartbeat() { operation_.fill(-1); }

  // Logical thread `thread` starts operation `index` of its list.
  void StartOperation(size_t thread, size_t index) {
    operation_[thread] = static_cast<int>(index);
    last_[thread] = Point{};
    Run(thread);
  }
  void FinishOperation(size_t thread) { operation_[thread] = -1; }
  // A scheduling point: a named site of the map, or an access (fine, weak).
  void Pass(size_t thread, tophash::Site site) {
    last_[thread] = Point{Point::kSite, site, {}};
    Run(thread);
  }
  void Pass(size_t thread, const Access& access) {
    last_[thread] = Point{Point::kAccess, {}, access};
    Run(thread);
  }
  // Logical thread `thread` runs (again) on this OS thread.
  void Run(size_t thread) {
    running_ = thread;
    Beat();
  }
  // Where `thread` last stopped at a scheduling point: "at the map's
  // read_bucket point", "before acquire load of bucket 0 tophash at
  // map.h:372 (LookupOnce)" (`name_address` names addresses and may be
  // empty), or "at the start of its operation". Call on the beating thread.
  std::string LastPoint(
      size_t thread,
      const std::function<std::string(const void*)>& name_address) const;

  // The OS thread is inside an execution (or not): only then can it hang.
  void SetBusy(bool busy) {
    busy_.store(busy, std::memory_order_release);
    Beat();
  }

 private:
  friend class Watchdog;
  struct Point {
    enum Kind { kOperationStart, kSite, kAccess } kind = kOperationStart;
    tophash::Site site = tophash::Site::kAfterLock;
    Access access;
  };

  void Beat() {
    beats_.store(beats_.load(std::memory_order_relaxed) + 1,
                 std::memory_order_release);
  }
  // Read by the watchdog after an acquire load of beats_ that saw no change
  // for a long time: the thread is trapped and writes nothing more.
  std::string Describe(const Schedule& schedule) const;

  std::atomic<uint64_t> beats_{0};
  std::atomic<bool> busy_{false};
  size_t running_ = 0;
  std::array<int, Schedule::kMaxThreads> operation_;
  std::array<Point, Schedule::kMaxThreads> last_;
  // The watchdog's own bookkeeping (under its mutex).
  uint64_t seen_beats_ = 0;
  std::chrono::steady_clock::time_point seen_at_;
};

// Registers `heartbeats` of one execution of `schedule` with the watchdog
// for its lifetime (nothing when options.watchdog is zero).
class WatchdogGuard {
 public:
  WatchdogGuard(const Schedule& schedule, const RunOptions& options,
                std::vector<Heartbeat*> heartbeats);
  ~WatchdogGuard();
  WatchdogGuard(const WatchdogGuard&) = delete;
  WatchdogGuard& operator=(const WatchdogGuard&) = delete;

 private:
  friend class Watchdog;
  const Schedule& schedule_;
  const RunOptions& options_;
  std::vector<Heartbeat*> heartbeats_;
  bool registered_ = false;
};

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_WATCHDOG_H_

// The engine side of concurrency feedback (concurrency_counters.h).

#include "fuzz/concurrency_counters.h"

#include <bitset>
#include <cstdio>
#include <cstring>
#include <string>

#include "harness/exec/feedback_counters.h"

#ifdef __AFL_COMPILER
// AFL++'s runtime (afl-compiler-rt.o) implements SanitizerCoverage's guard
// callbacks: init gives each guard a slot of the shared map, and a guard hit
// increments its slot. (Not `__afl_area_ptr` directly: afl-clang-fast's pass
// declares that global itself and renames ours, which then fails to link.)
// libFuzzer defines these too, as no-ops, so this is compiled for
// afl-clang-fast only, which defines __AFL_COMPILER.
extern "C" {
void __sanitizer_cov_trace_pc_guard_init(uint32_t* start, uint32_t* stop);
void __sanitizer_cov_trace_pc_guard(uint32_t* guard);
}
#define THFUZZ_AFL_BRIDGE 1
#endif

namespace thfuzz::fuzz {
namespace {

// libFuzzer finds the array through the linker's __start_/__stop_ symbols
// of this section; it must hold uint8_t counters and be 8-byte aligned and
// sized. `used` keeps the linker from dropping it; no ASan redzone, which
// would count as 8192+ counters (clang skips such globals anyway, this
// makes sure).
#if defined(__clang__)
#define THFUZZ_NO_ASAN_GLOBAL __attribute__((no_sanitize("address")))
#else
#define THFUZZ_NO_ASAN_GLOBAL
#endif
alignas(64) THFUZZ_NO_ASAN_GLOBAL
    __attribute__((section("__libfuzzer_extra_counters"),
                   used)) uint8_t g_counters[kConcurrencyCounters];

// `stats`: every counter any input has hit.
std::bitset<kConcurrencyCounters> g_ever_hit;

#ifdef THFUZZ_AFL_BRIDGE
// AFL++ map slot of each counter (guard values).
uint32_t g_guards[kConcurrencyCounters];

// Registered from a constructor of priority 1, which runs before AFL++'s
// runtime starts its fork server: a guard registered after that is fatal
// ("forkserver is already up"), and the map size the fork server reports
// to afl-fuzz must include these slots. LLVMFuzzerInitialize is too late:
// Debian's 4.04c driver starts the fork server before calling it
// (docs/CONCURRENCY_FEEDBACK.md, section 5, has the check).
__attribute__((constructor(1))) void RegisterGuards() {
  __sanitizer_cov_trace_pc_guard_init(g_guards,
                                      g_guards + kConcurrencyCounters);
}

// The hits a counter value stands for, as few as fall in its hit-count
// bucket (AFL++ and libFuzzer both bucket 1, 2, 3, 4-7, 8-15, 16-31,
// 32-127, 128+).
unsigned BucketFloor(uint8_t count) {
  if (count < 4) return count;
  if (count < 8) return 4;
  if (count < 16) return 8;
  if (count < 32) return 16;
  if (count < 128) return 32;
  return 128;
}

void FoldIntoAfl() {
  for (size_t i = 0; i < kConcurrencyCounters; ++i) {
    for (unsigned k = BucketFloor(g_counters[i]); k > 0; --k) {
      __sanitizer_cov_trace_pc_guard(&g_guards[i]);
    }
  }
}
#else
void FoldIntoAfl() {}
#endif

}  // namespace

std::span<uint8_t> ConcurrencyCounters() { return g_counters; }

bool AflBridge() {
#ifdef THFUZZ_AFL_BRIDGE
  return true;
#else
  return false;
#endif
}

void BeforeInput() { std::memset(g_counters, 0, sizeof(g_counters)); }

void KeepOnly(const FeedbackRange& range) {
  std::memset(g_counters, 0, range.begin);
  size_t end = range.begin + range.size;
  std::memset(g_counters + end, 0, kConcurrencyCounters - end);
}

void AfterInput(bool tally) {
  FoldIntoAfl();
  if (!tally) return;
  for (size_t i = 0; i < kConcurrencyCounters; ++i) {
    if (g_counters[i] != 0) g_ever_hit.set(i);
  }
}

void PrintCounterStats(const char* target_name) {
  std::string per_kind;
  for (const FeedbackRange& range : kFeedbackRanges) {
    size_t hit = 0;
    for (size_t i = range.begin; i < range.begin + range.size; ++i) {
      hit += g_ever_hit[i];
    }
    if (!per_kind.empty()) per_kind += ", ";
    per_kind += std::string(range.name) + " " + std::to_string(hit) + "/" +
                std::to_string(range.size);
  }
  std::fprintf(stderr,
               "==thfuzz== %s: concurrency feedback: %zu of %zu counters hit "
               "(%s)\n",
               target_name, g_ever_hit.count(), kConcurrencyCounters,
               per_kind.c_str());
}

}  // namespace thfuzz::fuzz

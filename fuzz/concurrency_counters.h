// The concurrency-feedback counters as the fuzzing engines see them.
//
// The controlled executor counts abstract concurrency events (reads-from
// pairs, context-switch pairs, retries) into one array of
// kConcurrencyCounters bytes (harness/exec/feedback_counters.h). This file
// owns that array and hands it to the engine:
//
//   * libFuzzer: the array lives in the ELF section
//     `__libfuzzer_extra_counters`, which libFuzzer scans after every input
//     like its own 8-bit counters (and clears before every input); it prints
//     "INFO: 8192 Extra Counters" at start-up. Not
//     __sanitizer_cov_8bit_counters_init: libFuzzer requires a PC table for
//     every module registered that way and exits without one.
//   * AFL++ reads neither. Built with afl-clang-fast, a constructor asks
//     AFL++'s runtime for 8192 map slots through
//     __sanitizer_cov_trace_pc_guard_init, as an instrumented module would,
//     before the fork server starts, and AfterInput() hits each counter's
//     slot as often as its hit-count bucket says. docs/
//     CONCURRENCY_FEEDBACK.md has the details and the checks.

#ifndef THFUZZ_FUZZ_CONCURRENCY_COUNTERS_H_
#define THFUZZ_FUZZ_CONCURRENCY_COUNTERS_H_

#include <cstdint>
#include <span>

#include "harness/exec/feedback_counters.h"

namespace thfuzz::fuzz {

// The array; zeroed by BeforeInput().
std::span<uint8_t> ConcurrencyCounters();

// Whether this build hands the counters to AFL++ (built by afl-clang-fast).
bool AflBridge();

// Around each input: zero the counters (libFuzzer does too; other engines
// do not), and afterwards add them into AFL++'s map when registered, and
// into the `stats` tally when `tally` is set.
void BeforeInput();
void AfterInput(bool tally);
// Zeroes every counter outside `range`, so the engine sees that kind only.
void KeepOnly(const FeedbackRange& range);

// `stats`: "N of 8192 counters hit (reads-from a/4096, ...)" over every
// input so far.
void PrintCounterStats(const char* target_name);

}  // namespace thfuzz::fuzz

#endif  // THFUZZ_FUZZ_CONCURRENCY_COUNTERS_H_
